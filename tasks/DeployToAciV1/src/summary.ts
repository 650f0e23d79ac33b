/** The run's summary (Extensions tab): what was deployed where, its state, address and events (pure). */
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { neutraliseLine } from '../../common/neutralise';
import { formatEvents } from './diagnostics';

export interface DeploymentReport {
  group: ContainerGroup;
  resourceGroup: string;
  image: string;
  imageDigest?: string;
  /** What the task did: created, updated, recreated, unchanged. */
  action: string;
  state: string;
  url?: string;
  timeToRunningInMs?: number;
}

export function summaryMarkdown(report: DeploymentReport): string {
  const group = report.group;
  const cell = (value: string | undefined): string => (value === undefined || value === '' ? '-' : neutraliseLine(value).replace(/\|/g, '\\|'));
  const rows: [string, string | undefined][] = [
    ['Container group', `${group.name ?? ''} (resource group ${report.resourceGroup}, ${group.location ?? ''})`],
    ['Action', report.action],
    ['Image', `\`${report.image}\``],
    ['Image digest', report.imageDigest ? `\`${report.imageDigest}\`` : 'not pinned (the image is referenced by tag)'],
    ['State', report.state],
    ['URL', report.url],
    ['FQDN', group.ipAddress?.fqdn],
    ['IP address', group.ipAddress?.ip ? `${group.ipAddress.ip} (${group.ipAddress.type ?? ''})` : undefined],
    ['Time to Running', report.timeToRunningInMs !== undefined ? `${(report.timeToRunningInMs / 1000).toFixed(1)} s` : undefined],
  ];
  const lines = ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${cell(value)} |`), ''];
  for (const container of group.containers) {
    lines.push(`**Events of container ${cell(container.name)}**`, '', '```');
    lines.push(...formatEvents(container.instanceView?.events ?? []).map((line) => neutraliseLine(line.trim())));
    lines.push('```', '');
  }
  return lines.join('\n');
}
