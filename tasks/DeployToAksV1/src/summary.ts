/** The run's summary (Extensions tab): what was deployed where, the revision, replicas, autoscaler and URL (pure). */
import { neutraliseLine } from '../../common/neutralise';

export interface AksReport {
  cluster: string;
  namespace: string;
  deploymentName: string;
  image: string;
  imageDigest?: string;
  /** created, updated (rolling update), unchanged. */
  action: string;
  revision?: number;
  replicas: { ready: number; desired: number };
  autoscaler?: { min: number; max: number; current?: number; desired?: number; targets: string };
  url?: string;
  serviceType: string;
  /** `Deployment/iris`, `Service/iris`, ... */
  applied: string[];
  deleted: string[];
  rolloutSeconds?: number;
}

export function summaryMarkdown(report: AksReport): string {
  const cell = (value: string | undefined): string => (value === undefined || value === '' ? '-' : neutraliseLine(value).replace(/\|/g, '\\|'));
  const autoscaler = report.autoscaler;
  const rows: [string, string | undefined][] = [
    ['Deployment', `${report.deploymentName} (namespace ${report.namespace}, cluster ${report.cluster})`],
    ['Action', report.action],
    ['Revision', report.revision !== undefined ? String(report.revision) : undefined],
    ['Image', `\`${report.image}\``],
    ['Image digest', report.imageDigest ? `\`${report.imageDigest}\`` : 'not pinned (the registry did not tell the digest)'],
    ['Replicas', `${report.replicas.ready} ready of ${report.replicas.desired}`],
    [
      'Autoscaler',
      autoscaler
        ? `${autoscaler.min} to ${autoscaler.max} replicas on ${autoscaler.targets}; now ${autoscaler.current ?? '?'} (wants ${autoscaler.desired ?? '?'})`
        : 'none (fixed replicas)',
    ],
    ['Service', report.serviceType],
    ['URL', report.url],
    ['Rollout time', report.rolloutSeconds !== undefined ? `${report.rolloutSeconds.toFixed(1)} s` : undefined],
    ['Objects applied', report.applied.join(', ')],
    ['Objects deleted', report.deleted.length > 0 ? report.deleted.join(', ') : undefined],
  ];
  return ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${cell(value)} |`), ''].join('\n');
}
