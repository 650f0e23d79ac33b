import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as esbuild from 'esbuild';
import { LAZY_BUNDLE, lazyEntry, lazyPackagesPlugin } from '../../../scripts/build/lazy-bundle';

describe('the SDK file beside a bundle (azure-sdk.js)', () => {
  it('gives each package through a getter that evaluates it on first read', () => {
    const entry = lazyEntry(['@azure/identity', 'azure-devops-node-api']);
    const exports: Record<string, unknown> = {};
    const loaded: string[] = [];
    vm.runInNewContext(entry, { exports, require: (name: string) => (loaded.push(name), { name }) });
    assert.deepEqual(Object.keys(exports), ['@azure/identity', 'azure-devops-node-api']);
    assert.deepEqual(loaded, [], 'nothing is evaluated until read');
    assert.deepEqual(exports['@azure/identity'], { name: '@azure/identity' });
    assert.deepEqual(loaded, ['@azure/identity']);
  });

  it("turns the task's imports of SDK packages into reads of azure-sdk.js and records them", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-bundle-'));
    try {
      fs.writeFileSync(path.join(folder, 'entry.js'), "exports.load = async () => (await import('@azure/identity')).name;\n");
      const specifiers = new Set<string>();
      const result = await esbuild.build({ entryPoints: [path.join(folder, 'entry.js')], bundle: true, platform: 'node', format: 'cjs', write: false, plugins: [lazyPackagesPlugin(specifiers)], logLevel: 'silent' });
      assert.deepEqual([...specifiers], ['@azure/identity']);
      const code = result.outputFiles[0]?.text ?? '';
      assert.ok(code.includes(`require("./${LAZY_BUNDLE}")["@azure/identity"]`), code);
      assert.ok(!code.includes('ClientSecretCredential'), 'the SDK itself is not in the bundle');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
