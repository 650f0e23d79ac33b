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

  function feed(lines: string[], options: { debug?: boolean; secrets?: string[] } = {}) {
    const shown: string[] = [];
    const processor = new OutputProcessor(options.secrets ?? [], { debug: options.debug ?? false, onLine: (line) => shown.push(line) });
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
    assert.deepEqual(run.secrets, ['s3cr3t']);
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
    assert.equal(run.result, 'Failed');
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
      `##vso[results.publish type=JUnit;mergeResults=false;resultFiles=${junit};testRunTitle=Smoke test;]`,
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

  it('passes each shown line to onLine', () => {
    assert.deepEqual(feed(['a', '##vso[task.debug]x', 'b']).shown, ['a', 'b']);
  });
});

describe('SecretMasker', () => {
  it('masks longer secrets first and each line of a multi-line secret, but not PEM armour', () => {
    const masker = new SecretMasker();
    masker.add('abc');
    masker.add('abcdef');
    masker.add('-----BEGIN PRIVATE KEY-----\nKEYLINE\n-----END PRIVATE KEY-----');
    assert.equal(masker.mask('abcdef abc KEYLINE -----BEGIN PRIVATE KEY-----'), '*** *** *** -----BEGIN PRIVATE KEY-----');
    masker.add('   ');
    masker.add(undefined);
    assert.equal(masker.mask('   '), '   ');
  });
});
