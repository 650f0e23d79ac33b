import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutputProcessor } from '../../../scripts/agent/output-processor';
import { readOnlyAmong } from '../../../scripts/agent/read-only-variables';
import { SecretMasker } from '../../../scripts/agent/secret-masker';

describe('OutputProcessor (the agent consuming a task\'s output)', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'output-processor-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  function feed(lines: string[], options: { debug?: boolean; secrets?: string[]; outputVariables?: string[]; readOnlyVariables?: Set<string>; enforceReadOnlyVariables?: boolean } = {}) {
    const shown: string[] = [];
    const processor = new OutputProcessor(options.secrets ?? [], {
      debug: options.debug ?? false,
      onLine: (line) => shown.push(line),
      ...(options.outputVariables ? { outputVariables: options.outputVariables } : {}),
      ...(options.readOnlyVariables ? { readOnlyVariables: options.readOnlyVariables } : {}),
      ...(options.enforceReadOnlyVariables ? { enforceReadOnlyVariables: true } : {}),
    });
    for (const line of lines) processor.line(line);
    return { ...processor.collected(), shown };
  }

  it('records variables with their output and secret flags, and masks secret values from then on', () => {
    const run = feed([
      'before: s3cr3t',
      '##vso[task.setvariable variable=imageDigest;isOutput=true;issecret=false;]sha256:1',
      '##vso[task.setvariable variable=token;issecret=true;]s3cr3t',
      'after: s3cr3t',
    ]);
    assert.deepEqual(run.variables, {
      imageDigest: { value: 'sha256:1', isOutput: true, isSecret: false },
      token: { value: 's3cr3t', isOutput: false, isSecret: true },
    });
    assert.equal(run.log, 'before: s3cr3t\nafter: ***');
    assert.ok(run.secrets.includes('s3cr3t'));
  });

  it('masks secrets known from the start and those registered with setsecret, in the log and in issues', () => {
    const run = feed(['key=connection-secret', '##vso[task.setsecret]late-secret', '##vso[task.logissue type=warning]late-secret leaked'], {
      secrets: ['connection-secret'],
    });
    assert.equal(run.log, 'key=***\n##[warning]*** leaked');
    assert.deepEqual(run.issues, [{ type: 'warning', message: '*** leaked' }]);
  });

  it('takes the result and message from task.complete, and errors from task.issue', () => {
    const run = feed([
      '##vso[task.issue type=error;source=TaskInternal;]Input \'image\' is required but was not set.',
      '##vso[task.complete result=Failed;]Input \'image\' is required but was not set.',
    ]);
    assert.equal(run.taskResult, 'Failed');
    assert.equal(run.message, "Input 'image' is required but was not set.");
    assert.deepEqual(run.issues, [{ type: 'error', message: "Input 'image' is required but was not set." }]);
    assert.equal(run.log, "##[error]Input 'image' is required but was not set.");
  });

  it('hides debug lines unless system.debug, and then echoes processed commands', () => {
    assert.equal(feed(['##vso[task.debug]detail', 'info']).log, 'info');
    assert.equal(feed(['##vso[task.debug]detail', '##vso[task.setvariable variable=a]1'], { debug: true }).log, '##[debug]detail\n##[debug]Processed: ##vso[task.setvariable variable=a]1');
  });

  it('reads summaries, other attachments and published test results from the files they name', () => {
    const summary = path.join(folder, 'summary.md');
    const junit = path.join(folder, 'results.xml');
    fs.writeFileSync(summary, '# Deployed');
    fs.writeFileSync(junit, '<testsuites/>');
    const run = feed([
      `##vso[task.addattachment type=Distributedtask.Core.Summary;name=Deployment;]${summary}`,
      `##vso[task.uploadsummary]${summary}`,
      `##vso[task.addattachment type=myType;name=raw;]${junit}`,
      `##vso[results.publish type=JUnit;mergeResults=false;resultFiles=${junit};runTitle=Smoke test;]`,
      '##[group]Pushing',
      '##[endgroup]',
    ]);
    assert.deepEqual(run.summaries, [
      { name: 'Deployment', content: '# Deployed' },
      { name: 'summary.md', content: '# Deployed' },
    ]);
    assert.deepEqual(run.attachments, [{ type: 'myType', name: 'raw', content: '<testsuites/>' }]);
    assert.deepEqual(run.testResults, [{ type: 'JUnit', files: [junit], title: 'Smoke test', contents: ['<testsuites/>'] }]);
    assert.equal(run.log, '##[group]Pushing\n##[endgroup]');
  });

  it('keeps the worst task.complete result and accepts only exact-case names (TaskCompleteCommand, TaskResultUtil.MergeTaskResults)', () => {
    assert.equal(feed(['##vso[task.complete result=Failed;]a', '##vso[task.complete result=Succeeded;]b']).taskResult, 'Failed');
    assert.equal(feed(['##vso[task.complete result=SucceededWithIssues;]', '##vso[task.complete result=Succeeded;]']).taskResult, 'SucceededWithIssues');
    const lowerCase = feed(['##vso[task.complete result=succeeded;]done']);
    assert.equal(lowerCase.taskResult, undefined);
    assert.equal(lowerCase.commandErrors.length, 1);
    assert.equal(feed(['##vso[task.complete result=Bogus;]']).commandErrors.length, 1);
  });

  it('refuses an attachment whose file is missing, or whose name or type has a character invalid in a Windows file name (TaskAddAttachmentCommand)', () => {
    const file = path.join(folder, 'summary.md');
    fs.writeFileSync(file, '# x');
    for (const line of [
      `##vso[task.addattachment type=Distributedtask.Core.Summary;name=Deployment: prod;]${file}`,
      `##vso[task.addattachment type=Distributedtask.Core.Summary;name=a/b;]${file}`,
      `##vso[task.addattachment type=my:type;name=ok;]${file}`,
      `##vso[task.addattachment type=Distributedtask.Core.Summary;name=ok;]${path.join(folder, 'missing.md')}`,
      '##vso[task.addattachment type=Distributedtask.Core.Summary;name=ok;]summary.md',
      '##vso[task.uploadsummary]',
    ]) {
      const run = feed([line]);
      assert.equal(run.commandErrors.length, 1, line);
      assert.deepEqual(run.summaries, []);
      assert.match(run.log, /^##\[error\]Unable to process command/);
    }
  });

  it('refuses a logissue type other than error or warning, and warns on one without a type (TaskIssueCommand)', () => {
    assert.equal(feed(['##vso[task.logissue type=info;]x']).commandErrors.length, 1);
    assert.deepEqual(feed(['##vso[task.logissue type=Warning;]careful']).issues, [{ type: 'warning', message: 'careful' }]);
    const untyped = feed(['##vso[task.logissue]x']);
    assert.equal(untyped.commandErrors.length, 0);
    assert.deepEqual(untyped.issues, [{ type: 'warning', message: "Can't create TaskIssue from logging event." }]);
  });

  it('refuses a multi-line secret variable and a variable without a name (TaskSetVariableCommand)', () => {
    const multiLine = feed(['##vso[task.setvariable variable=key;issecret=true;]line1%0Aline2']);
    assert.equal(multiLine.commandErrors.length, 1);
    assert.deepEqual(multiLine.variables, {});
    assert.equal(feed(['##vso[task.setvariable issecret=false;]x']).commandErrors.length, 1);
  });

  it('makes a variable declared in outputVariables an output without isOutput (ExecutionContext.SetVariable)', () => {
    assert.deepEqual(feed(['##vso[task.setvariable variable=url;]http://x'], { outputVariables: ['url'] }).variables, { url: { value: 'http://x', isOutput: true, isSecret: false } });
  });

  it('reads the JUnit title from runTitle only, and refuses a publish without files (ResultsCommandExtension)', () => {
    const junit = path.join(folder, 'results.xml');
    fs.writeFileSync(junit, '<testsuites/>');
    assert.equal(feed([`##vso[results.publish type=JUnit;resultFiles=${junit};testRunTitle=Smoke test;]`]).testResults[0]?.title, undefined);
    assert.equal(feed(['##vso[results.publish type=JUnit;]']).commandErrors.length, 1);
  });

  it('parses a published JUnit file as the agent does: malformed XML or a missing file is a warning, never a failed step (TestDataPublisher.PublishAsync)', () => {
    const good = path.join(folder, 'good.xml');
    const malformed = path.join(folder, 'malformed.xml');
    fs.writeFileSync(good, '<testsuites><testsuite name="s"><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite></testsuites>');
    fs.writeFileSync(malformed, '<testsuites><testsuite name="s"><testcase name="a & b"/></testsuites>');
    const ok = feed([`##vso[results.publish type=JUnit;resultFiles=${good};runTitle=t;]`]);
    assert.deepEqual([ok.issues, ok.commandErrors, ok.taskResult], [[], [], undefined], 'failed tests alone do not fail the step');
    const bad = feed([`##vso[results.publish type=JUnit;resultFiles=${malformed};]`]);
    assert.equal(bad.commandErrors.length, 0);
    assert.equal(bad.taskResult, undefined);
    assert.match(bad.issues[0]?.message ?? '', /^Failed to publish test run data: .*malformed\.xml: /);
    assert.equal(bad.issues[0]?.type, 'warning');
    assert.match(feed([`##vso[results.publish type=JUnit;resultFiles=${path.join(folder, 'none.xml')};]`]).issues[0]?.message ?? '', /Could not find file/);
    fs.writeFileSync(malformed, '<html><body>not a test report</body></html>');
    assert.match(feed([`##vso[results.publish type=JUnit;resultFiles=${malformed};]`]).issues[0]?.message ?? '', /the root element is <html>/);
    assert.match(feed([`##vso[results.publish type=Mocha;resultFiles=${good};]`]).issues[0]?.message ?? '', /Unknown test runner/);
  });

  it('fails the step on failed tests only with failTaskOnFailedTests=true, and reads the files from the data too (ResultsCommandExtension)', () => {
    const junit = path.join(folder, 'results.xml');
    fs.writeFileSync(junit, '<testsuite name="s"><testsuite name="inner"><testcase name="b"><error message="x"/></testcase></testsuite></testsuite>');
    const failing = feed([`##vso[results.publish type=JUnit;failTaskOnFailedTests=true;]${junit}`]);
    assert.equal(failing.taskResult, 'Failed');
    assert.deepEqual(failing.testResults.map((r) => r.files), [[junit]]);
    assert.match(failing.log, /##\[error\]There are one or more test failures detected in result files/);
    fs.writeFileSync(junit, '<testsuite name="s"><testcase name="a"/><testcase name="c"><skipped/></testcase></testsuite>');
    assert.equal(feed([`##vso[results.publish type=JUnit;failTaskOnFailedTests=true;]${junit}`]).taskResult, undefined);
  });

  it('warns when a task overwrites a read-only variable, and refuses it when agent.readOnlyVariables is true (TaskSetVariableCommand, Variables.IsReadOnly)', () => {
    const readOnly = readOnlyAmong(['Agent.TempDirectory', 'System.AccessToken', 'modelUrl']);
    assert.deepEqual([...readOnly].sort(), ['agent.tempdirectory', 'system.accesstoken']);
    const warned = feed(['##vso[task.setvariable variable=agent.tempDirectory;]/tmp/x'], { readOnlyVariables: readOnly });
    assert.match(warned.issues[0]?.message ?? '', /^Overwriting readonly variable 'agent\.tempDirectory'\. This behavior will be disabled in the future\./);
    assert.equal(warned.variables['agent.tempDirectory']?.value, '/tmp/x', 'the agent still sets it after the warning');
    const refused = feed(['##vso[task.setvariable variable=System.AccessToken;]x'], { readOnlyVariables: readOnly, enforceReadOnlyVariables: true });
    assert.match(refused.commandErrors[0] ?? '', /Overwriting readonly variable 'System\.AccessToken' is not permitted\./);
    assert.deepEqual(refused.variables, {});
    const ownReadOnly = feed(['##vso[task.setvariable variable=pinned;isreadonly=true;]1', '##vso[task.setvariable variable=Pinned;]2']);
    assert.equal(ownReadOnly.variables.pinned?.isReadOnly, true);
    assert.match(ownReadOnly.issues[0]?.message ?? '', /Overwriting readonly variable 'Pinned'/);
    assert.equal(feed(['##vso[task.setvariable variable=modelUrl;]x'], { readOnlyVariables: readOnly }).issues.length, 0);
  });

  it('collects task.prependpath for the later steps, last first, and refuses an empty one (TaskPrepandPathCommand)', () => {
    const run = feed(['##vso[task.prependpath]/opt/a', '##vso[task.prependpath]/opt/b', '##vso[task.prependpath]/opt/a']);
    assert.deepEqual(run.prependPath, ['/opt/b', '/opt/a']);
    assert.equal(feed(['##vso[task.prependpath]']).commandErrors.length, 1);
  });

  it('asks for a forced completion on task.complete done=true (1, true, $true in any case), not otherwise (TaskCompleteCommand)', () => {
    for (const [done, expected] of [['true', 1], ['$TRUE', 1], ['1', 1], ['false', 0], ['yes', 0]] as const) {
      let asked = 0;
      const processor = new OutputProcessor([], { debug: false, onDone: () => (asked += 1) });
      processor.line(`##vso[task.complete result=Succeeded;done=${done};]ok`);
      assert.equal(asked, expected, done);
    }
  });

  it('fails on an unknown command of a known area, warns on an unknown area and on a malformed ##vso line (WorkerCommandManager)', () => {
    assert.equal(feed(['##vso[task.nosuchcommand]x']).commandErrors.length, 1);
    const unknownArea = feed(['##vso[nosucharea.event]x']);
    assert.equal(unknownArea.commandErrors.length, 0);
    assert.equal(unknownArea.issues[0]?.type, 'warning');
    const malformed = feed(['##vso[task.setvariable variable=x']);
    assert.equal(malformed.issues[0]?.type, 'warning');
  });

  it('passes each shown line to onLine', () => {
    assert.deepEqual(feed(['a', '##vso[task.debug]x', 'b']).shown, ['a', 'b']);
  });
});

