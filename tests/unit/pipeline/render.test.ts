import assert from 'node:assert/strict';
import { parsePipeline } from '../../../scripts/pipeline/parse';
import { createStyle, LogRenderer, stepFooter, stepHeader } from '../../../scripts/pipeline/render';

const plain = createStyle(false);

describe('local pipeline runner: rendering a step log', () => {
  it('shows ##[group] sections as an indented block and marks errors, warnings and commands', () => {
    const renderer = new LogRenderer(plain);
    const lines = ['before', '##[group]docker build', 'Step 1/3', '##[warning]slow', '##[endgroup]', '##[error]Push refused', '##[command]docker push x', '##[group]open at the end', 'inside'].flatMap((line) =>
      renderer.render(line),
    );
    assert.deepEqual([...lines, ...renderer.finish()], ['before', '▼ docker build', '│ Step 1/3', '│ ⚠ slow', '└─', '✘ Push refused', '$ docker push x', '▼ open at the end', '│ inside', '└─']);
  });

  it('closes a group when the next one opens without ##[endgroup]', () => {
    const renderer = new LogRenderer(plain);
    assert.deepEqual([...renderer.render('##[group]a'), ...renderer.render('##[group]b')], ['▼ a', '└─', '▼ b']);
  });

  it('colours only when asked', () => {
    assert.equal(createStyle(true).red('x'), '\u001b[31mx\u001b[0m');
    assert.equal(plain.red('x'), 'x');
  });

  it('heads a step with its number, display name, task and reference name, and ends it with the result and time', () => {
    const [step] = parsePipeline('steps:\n  - task: DeployToAci@1\n    displayName: Deploy\n    continueOnError: true\n', 'p.yml').steps;
    assert.ok(step);
    assert.equal(stepHeader(step, 1, 3, plain), '\n━━ Step 2/3: Deploy (DeployToAci@1, name: DeployToAci, continueOnError)');
    assert.equal(stepFooter('Succeeded', 1234, plain), '✔ Succeeded in 1.2 s');
    assert.equal(stepFooter('Failed', 500, plain, true), '✘ Failed in 0.5 s (continueOnError: the job goes on)');
    assert.equal(stepFooter('Skipped', 0, plain), '○ Skipped: an earlier step failed');
    assert.equal(stepFooter('Skipped', 0, plain, false, 'cancelled'), '○ Skipped: the job was cancelled (only always() steps run then)');
  });
});
