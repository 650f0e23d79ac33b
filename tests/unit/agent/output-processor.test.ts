import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutputProcessor } from '../../../scripts/agent/output-processor';
import { SecretMasker } from '../../../scripts/agent/secret-masker';

describe('OutputProcessor (the agent consuming a task\'s output)', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'output-processor-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  function feed(lines: string[], options: { debug?: boolean; secrets?: string[]; outputVariables?: string[] } = {}) {
    const shown: string[] = [];
    const processor = new OutputProcessor(options.secrets ?? [], {
      debug: options.debug ?? false,
      onLine: (line) => shown.push(line),
      ...(options.outputVariables ? { outputVariables: options.outputVariables } : {}),
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
