import * as assert from 'node:assert/strict';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { readInputs } from '../../../tasks/BuildAndPushAiImageV1/src/inputs';
import { type BuildFacts, dockerBuildArgs, imageOutputs, planImageBuild, runUrlOf, withoutUserInfo } from '../../../tasks/BuildAndPushAiImageV1/src/plan';

const inputsOf = (values: Record<string, string>) =>
  readInputs(inputSourceFromRecord({ azureSubscription: 'c', azureContainerRegistry: 'r', repository: 'models/app', tags: '42\nlatest', ...values }), { workingDirectory: '/repo', setSecret: () => undefined });
const facts: BuildFacts = {
  loginServer: '127.0.0.1:5443',
  createdAt: '2025-01-02T03:04:05.000Z',
  pipeline: { repositoryUri: 'https://dev.azure.com/o/p/_git/r', sourceVersion: 'abc123', buildNumber: '20250102.1', runUrl: 'https://dev.azure.com/o/p/_build/results?buildId=42' },
  modelFiles: [],
  builder: 'BuildKit',
};
const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('planImageBuild', () => {
  it('tags every reference with the login server and builds the docker arguments in order', () => {
    const plan = planImageBuild(inputsOf({ addPipelineMetadata: 'false' }), facts);
    assert.equal(plan.imageRepository, '127.0.0.1:5443/models/app');
    assert.deepEqual(plan.references, ['127.0.0.1:5443/models/app:42', '127.0.0.1:5443/models/app:latest']);
    assert.deepEqual(plan.dockerArgs, [
      'build',
      '--file',
      '/repo/Dockerfile',
      '--tag',
      '127.0.0.1:5443/models/app:42',
      '--tag',
      '127.0.0.1:5443/models/app:latest',
      '/repo',
    ]);
    assert.deepEqual(plan.pushReferences, plan.references);
  });
  it('never puts a build argument value on the command line; values go to the environment', () => {
    const plan = planImageBuild(inputsOf({ buildArguments: 'API_TOKEN=s3cr3t-value\nBASE_IMAGE=127.0.0.1:5443/base:1' }), facts);
    assert.ok(!plan.dockerArgs.some((arg) => arg.includes('s3cr3t-value') || arg.includes('base:1')));
    assert.deepEqual(plan.buildEnvironment, { API_TOKEN: 's3cr3t-value', BASE_IMAGE: '127.0.0.1:5443/base:1' });
    const at = plan.dockerArgs.indexOf('API_TOKEN');
    assert.equal(plan.dockerArgs[at - 1], '--build-arg');
  });
  it('passes names docker itself reads from its environment as KEY=VALUE', () => {
    const plan = planImageBuild(inputsOf({ buildArguments: 'PATH=/opt/bin\nDOCKER_HOST=x' }), facts);
    assert.ok(plan.dockerArgs.includes('PATH=/opt/bin'));
    assert.deepEqual(plan.buildEnvironment, {});
  });
  it('keeps common secret build arguments (npm, pip, NuGet tokens) off the command line', () => {
    const plan = planImageBuild(inputsOf({ buildArguments: 'NODE_AUTH_TOKEN=npm-secret\nNPM_TOKEN=npm-2\nPIP_INDEX_URL=https://u:p@pypi.example/simple\nLANG=C.UTF-8' }), facts);
    assert.ok(!plan.dockerArgs.some((arg) => /npm-secret|npm-2|u:p@|C\.UTF-8/.test(arg)), plan.dockerArgs.join(' '));
    assert.deepEqual(Object.keys(plan.buildEnvironment), ['NODE_AUTH_TOKEN', 'NPM_TOKEN', 'PIP_INDEX_URL', 'LANG']);
  });
  it('adds OCI pipeline labels, model labels, then the user labels (which win)', () => {
    const plan = planImageBuild(inputsOf({ modelName: 'sentiment', modelVersion: '3', labels: 'org.opencontainers.image.version=custom\nteam=ml' }), {
      ...facts,
      modelFiles: [{ path: 'model/m.onnx', sha256: 'f'.repeat(64), size: 12 }],
    });
    assert.deepEqual(plan.labels, {
      'org.opencontainers.image.source': 'https://dev.azure.com/o/p/_git/r',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.created': '2025-01-02T03:04:05.000Z',
      'org.opencontainers.image.version': 'custom',
      'org.opencontainers.image.url': 'https://dev.azure.com/o/p/_build/results?buildId=42',
      'ai.model.name': 'sentiment',
      'ai.model.version': '3',
      'ai.model.files': JSON.stringify([{ path: 'model/m.onnx', sha256: 'f'.repeat(64), size: 12 }]),
      team: 'ml',
    });
    assert.ok(plan.dockerArgs.includes('ai.model.name=sentiment'));
  });
  it('omits pipeline labels that have no value and all of them when turned off', () => {
    const plan = planImageBuild(inputsOf({}), { ...facts, pipeline: {} });
    assert.deepEqual(Object.keys(plan.labels), ['org.opencontainers.image.created']);
    assert.deepEqual(planImageBuild(inputsOf({ addPipelineMetadata: 'false' }), facts).labels, {});
  });
  it('pulls latest as cache when asked, and passes target, platform and --no-cache', () => {
    const cached = planImageBuild(inputsOf({ cacheFromLatest: 'true', target: 'serve', platform: 'linux/amd64' }), facts);
    assert.equal(cached.cacheFrom, '127.0.0.1:5443/models/app:latest');
    assert.deepEqual(cached.dockerArgs.slice(-9), ['--target', 'serve', '--platform', 'linux/amd64', '--cache-from', '127.0.0.1:5443/models/app:latest', '--build-arg', 'BUILDKIT_INLINE_CACHE=1', '/repo']);
    const fresh = planImageBuild(inputsOf({ noCache: 'true' }), facts);
    assert.equal(fresh.cacheFrom, undefined);
    assert.ok(fresh.dockerArgs.includes('--no-cache'));
  });
  it('under BuildKit, writes inline cache metadata when it builds from the cache image, so that the next run can reuse this one', () => {
    const cached = planImageBuild(inputsOf({ cacheFromLatest: 'true' }), facts);
    assert.deepEqual(cached.dockerArgs.slice(-5), ['--cache-from', '127.0.0.1:5443/models/app:latest', '--build-arg', 'BUILDKIT_INLINE_CACHE=1', '/repo']);
    const legacy = planImageBuild(inputsOf({ cacheFromLatest: 'true' }), { ...facts, builder: 'legacy' });
    assert.ok(!legacy.dockerArgs.includes('BUILDKIT_INLINE_CACHE=1'), 'the legacy builder has no inline cache: its images are cache sources as they are');
    assert.ok(!planImageBuild(inputsOf({}), facts).dockerArgs.includes('BUILDKIT_INLINE_CACHE=1'), 'only when caching is on');
  });

  it('under the legacy builder, puts the labels in one LABEL step of a Dockerfile copy instead of a step per --label', () => {
    const plan = planImageBuild(inputsOf({ modelName: 'iris' }), { ...facts, builder: 'legacy' });
    assert.equal(plan.labelsInDockerfile, true);
    assert.ok(!plan.dockerArgs.includes('--label'));
    assert.deepEqual(dockerBuildArgs(plan, '/tmp/cfg/Dockerfile').slice(0, 3), ['build', '--file', '/tmp/cfg/Dockerfile']);
    const fallback = dockerBuildArgs(plan, undefined);
    assert.equal(fallback.filter((arg) => arg === '--label').length, Object.keys(plan.labels).length, 'no copy could be written: --label as before');
    assert.equal(fallback.at(-1), '/repo');
    const targeted = planImageBuild(inputsOf({ modelName: 'iris', target: 'serve' }), { ...facts, builder: 'legacy' });
    assert.equal(targeted.labelsInDockerfile, false, 'with a target, the labels stay --label (the legacy builder puts them on the last stage)');
    const buildkit = planImageBuild(inputsOf({ modelName: 'iris' }), facts);
    assert.equal(buildkit.labelsInDockerfile, false, 'BuildKit writes --label into the image config without steps');
    assert.deepEqual(dockerBuildArgs(buildkit, undefined), [...buildkit.dockerArgs]);
  });

  it('strips a pasted login server and pushes nothing when push is false', () => {
    const plan = planImageBuild(inputsOf({ repository: '127.0.0.1:5443/models/app', push: 'false' }), facts);
    assert.equal(plan.repository, 'models/app');
    assert.deepEqual(plan.pushReferences, []);
  });
  it('gives the outputs, with the digest-pinned URI when there is a digest', () => {
    const plan = planImageBuild(inputsOf({}), facts);
    assert.deepEqual(imageOutputs(plan, facts.loginServer, DIGEST), {
      imageRepository: '127.0.0.1:5443/models/app',
      imageTags: '42,latest',
      imageDigest: DIGEST,
      imageUri: `127.0.0.1:5443/models/app@${DIGEST}`,
    });
    assert.deepEqual(imageOutputs(plan, facts.loginServer, undefined), { imageRepository: '127.0.0.1:5443/models/app', imageTags: '42,latest' });
  });
  it("builds the run's URL from agent variables, the release's in a release pipeline", () => {
    assert.equal(runUrlOf({ collectionUri: 'https://dev.azure.com/o', teamProject: 'My Project', buildId: '7' }), 'https://dev.azure.com/o/My%20Project/_build/results?buildId=7');
    assert.equal(runUrlOf({ collectionUri: 'https://dev.azure.com/o/' }), undefined);
    const releaseWebUrl = 'https://dev.azure.com/o/p/_release?releaseId=3&_a=release-summary';
    assert.equal(runUrlOf({ collectionUri: 'https://dev.azure.com/o', teamProject: 'p', buildId: '7', releaseWebUrl }), releaseWebUrl);
  });
  it('never puts a user name or token of the clone URL into the source label', () => {
    const plan = planImageBuild(inputsOf({}), { ...facts, pipeline: { repositoryUri: 'https://contoso:pat-value@dev.azure.com/contoso/p/_git/r' } });
    assert.equal(plan.labels['org.opencontainers.image.source'], 'https://dev.azure.com/contoso/p/_git/r');
    assert.equal(withoutUserInfo('https://github.com/o/r.git'), 'https://github.com/o/r.git');
    assert.equal(withoutUserInfo('https://contoso@dev.azure.com/contoso/p/_git/r'), 'https://dev.azure.com/contoso/p/_git/r');
  });
});

describe('planImageBuild with a pasted registry host', () => {
  it('refuses a host that is not the registry being pushed to', () => {
    assert.throws(() => planImageBuild(inputsOf({ repository: '10.0.0.1:5000/models/app' }), facts), /names the registry '10.0.0.1:5000', but this task pushes to 127.0.0.1:5443/);
    assert.throws(
      () => planImageBuild(inputsOf({ repository: 'otherregistry.azurecr.io/models/app' }), { ...facts, loginServer: 'myregistry.azurecr.io' }),
      /names the registry 'otherregistry.azurecr.io', but this task pushes to myregistry.azurecr.io\. Give only the path inside the registry, e\.g\. 'models\/app'/,
    );
    assert.equal(planImageBuild(inputsOf({ repository: 'MyRegistry.azurecr.io/models/app' }), { ...facts, loginServer: 'myregistry.azurecr.io' }).repository, 'models/app');
  });
});
