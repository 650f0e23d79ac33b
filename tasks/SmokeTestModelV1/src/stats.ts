/**
 * Latency statistics. Percentiles use the nearest-rank method: pN is the smallest measured latency
 * such that at least N% of the measurements are less than or equal to it (sorted[ceil(N/100 * n) - 1]);
 * it is always a latency that was actually measured.
 */
export interface LatencyStats {
  readonly count: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export function percentile(sortedAscending: readonly number[], percent: number): number {
  if (sortedAscending.length === 0) throw new Error('percentile of no values');
  const rank = Math.max(1, Math.ceil((percent / 100) * sortedAscending.length));
  return sortedAscending[Math.min(rank, sortedAscending.length) - 1] as number;
}

export function latencyStats(latenciesInMs: readonly number[]): LatencyStats | undefined {
  if (latenciesInMs.length === 0) return undefined;
  const sorted = [...latenciesInMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}

export interface HistogramBucket {
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
}

/** Equal-width buckets from min to max (the last one includes max). */
export function histogram(latenciesInMs: readonly number[], bucketCount = 10): HistogramBucket[] {
  if (latenciesInMs.length === 0) return [];
  const min = Math.min(...latenciesInMs);
  const max = Math.max(...latenciesInMs);
  const buckets = max === min ? 1 : bucketCount;
  const width = (max - min) / buckets || 1;
  const counts = new Array<number>(buckets).fill(0);
  for (const value of latenciesInMs) {
    const index = Math.min(buckets - 1, Math.floor((value - min) / width));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts.map((count, index) => ({ fromMs: min + index * width, toMs: index === buckets - 1 ? max : min + (index + 1) * width, count }));
}

/** `12.3` for a latency in ms: one decimal below 100 ms, whole numbers above. */
export function formatMs(ms: number): string {
  return ms < 100 ? ms.toFixed(1) : Math.round(ms).toString();
}
