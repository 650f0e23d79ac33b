// `node --import tsx scripts/demo.ts` as a newcomer runs it (`npm start`): refused YAML fails before anything
// slow starts; the example pipeline builds, pushes, deploys and smoke-tests the Iris model on the
// local Azure, makes a real prediction, and leaves no container behind.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { runDemo } from './run-demo';

describe('demo: npm start', function () {
  it('refuses a pipeline with a script step, naming it and where, before building or starting anything', async function () {
    this.timeout(60_000);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-refused-'));
    try {
      const file = path.join(folder, 'azure-pipelines.yml');
      fs.writeFileSync(file, ['trigger: none', 'steps:', '  - task: SmokeTestModel@1', '    inputs:', '      url: http://127.0.0.1:1', '  - script: echo deployed', ''].join('\n'));
      const run = await runDemo([file], 50_000);
      assert.equal(run.code, 2, run.output);
      assert.match(run.output, /azure-pipelines\.yml:6 \(steps\[1\]\): script steps are not supported by the local runner/);
      assert.doesNotMatch(run.output, /Build the tasks|Start the local Azure/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs examples/azure-pipelines.yml end to end: model URL, a real prediction, the smoke test passing, the .vsix, a clean exit', async function () {
    this.timeout(15 * 60_000);
    const run = await runDemo([], 14 * 60_000);
    const output = run.output;
    assert.equal(run.code, 0, `the demo failed:\n${output.slice(-6000)}`);
    assert.match(output, /━━ Step 1\/3: .*name: image\)[\s\S]*✔ Succeeded[\s\S]*━━ Step 2\/3: .*name: deploy\)[\s\S]*✔ Succeeded[\s\S]*━━ Step 3\/3: .*name: smoke\)[\s\S]*✔ Succeeded/);
    assert.match(output, /service connection 'azure-models' → local workloadIdentity \(default\)/);
    assert.match(output, /variable baseImage = 127\.0\.0\.1:\d+\/base\/node:\d+ \(set by runner\)/);
    // The deploy step got the image through $(image.imageUri), by digest.
    assert.match(output, /Deploying 127\.0\.0\.1:\d+\/models\/iris@sha256:[0-9a-f]{64} to container group 'iris-model'/);
    // The DNS name when it resolves on this machine, else the group's own loopback address.
    const url = /^ {2}URL {9}(http:\/\/[\w.-]+:8080)$/m.exec(output)?.[1];
    assert.ok(url, 'no model URL printed');
    assert.ok(output.includes(`prediction  POST ${url}/v2/models/iris/infer`), 'no prediction made on the model URL');
    assert.match(output, /→ virginica \(probability 0\.9\d\d/);
    assert.match(output, /Smoke test \(smoke\): Succeeded/);
    assert.match(output, /pass {4}\$\.outputs\[1\]\.data == \[0, 1, 2\]/);
    assert.doesNotMatch(output, /FAIL {4}/);
    const vsix = /Extension package {2}(\S+\.vsix)/.exec(output)?.[1];
    assert.ok(vsix && fs.existsSync(vsix), `no .vsix reported or found: ${vsix ?? 'none'}`);
    for (const phase of ['Build the tasks', 'Start the local Azure', 'step image', 'step deploy', 'step smoke', 'total (wall time)']) assert.match(output, new RegExp(`${phase.replace(/[()]/g, '\\$&')} +\\d+\\.\\d s`));
    assert.match(output, /Cleaned up \(local Azure stopped/);
    const instance = /registry crmodels([0-9a-f]+) at/.exec(output)?.[1];
    assert.ok(instance, 'the local Azure instance id was not printed');
    const { stdout } = await promisify(execFile)('docker', ['ps', '--all', '--quiet', '--filter', `name=lazure-${instance}`]);
    assert.equal(stdout.trim(), '', `containers of the demo's local Azure are left: ${stdout}`);
  });
});
