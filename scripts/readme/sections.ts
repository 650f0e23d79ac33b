import * as fs from 'node:fs';
import * as path from 'node:path';
import { TASK_NAMES } from '../build/task-names';
import { type TaskJsonForDocs, inputsTable, outputsTable } from './inputs-table';

export const ROOT = path.resolve(__dirname, '..', '..');
export const README = path.join(ROOT, 'README.md');

type Kind = 'inputs' | 'outputs';

/** The task name README markers use: `BuildAndPushAiImage` for tasks/BuildAndPushAiImageV1. */
export function taskMarkerName(folder: string): string {
  return folder.replace(/V\d+$/, '');
}

function markers(kind: Kind, task: string): { start: string; end: string } {
  return { start: `<!-- ${kind}:${task}:start -->`, end: `<!-- ${kind}:${task}:end -->` };
}

export interface ReadmeCheck {
  /** README.md with every generated section up to date. */
  updated: string;
  /** What is wrong with the current README.md (empty when it is up to date). */
  problems: string[];
}

/**
 * Regenerates every section between markers. Input markers are required for each task; output
 * markers are optional.
 */
export function checkReadme(readme: string): ReadmeCheck {
  let updated = readme;
  const problems: string[] = [];
  for (const folder of TASK_NAMES) {
    const task = taskMarkerName(folder);
    const definition = JSON.parse(fs.readFileSync(path.join(ROOT, 'tasks', folder, 'task.json'), 'utf8')) as TaskJsonForDocs;
    const sections: [Kind, string, boolean][] = [
      ['inputs', inputsTable(definition), true],
      ['outputs', outputsTable(definition), false],
    ];
    for (const [kind, table, required] of sections) {
      const { start, end } = markers(kind, task);
      const from = updated.indexOf(start);
      const to = updated.indexOf(end);
      if (from < 0 || to < from) {
        if (required) problems.push(`README.md has no ${start} ... ${end} markers for the ${task} inputs table.`);
        continue;
      }
      const current = updated.slice(from + start.length, to);
      const wanted = `\n${table}\n`;
      if (current !== wanted) {
        problems.push(`README.md: the ${kind} table of ${task} is stale (task.json changed).`);
        updated = `${updated.slice(0, from + start.length)}${wanted}${updated.slice(to)}`;
      }
    }
  }
  return { updated, problems };
}
