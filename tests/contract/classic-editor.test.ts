import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, TASK_FOLDERS, type TaskDefinition, readTaskDefinition } from './task-definitions';

const PAGE = path.join(ROOT, 'docs', 'classic-editor.md');
/** The reference names the page gives each task (its "Output Variables" rows). */
const REFERENCE_NAMES: Readonly<Record<string, (typeof TASK_FOLDERS)[number]>> = { image: 'BuildAndPushAiImageV1', deploy: 'DeployToAciV1', aks: 'DeployToAksV1', smoke: 'SmokeTestModelV1' };

/**
 * The page's input tables (`| group | input | value |` after a task's bold friendly name), checked
 * against task.json: each label exists in that group, and a pick-list value written in *italics* is
 * one of the labels the editor shows.
 */
function problemsOf(markdown: string, definitions: readonly TaskDefinition[]): string[] {
  const problems: string[] = [];
  let task: TaskDefinition | undefined;
  let group = '';
  for (const [index, line] of markdown.split('\n').entries()) {
    const heading = /^\*\*(.+?)\*\*/.exec(line);
    if (heading) {
      task = definitions.find((definition) => definition.friendlyName === heading[1]);
      group = '';
      continue;
    }
    if (line.startsWith('#')) task = undefined;
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    if (task === undefined || cells.length !== 3 || cells[0] === 'group' || /^-+$/.test(cells[0] ?? '')) continue;
    const [groupCell = '', labelCell = '', valueCell = ''] = cells;
    if (groupCell !== '') group = groupCell;
    if (group === '**Output Variables**') continue;
    const where = `docs/classic-editor.md:${index + 1} (${task.friendlyName})`;
    const groupName = (task.groups ?? []).find((candidate) => candidate.displayName === group)?.name;
    if (groupName === undefined) {
      problems.push(`${where}: no group '${group}'.`);
      continue;
    }
    const values = valueCell.split(' / ');
    for (const [position, label] of labelCell.split(' / ').entries()) {
      const input = (task.inputs ?? []).find((candidate) => candidate.label === label);
      if (input === undefined) problems.push(`${where}: no input labelled '${label}'.`);
      else if (input.groupName !== groupName) problems.push(`${where}: '${label}' is in group '${input.groupName ?? ''}', not '${group}'.`);
      const shown = /^\*([^*]+)\*/.exec(values[position] ?? '')?.[1];
      if (input?.type === 'pickList' && shown !== undefined && !Object.values(input.options ?? {}).includes(shown)) {
        problems.push(`${where}: '${label}' offers no '${shown}' (it offers ${Object.values(input.options ?? {}).join(', ')}).`);
      }
    }
  }
  return problems;
}

describe('docs/classic-editor.md matches the tasks', () => {
  const definitions = TASK_FOLDERS.map((folder) => readTaskDefinition(folder));

  it('uses the labels, groups and pick-list labels of task.json', () => {
    const markdown = fs.readFileSync(PAGE, 'utf8');
    for (const definition of definitions) assert.ok(markdown.includes(`**${definition.friendlyName}**`), `no table for ${definition.friendlyName}`);
    assert.deepEqual(problemsOf(markdown, definitions), []);
  });

  it('names only output variables the tasks declare', () => {
    const references = [...fs.readFileSync(PAGE, 'utf8').matchAll(/\$\((image|deploy|aks|smoke)\.(\w+)\)/g)];
    assert.ok(references.length > 0, 'no $(reference.output) on the page');
    const unknown = references
      .filter(([, reference = '', output = '']) => !(readTaskDefinition(REFERENCE_NAMES[reference] ?? 'BuildAndPushAiImageV1').outputVariables ?? []).some((o) => o.name === output))
      .map(([macro]) => macro);
    assert.deepEqual(unknown, []);
  });

  it('reports a wrong label, a wrong group and a pick-list label that does not exist', () => {
    const page = [
      '**Deploy to Azure Container Instances**',
      '',
      '| group | input | value |',
      '|---|---|---|',
      '| Container | CPU cores / Memory | `1` / `1.5` |',
      '| Networking | Image | x |',
      '| Advanced | Update mode | *Recreate* |',
    ].join('\n');
    assert.deepEqual(problemsOf(page, definitions), [
      "docs/classic-editor.md:5 (Deploy to Azure Container Instances): no input labelled 'Memory'.",
      "docs/classic-editor.md:6 (Deploy to Azure Container Instances): 'Image' is in group 'container', not 'Networking'.",
      "docs/classic-editor.md:7 (Deploy to Azure Container Instances): 'Update mode' offers no 'Recreate' (it offers Update in place; fail when recreating is required, Recreate the group when a change requires it, Always delete and recreate the group).",
    ]);
  });
});
