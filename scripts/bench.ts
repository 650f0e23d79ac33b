/**
 * `npm run bench`: runs every benchmark module in scripts/bench/ (each exports
 * `run(): Promise<{ title, rows, notes?, comparisons? }>`) and prints its results as markdown tables,
 * then the task-versus-raw comparisons of all modules side by side in one table with their aims.
 * `npm run bench -- cold smoke` runs only the modules whose file names start with those words.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Comparison, comparisonRow } from './bench/support/comparison';
import type { BenchResult } from './bench/types';

function markdownTable(rows: Record<string, string | number>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | number | undefined): string => String(value ?? '').replace(/\|/g, '\\|');
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map((column) => (typeof rows[0]?.[column] === 'number' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${columns.map((column) => cell(row[column])).join(' | ')} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const folder = path.join(__dirname, 'bench');
  const modules = fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && file !== 'types.ts' && !file.startsWith('_'))
    .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
    .sort();
  let failed = 0;
  const comparisons: Comparison[] = [];
  const loads: string[] = [];
  for (const file of modules) {
    const module = (await import(pathToFileURL(path.join(folder, file)).href)) as { run?: () => Promise<BenchResult> };
    if (typeof module.run !== 'function') continue;
    try {
      loads.push(os.loadavg()[0]?.toFixed(1) ?? '?');
      const result = await module.run();
      comparisons.push(...(result.comparisons ?? []));
      console.log(`\n## ${result.title}\n\n${markdownTable(result.rows)}`);
      for (const note of result.notes ?? []) console.log(`\n${note}`);
    } catch (error) {
      failed += 1;
      console.log(`\n## ${file}\n\nFailed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (comparisons.length > 0) {
    console.log(`\n## Task vs raw, side by side (samples taken in turn A B A B ...)\n\n${markdownTable(comparisons.map(comparisonRow))}`);
    console.log(`\nLoad average (1 min) at the start of each module: ${loads.join(', ')}; now ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs.`);
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
