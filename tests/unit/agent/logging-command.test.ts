import { strict as assert } from 'node:assert';
import { escapeValue, formatLoggingCommand, parseLoggingCommand, unescapeValue } from '../../../scripts/agent/logging-command';

describe('parseLoggingCommand', () => {
  it('parses area, event, properties (keys case-insensitive) and message', () => {
    assert.deepEqual(parseLoggingCommand('##vso[task.setvariable variable=imageDigest;isOutput=true;]sha256:abc'), {
      area: 'task',
      event: 'setvariable',
      properties: { variable: 'imageDigest', isoutput: 'true' },
      message: 'sha256:abc',
    });
  });

  it("finds a command anywhere in the line, as the agent does", () => {
    assert.equal(parseLoggingCommand('step 3/4 : RUN echo ##vso[task.setvariable variable=x]1')?.event, 'setvariable');
  });

  it('undoes the agent escaping in values and messages: %3B %0D %0A %5D and %AZP25 only, exact case (CommandStringConvertor.Unescape)', () => {
    const command = parseLoggingCommand('##vso[task.logissue type=error;sourcepath=a%3Bb%5Dc%0Dd%0Ae%AZP25f]line1%0Aline2 100%AZP25 %25 %0a %azp25');
    assert.equal(command?.properties.sourcepath, 'a;b]c\rd\ne%f');
    assert.equal(command?.message, 'line1\nline2 100% %25 %0a %azp25');
  });

  it('skips a malformed property and keeps the others; keys are not trimmed (Command.TryParse)', () => {
    assert.deepEqual(parseLoggingCommand('##vso[task.setvariable novalue;variable=x;empty=;=orphan; isOutput=true]v')?.properties, { variable: 'x', ' isoutput': 'true' });
    assert.equal(parseLoggingCommand('##vso[task.setvariable variable=a==b]v')?.properties.variable, 'a==b');
  });

  it('round-trips with the escaping task-lib uses, even for literal escape sequences', () => {
    for (const text of ['plain', 'a;b]c', '100%', 'literal %3B and %AZP25', 'two\nlines\r']) {
      assert.equal(unescapeValue(escapeValue(text)), text);
      const parsed = parseLoggingCommand(formatLoggingCommand('task.setvariable', { variable: text }, text));
      assert.equal(parsed?.properties.variable, text);
      assert.equal(parsed?.message, text);
    }
  });

  it('ignores lines without a well-formed command', () => {
    assert.equal(parseLoggingCommand('hello'), undefined);
    assert.equal(parseLoggingCommand('##vso[task.setvariable variable=x'), undefined);
    assert.equal(parseLoggingCommand('##vso[nodot]x'), undefined);
    assert.equal(parseLoggingCommand('##vso[ task.complete]x'), undefined);
    assert.equal(parseLoggingCommand('##vso[a.b.c]x'), undefined);
    assert.equal(parseLoggingCommand('##~vso[task.complete result=Failed]neutralised'), undefined);
  });
});
