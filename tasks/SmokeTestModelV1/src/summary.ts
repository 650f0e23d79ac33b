import { formatPercent, type Check } from './checks';
import { formatMs, type HistogramBucket, type LatencyStats } from './stats';

export interface SummaryFacts {
  readonly url: string;
  readonly protocolTitle: string;
  readonly detection?: string;
  readonly model?: string;
  readonly checks: readonly Check[];
  readonly stats?: LatencyStats;
  readonly histogram: readonly HistogramBucket[];
  readonly requests: number;
  readonly concurrency: number;
  readonly warmupRequests: number;
  readonly successRate?: number;
}

const BAR_WIDTH = 30;

/** Escapes what would break a markdown table cell or be read as markup. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}

export function textHistogram(buckets: readonly HistogramBucket[]): string[] {
  const most = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const width = buckets.length === 0 ? 1 : Math.max(...buckets.map((bucket) => bucket.toMs - bucket.fromMs));
  const decimals = width <= 0 ? 1 : Math.max(0, Math.min(3, Math.ceil(-Math.log10(width)) + 1));
  const labels = buckets.map((bucket) => `${bucket.fromMs.toFixed(decimals)}-${bucket.toMs.toFixed(decimals)} ms`);
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  return buckets.map((bucket, index) => {
    const bar = '#'.repeat(Math.round((bucket.count / most) * BAR_WIDTH)) || (bucket.count > 0 ? '#' : '');
    return `${(labels[index] ?? '').padStart(labelWidth)} | ${bar.padEnd(BAR_WIDTH)} ${bucket.count}`;
  });
}

export function buildSummary(facts: SummaryFacts): string {
  const failed = facts.checks.filter((check) => check.status === 'failed');
  const passed = facts.checks.filter((check) => check.status === 'passed').length;
  const lines = [
    `**${failed.length === 0 ? 'Passed' : 'Failed'}**: ${passed} of ${facts.checks.length} checks passed against \`${markdownCell(facts.url)}\` (${markdownCell(facts.protocolTitle)}${
      facts.model === undefined ? '' : `, model \`${markdownCell(facts.model)}\``
    }).`,
    '',
  ];
  if (facts.detection !== undefined) lines.push(`Protocol detected: ${markdownCell(facts.detection)}.`, '');
  if (facts.stats !== undefined) {
    const s = facts.stats;
    lines.push(
      `Latency of ${s.count} requests at concurrency ${facts.concurrency} (after ${facts.warmupRequests} warm-up request${facts.warmupRequests === 1 ? '' : 's'}, not counted); request start to last byte of the answer; percentiles by nearest rank.`,
      '',
      '| p50 | p95 | p99 | min | mean | max | success rate |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${formatMs(s.p50Ms)} ms | ${formatMs(s.p95Ms)} ms | ${formatMs(s.p99Ms)} ms | ${formatMs(s.minMs)} ms | ${formatMs(s.meanMs)} ms | ${formatMs(s.maxMs)} ms | ${
        facts.successRate === undefined ? '-' : formatPercent(facts.successRate)
      } |`,
      '',
      '```text',
      ...textHistogram(facts.histogram),
      '```',
      '',
    );
  }
  lines.push('| check | result | detail |', '|---|---|---|');
  for (const check of facts.checks) {
    const result = check.status === 'passed' ? 'passed' : check.status === 'failed' ? '**failed**' : 'skipped';
    lines.push(`| ${markdownCell(check.name)} | ${result} | ${markdownCell(check.message ?? check.output ?? '')} |`);
  }
  lines.push('');
  return lines.join('\n');
}
