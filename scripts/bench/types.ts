/** What a benchmark module (scripts/bench/*.ts, `export async function run()`) returns. */
import type { Comparison } from './support/comparison';

export interface BenchResult {
  title: string;
  rows: Record<string, string | number>[];
  notes?: string[];
  /** Rows of the issue's table (task vs raw), gathered into one table at the end of `npm run bench`. */
  comparisons?: Comparison[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  return `${(bytes / 1024).toFixed(0)} KB`;
}
