/**
 * Task-versus-raw comparisons for `npm run bench`: samples taken in turn (A B A B ...) so that drift
 * on a shared machine affects both sides alike, summarised as median, min and max, with the ratio of
 * each pair and the aim beside them.
 */
import { median } from '../types';

/** What the issue asks of a measure. */
export type Aim =
  | { kind: 'ratio'; atMost: number } // task / raw
  | { kind: 'over'; atMost: number } // task - raw, in the measure's unit
  | { kind: 'value'; atMost: number } // the task's own figure
  | { kind: 'close'; ratioAtMost: number; orOverAtMost: number }; // within a ratio or an absolute difference

export interface Comparison {
  measure: string;
  unit: string;
  task: number[];
  /** The raw tool's samples, taken in turn with the task's (same length), when there is a raw tool. */
  raw?: number[];
  rawLabel?: string;
  aim: Aim;
}

/** Runs `a` and `b` in turn `rounds` times (A B A B ...); each returns one sample. */
export async function inTurn(rounds: number, a: (round: number) => Promise<number>, b: (round: number) => Promise<number>): Promise<{ a: number[]; b: number[] }> {
  const samples = { a: [] as number[], b: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    samples.a.push(await a(round));
    samples.b.push(await b(round));
  }
  return samples;
}

/** Milliseconds `work` takes. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  return magnitude >= 100 ? Math.round(value) : magnitude >= 10 ? Math.round(value * 10) / 10 : Math.round(value * 100) / 100;
}

function spread(values: readonly number[]): string {
  if (values.length === 0) return '-';
  return `${round(median([...values]))} (${round(Math.min(...values))}-${round(Math.max(...values))})`;
}

function describeAim(aim: Aim, unit: string): string {
  switch (aim.kind) {
    case 'ratio':
      return `<= ${aim.atMost}x`;
    case 'over':
      return `<= +${aim.atMost} ${unit}`;
    case 'value':
      return `<= ${aim.atMost} ${unit}`;
    case 'close':
      return `within ${Math.round((aim.ratioAtMost - 1) * 100)} % or +${aim.orOverAtMost} ${unit}`;
  }
}

function meets(aim: Aim, task: number, raw: number | undefined): boolean {
  switch (aim.kind) {
    case 'ratio':
      return raw !== undefined && task / raw <= aim.atMost;
    case 'over':
      return raw !== undefined && task - raw <= aim.atMost;
    case 'value':
      return task <= aim.atMost;
    case 'close':
      return raw !== undefined && (task / raw <= aim.ratioAtMost || task - raw <= aim.orOverAtMost);
  }
}

/** One row of the side-by-side table: medians (min-max), the pairs' median ratio and difference, the aim and whether it is met. */
export function comparisonRow(comparison: Comparison): Record<string, string> {
  const { task, raw, unit, aim } = comparison;
  const taskMedian = median([...task]);
  const rawMedian = raw && raw.length > 0 ? median([...raw]) : undefined;
  const ratios = raw ? task.map((value, i) => value / (raw[i] ?? Number.NaN)).filter(Number.isFinite) : [];
  return {
    measure: comparison.measure,
    [`task, median (min-max)`]: `${spread(task)} ${unit}`,
    raw: raw ? `${comparison.rawLabel ?? 'raw'}: ${spread(raw)} ${unit}` : '-',
    'ratio (pairs)': ratios.length > 0 ? `${round(median(ratios))}x` : '-',
    difference: rawMedian !== undefined ? `${taskMedian - rawMedian >= 0 ? '+' : ''}${round(taskMedian - rawMedian)} ${unit}` : '-',
    aim: describeAim(aim, unit),
    met: meets(aim, taskMedian, rawMedian) ? 'yes' : 'NO',
    runs: String(task.length),
  };
}