describe('SecretMasker', () => {
  it('masks longer secrets first, and a multi-line secret only where it appears whole (as the agent does)', () => {
    const masker = new SecretMasker();
    masker.add('abc');
    masker.add('abcdef');
    masker.add('-----BEGIN PRIVATE KEY-----\nKEYLINE\n-----END PRIVATE KEY-----');
    assert.equal(masker.mask('abcdef abc KEYLINE -----BEGIN PRIVATE KEY-----'), '*** *** KEYLINE -----BEGIN PRIVATE KEY-----');
    assert.equal(masker.mask('key: -----BEGIN PRIVATE KEY-----\nKEYLINE\n-----END PRIVATE KEY-----.'), 'key: ***.');
    masker.add('   ');
    masker.add(undefined);
    assert.equal(masker.mask('   '), '   ');
  });

  it("masks a value's JSON- and URI-escaped forms (HostContext.cs value encoders)", () => {
    const masker = new SecretMasker();
    masker.add('p@ss"word/1');
    assert.equal(masker.mask('{"password":"p@ss\\"word/1"} ?p=p%40ss%22word%2F1'), '{"password":"***"} ?p=***');
  });

  it("masks a secret variable's base64 and logging-command escaped forms (Worker.cs InitializeSecretMasker)", () => {
    const masker = new SecretMasker();
    masker.addSecretVariable('sec%ret');
    assert.equal(masker.mask(`${Buffer.from('sec%ret').toString('base64')} sec%AZP25ret sec%ret`), '*** *** ***');
  });
});
