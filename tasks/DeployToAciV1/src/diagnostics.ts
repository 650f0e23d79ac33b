/**
 * When a deployment fails: the group's and containers' events and the last lines of each container's
 * log, printed inside a log group. Everything that came from the containers is neutralised (it could
 * hold `##vso[` commands).
 */
import type { ContainerGroup, Event } from '@azure/arm-containerinstance';
import { messageOf } from '../../common/errors';
import { neutraliseLine } from '../../common/neutralise';
import type { TaskLog } from '../../common/task-runtime';
import type { AciClient } from './aci-client';

export const LOG_TAIL_LINES = 50;

export interface Diagnostics {
  /** The last few log lines of each container, for the failure message. */
  excerpt: string[];
}

export async function printDiagnostics(group: ContainerGroup, resourceGroup: string, aci: AciClient, log: TaskLog): Promise<Diagnostics> {
  const name = group.name ?? '';
  const excerpt: string[] = [];
  await log.group(`Events and logs of container group ${name}`, async () => {
    const groupEvents = group.instanceView?.events ?? [];
    log.info(`Container group ${name}: provisioning ${group.provisioningState ?? 'unknown'}, state ${group.instanceView?.state ?? 'unknown'}.`);
    log.info('Group events:');
    for (const line of formatEvents(groupEvents)) log.foreign(line);
    for (const container of group.containers) {
      const view = container.instanceView;
      const current = view?.currentState;
      log.info(
        `Container ${container.name}: ${current?.state ?? 'no state'}${current?.detailStatus ? ` (${current.detailStatus})` : ''}` +
          `${current?.exitCode !== undefined ? `, exit code ${current.exitCode}` : ''}, ${view?.restartCount ?? 0} restart(s).`,
      );
      log.info('Events:');
      for (const line of formatEvents(view?.events ?? [])) log.foreign(line);
      let text = '';
      try {
        text = await aci.logs(resourceGroup, name, container.name, LOG_TAIL_LINES);
      } catch (error) {
        log.info(`(The log of container ${container.name} could not be read: ${messageOf(error)})`);
      }
      const lines = text.split(/\r?\n/).filter((line, index, all) => line !== '' || index < all.length - 1);
      log.info(lines.length === 0 ? `Log of ${container.name}: (empty)` : `Last ${lines.length} log line(s) of ${container.name}:`);
      for (const line of lines) log.foreign(`  ${line}`);
      excerpt.push(...lines.slice(-5).map((line) => `${container.name}: ${neutraliseLine(line).slice(0, 300)}`));
    }
  });
  return { excerpt };
}

export function formatEvents(events: readonly Event[]): string[] {
  if (events.length === 0) return ['  (none)'];
  const timeOf = (e: Event): number => {
    const when = e.lastTimestamp ?? e.firstTimestamp;
    return when ? new Date(when).getTime() : 0;
  };
  return [...events]
    .sort((a, b) => timeOf(a) - timeOf(b))
    .map((e) => {
      const at = timeOf(e) > 0 ? new Date(timeOf(e)).toISOString() : '';
      const text = [at, e.type, e.name].filter((part) => part).join(' ');
      return `  ${text}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}: ${(e.message ?? '').replace(/\s+/g, ' ')}`;
    });
}
