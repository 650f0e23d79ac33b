import { strict as assert } from 'node:assert';
import { LineNeutraliser, neutralise, neutraliseLine } from '../../../tasks/common/neutralise';
import { parseLoggingCommand } from '../../../scripts/agent/logging-command';

describe('neutralise (foreign output cannot run pipeline commands)', () => {
  it('defuses ##vso[ and ##[ anywhere in a line, in any case', () => {
    assert.equal(neutraliseLine('RUN echo ##vso[task.setvariable variable=x]1'), 'RUN echo ##~vso[task.setvariable variable=x]1');
    assert.equal(neutraliseLine('##VSO[task.complete result=Failed]'), '##~vso[task.complete result=Failed]');
    assert.equal(neutraliseLine('##[group]fake'), '##~[group]fake');
    assert.equal(parseLoggingCommand(neutraliseLine('x ##vso[task.setsecret]y')), undefined);
  });

  it('keeps line breaks and text without commands as they were', () => {
    assert.equal(neutralise('a\r\n##vso[x.y]z\nb'), 'a\r\n##~vso[x.y]z\nb');
    assert.equal(neutralise('plain # text ## [not a command]'), 'plain # text ## [not a command]');
  });

  it('catches a command split across chunks, at every split point', () => {
    const text = 'step 1\n##vso[task.setvariable variable=imageDigest;isOutput=true]evil\ndone';
    for (let split = 0; split <= text.length; split++) {
      const lines: string[] = [];
      const neutraliser = new LineNeutraliser((line) => lines.push(line));
      neutraliser.write(text.slice(0, split));
      neutraliser.write(Buffer.from(text.slice(split)));
      neutraliser.end();
      assert.deepEqual(lines, ['step 1', '##~vso[task.setvariable variable=imageDigest;isOutput=true]evil', 'done'], `split at ${split}`);
      assert.ok(lines.every((line) => parseLoggingCommand(line) === undefined));
    }
  });

  it('flushes a last line without a newline only at the end', () => {
    const lines: string[] = [];
    const neutraliser = new LineNeutraliser((line) => lines.push(line));
    neutraliser.write('partial ##v');
    assert.deepEqual(lines, []);
    neutraliser.write('so[x.y]');
    neutraliser.end();
    neutraliser.end();
    assert.deepEqual(lines, ['partial ##~vso[x.y]']);
  });
});
