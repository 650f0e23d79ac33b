/**
 * `npm run bench`: runs every benchmark module in scripts/bench/ (each exports
 * `run(): Promise<{ title, rows, notes? }>`) and prints its results as markdown tables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
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
  for (const file of modules) {
    const module = (await import(pathToFileURL(path.join(folder, file)).href)) as { run?: () => Promise<BenchResult> };
    if (typeof module.run !== 'function') continue;
    try {
      const result = await module.run();
      console.log(`\n## ${result.title}\n\n${markdownTable(result.rows)}`);
      for (const note of result.notes ?? []) console.log(`\n${note}`);
    } catch (error) {
      failed += 1;
      console.log(`\n## ${file}\n\nFailed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
