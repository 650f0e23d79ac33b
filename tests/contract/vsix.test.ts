import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createVsix, devTaskId } from '../../scripts/package';
import { readVsix } from '../../scripts/package/read-vsix';
import { ROOT, TASK_FOLDERS } from './task-definitions';

interface VsoManifest {
  contributions: { id: string; type: string; targets: string[]; properties: { name: string } }[];
}

const ALLOWED_TASK_FILES = ['task.json', 'icon.png', 'dist/index.js', 'dist/azure-sdk.js', 'dist/THIRD-PARTY-NOTICES.txt'];

describe('npm run package: the .vsix', function () {
  this.timeout(180_000);
  let files: Map<string, Buffer>;
  let devFiles: Map<string, Buffer>;

  before(async () => {
    devFiles = await readVsix(await createVsix({ dev: true }));
    files = await readVsix(await createVsix({ dev: false, build: false }));
  });

  const text = (name: string, from = files): string => {
    const content = from.get(name);
    assert.ok(content, `${name} is not in the .vsix (it holds: ${[...from.keys()].join(', ')})`);
    return content.toString('utf8');
  };

  it('declares the extension identity, its icon and its overview', () => {
    const manifest = text('extension.vsixmanifest');
    assert.match(manifest, /<Identity [^>]*Id="ai-model-deploy"/);
    assert.match(manifest, /<Identity [^>]*Publisher="ai-model-deploy"/);
    assert.ok(files.has('images/extension-icon.png'));
    assert.ok(files.has('overview.md'));
  });

  it('contributes exactly the tasks, each pointing at its folder', () => {
    const vso = JSON.parse(text('extension.vsomanifest')) as VsoManifest;
    const tasks = vso.contributions.filter((c) => c.type === 'ms.vss-distributed-task.task');
    assert.equal(vso.contributions.length, TASK_FOLDERS.length);
    assert.deepEqual(tasks.map((c) => c.properties.name).sort(), TASK_FOLDERS.map((t) => `tasks/${t}`).sort());
    for (const contribution of tasks) assert.deepEqual(contribution.targets, ['ms.vss-distributed-task.tasks']);
  });

  it('holds per task only task.json, icon.png and dist/ (bundle and licence notices), and nothing else anywhere', () => {
    const expected = TASK_FOLDERS.flatMap((task) => ALLOWED_TASK_FILES.map((file) => `tasks/${task}/${file}`));
    const packaged = [...files.keys()].filter((name) => name.startsWith('tasks/')).sort();
    assert.deepEqual(packaged, expected.sort());
    const others = [...files.keys()].filter((name) => !name.startsWith('tasks/')).sort();
    assert.deepEqual(others, ['LICENSE', '[Content_Types].xml', 'extension.vsixmanifest', 'extension.vsomanifest', 'images/extension-icon.png', 'overview.md'].sort());
  });

  it('ships the task.json files as written, and bundles that were built', () => {
    for (const task of TASK_FOLDERS) {
      assert.equal(text(`tasks/${task}/task.json`), fs.readFileSync(path.join(ROOT, 'tasks', task, 'task.json'), 'utf8'));
      assert.match(text(`tasks/${task}/dist/THIRD-PARTY-NOTICES.txt`), /azure-pipelines-task-lib@/);
      assert.ok((files.get(`tasks/${task}/dist/index.js`)?.length ?? 0) > 1000, `${task} bundle is empty`);
    }
  });

  it('with --dev, uses the private publisher and id of vss-extension.dev.json', () => {
    const manifest = text('extension.vsixmanifest', devFiles);
    assert.match(manifest, /<Identity [^>]*Id="ai-model-deploy-dev"/);
    assert.match(manifest, /<Identity [^>]*Publisher="your-private-publisher"/);
  });

  it('with --dev, gives each task an id and name of its own, so both can be installed in one organisation', () => {
    for (const task of TASK_FOLDERS) {
      const released = JSON.parse(text(`tasks/${task}/task.json`)) as { id: string; name: string };
      const dev = JSON.parse(text(`tasks/${task}/task.json`, devFiles)) as { id: string; name: string; friendlyName: string };
      assert.notEqual(dev.id, released.id);
      assert.equal(dev.id, devTaskId(released.id), 'the dev id is stable across builds');
      assert.match(dev.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(dev.name, `${released.name}Dev`);
      assert.match(dev.friendlyName, / \(dev\)$/);
    }
  });
});
