import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprintOf, openFingerprintStore } from '../../../scripts/pipeline/fingerprints';
import { parsePipeline } from '../../../scripts/pipeline/parse';
import { usesExampleApp } from '../../../scripts/pipeline/up-to-date';
import { writeFolderOnce } from '../../../scripts/pipeline/write-folder-once';

describe('local pipeline runner: only what changed, only what is used', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fingerprints-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('fingerprints contents: the same files give the same print, any change of content, name or presence another', () => {
    fs.mkdirSync(path.join(folder, 'src'));
    fs.writeFileSync(path.join(folder, 'src', 'a.ts'), 'one');
    const first = fingerprintOf(folder, ['src', 'missing.json']);
    assert.equal(fingerprintOf(folder, ['missing.json', 'src']), first);
    fs.writeFileSync(path.join(folder, 'src', 'a.ts'), 'two');
    const changed = fingerprintOf(folder, ['src', 'missing.json']);
    assert.notEqual(changed, first);
    fs.renameSync(path.join(folder, 'src', 'a.ts'), path.join(folder, 'src', 'b.ts'));
    assert.notEqual(fingerprintOf(folder, ['src', 'missing.json']), changed);
    fs.writeFileSync(path.join(folder, 'missing.json'), '');
    assert.notEqual(fingerprintOf(folder, ['src', 'missing.json']), changed);
  });

  it('keeps what a fingerprint stood for across runs, and forgets it when the fingerprint changes', () => {
    const file = path.join(folder, 'cache', 'fingerprints.json');
    openFingerprintStore(file).record('vsix', 'abc', 'out/x.vsix');
    assert.equal(openFingerprintStore(file).get('vsix', 'abc'), 'out/x.vsix');
    assert.equal(openFingerprintStore(file).get('vsix', 'abd'), undefined);
    assert.equal(openFingerprintStore(path.join(folder, 'none.json')).get('vsix', 'abc'), undefined);
  });

  it('keeps the records of two runs that share the store, and leaves no temporary file', () => {
    const file = path.join(folder, 'cache', 'fingerprints.json');
    const first = openFingerprintStore(file);
    const second = openFingerprintStore(file);
    first.record('vsix', 'abc', 'out/x.vsix');
    second.record('bundles', 'def');
    const reread = openFingerprintStore(file);
    assert.equal(reread.get('vsix', 'abc'), 'out/x.vsix');
    assert.equal(reread.get('bundles', 'def'), '');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['fingerprints.json']);
  });

  it('puts a cached folder in place whole, once, when two runs write it at the same time', async () => {
    const target = path.join(folder, 'cache', 'base-node-20-0123456789abcdef');
    const writes: string[] = [];
    const writer = (content: string, delayInMs: number) => async (into: string): Promise<void> => {
      writes.push(content);
      fs.mkdirSync(into, { recursive: true });
      fs.writeFileSync(path.join(into, 'part-1'), content);
      await new Promise((resolve) => setTimeout(resolve, delayInMs));
      fs.writeFileSync(path.join(into, 'part-2'), content);
    };
    await Promise.all([writeFolderOnce(target, writer('a', 30)), writeFolderOnce(target, writer('b', 5))]);
    assert.deepEqual(writes.sort(), ['a', 'b']);
    const parts = fs.readdirSync(target).sort().map((name) => fs.readFileSync(path.join(target, name), 'utf8'));
    assert.deepEqual(parts, ['b', 'b'], 'the copy that was whole first, both of its parts');
    assert.deepEqual(fs.readdirSync(path.dirname(target)), [path.basename(target)], 'no temporary folder left');
    await writeFolderOnce(target, () => Promise.reject(new Error('a copy in place is not written again')));
    await assert.rejects(writeFolderOnce(path.join(folder, 'cache', 'other'), (into) => {
      fs.mkdirSync(into);
      return Promise.reject(new Error('export failed'));
    }), /export failed/);
    assert.deepEqual(fs.readdirSync(path.dirname(target)), [path.basename(target)], 'a failed write leaves nothing');
  });

  it("prepares the example app's dist/ only for a pipeline that builds it", () => {
    const build = (context: string): ReturnType<typeof parsePipeline> =>
      parsePipeline(['variables:', '  app: examples/model-app', 'steps:', '  - task: BuildAndPushAiImage@1', '    inputs:', '      repository: r', `      buildContext: ${context}`, ''].join('\n'), 'p.yml');
    assert.equal(usesExampleApp(build('$(app)'), { app: 'examples/model-app' }, '/repo', '/repo'), true);
    assert.equal(usesExampleApp(build('examples/model-app/'), {}, '/repo', '/repo'), true);
    assert.equal(usesExampleApp(build('pricing'), {}, '/repo', '/repo'), false);
    assert.equal(usesExampleApp(build('examples/model-app'), {}, '/elsewhere', '/repo'), false);
    assert.equal(usesExampleApp(parsePipeline('steps:\n  - task: SmokeTestModel@1\n', 'p.yml'), {}, '/repo', '/repo'), false);
  });
});
