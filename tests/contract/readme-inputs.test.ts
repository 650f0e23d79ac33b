import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { README, checkReadme } from '../../scripts/readme/sections';
import { TASK_NAMES } from '../../scripts/build/task-names';

describe("README.md inputs tables (generated from task.json)", () => {
  it('exist for every task and are up to date', () => {
    assert.ok(fs.existsSync(README), 'README.md does not exist');
    const { problems } = checkReadme(fs.readFileSync(README, 'utf8'));
    assert.deepEqual(problems, [], `${problems.join('\n')}\nRun 'npx tsx scripts/readme-inputs.ts --write'.`);
  });

  it('are reported stale when a table is edited by hand, and regenerated', () => {
    const readme = fs.readFileSync(README, 'utf8');
    const edited = readme.replace(/(<!-- inputs:DeployToAci:start -->\n)\| Input/, '$1| Hand-edited');
    assert.notEqual(edited, readme, 'the DeployToAci inputs table was not found');
    const { updated, problems } = checkReadme(edited);
    assert.deepEqual(problems, ['README.md: the inputs table of DeployToAci is stale (task.json changed).']);
    assert.equal(updated, readme);
  });

  it('are reported missing when the markers are missing', () => {
    const { problems } = checkReadme('# no markers');
    assert.equal(problems.length, TASK_NAMES.length);
    assert.match(problems[0] ?? '', /no <!-- inputs:BuildAndPushAiImage:start -->/);
  });
});
