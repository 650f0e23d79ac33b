import * as assert from 'node:assert/strict';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { readInputs } from '../../../tasks/BuildAndPushAiImageV1/src/inputs';
import { planImageBuild } from '../../../tasks/BuildAndPushAiImageV1/src/plan';
import { buildSummary, formatBytes, formatDuration } from '../../../tasks/BuildAndPushAiImageV1/src/summary';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const modelFiles = [{ path: 'model/iris.onnx', sha256: 'e'.repeat(64), size: 2048 }];
const plan = planImageBuild(
  readInputs(
    inputSourceFromRecord({ azureSubscription: 'c', azureContainerRegistry: 'r', repository: 'models/iris', tags: '7\nlatest', modelName: 'iris', modelVersion: '1.0', labels: 'note=a|b' }),
    { workingDirectory: '/repo', setSecret: () => undefined },
  ),
  { loginServer: 'reg.example.io', createdAt: '2025-01-01T00:00:00.000Z', pipeline: {}, modelFiles, builder: 'BuildKit' },
);

describe('build summary', () => {
  it('shows image, tags, digest, size, times, model and labels', () => {
    const markdown = buildSummary({ plan, digest: DIGEST, imageUri: `reg.example.io/models/iris@${DIGEST}`, sizeInBytes: 5 * 1024 * 1024, layerCount: 4, buildInMs: 12_345, pushInMs: 2_000, modelFiles });
    assert.match(markdown, /\| Image \| `reg\.example\.io\/models\/iris` \|/);
    assert.match(markdown, /\| Tags \| `7`, `latest` \|/);
    assert.match(markdown, new RegExp(`\\| Digest \\| \`${DIGEST}\` \\|`));
    assert.match(markdown, /\| Size \| 5\.00 MiB compressed, 4 layers \|/);
    assert.match(markdown, /\| Build \| 12\.3 s \|/);
    assert.match(markdown, /\| Push \| 2\.0 s \|/);
    assert.match(markdown, /\| Name \| iris \|/);
    assert.match(markdown, /\| Version \| 1\.0 \|/);
    assert.match(markdown, /\| `model\/iris\.onnx` \| 2\.00 KiB \| `e{64}` \|/);
    assert.match(markdown, /\| `note` \| a\\\|b \|/, 'a pipe in a value must not break the table');
    assert.doesNotMatch(markdown, /ai\.model\.files/, 'the files label is shown as the files table, not raw JSON');
    assert.ok(markdown.includes(`docker pull reg.example.io/models/iris@${DIGEST}`), 'says how to pull the exact image');
  });
  it('says 1 layer, not 1 layers', () => {
    assert.match(buildSummary({ plan, digest: DIGEST, sizeInBytes: 100, layerCount: 1, buildInMs: 1, pushInMs: 1, modelFiles: [] }), /\| Size \| 100 B compressed, 1 layer \|/);
  });
  it('formats durations in seconds, then minutes', () => {
    assert.equal(formatDuration(12_345), '12.3 s');
    assert.equal(formatDuration(59_900), '59.9 s');
    assert.equal(formatDuration(59_960), '1 min 00 s');
    assert.equal(formatDuration(125_400), '2 min 05 s');
  });
  it('says when nothing was pushed', () => {
    assert.match(buildSummary({ plan, buildInMs: 1000, modelFiles: [] }), /\| Push \| not pushed \(input push is false\) \|/);
  });
  it('formats sizes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.50 KiB');
    assert.equal(formatBytes(300 * 1024 * 1024), '300.0 MiB');
  });
});
