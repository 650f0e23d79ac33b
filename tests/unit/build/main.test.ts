import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { RegistryManifests } from '../../../tasks/common/azure/acr-manifests';
import { BuildCacheRaceError, type DockerCli, type PullOutcome, PushFaultError, PushRefusedError } from '../../../tasks/common/docker/docker-cli';
import { InputError, TaskError } from '../../../tasks/common/errors';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { fakeClock } from '../../support/fake-clock';
import { silentLog } from '../../support/silent-log';
import { readInputs } from '../../../tasks/BuildAndPushAiImageV1/src/inputs';
import { type BuildDeps, main } from '../../../tasks/BuildAndPushAiImageV1/src/main';
import { BUILD_ATTEMPTS } from '../../../tasks/BuildAndPushAiImageV1/src/build-retry';
import { PUSH_RETRY_POLICY } from '../../../tasks/BuildAndPushAiImageV1/src/push';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function harness(
  options: {
    pushDigest?: string;
    registryDigest?: string;
    pushError?: Error;
    pushErrors?: Error[];
    buildErrors?: Error[];
    loginExpiresAt?: number[];
    dockerfile?: 'file' | 'missing';
    pullOutcome?: PullOutcome;
    buildx?: boolean;
    dockerBuildkit?: string;
  } = {},
) {
  const calls: string[] = [];
  const builds: (readonly string[])[] = [];
  const written: Record<string, string> = {};
  const variables: Record<string, { value: string; isOutput: boolean }> = {};
  const summaries: { title: string; markdown: string }[] = [];
  const configDirectories: (string | undefined)[] = [];
  const messages: { info: string[]; warning: string[] } = { info: [], warning: [] };
  const log = { ...silentLog, info: (m: string) => messages.info.push(m), warning: (m: string) => messages.warning.push(m) };
  const docker = (configDirectory?: string): DockerCli => {
    configDirectories.push(configDirectory);
    return {
      checkEngine: () => (calls.push('checkEngine'), Promise.resolve({ clientVersion: '28', serverVersion: '20.10' })),
      hasBuildx: () => Promise.resolve(options.buildx ?? true),
      build: (args, env) => {
        calls.push(`build ${args.length} ${Object.keys(env).join(',')}`);
        builds.push(args);
        const queued = options.buildErrors?.shift();
        return queued ? Promise.reject(queued) : Promise.resolve({ steps: 3, cachedSteps: 1 });
      },
      pull: (ref) => (calls.push(`pull ${ref}`), Promise.resolve(options.pullOutcome ?? { kind: 'notFound' })),
      push: (ref) => {
        calls.push(`push ${ref}`);
        const queued = options.pushErrors?.shift();
        if (queued) return Promise.reject(queued);
        return options.pushError ? Promise.reject(options.pushError) : Promise.resolve(options.pushDigest ?? D1);
      },
      repoDigest: () => Promise.resolve(undefined),
      manifestInspect: () => Promise.reject(new Error('not used')),
    };
  };
  const manifests: RegistryManifests = {
    description: 'fake',
    manifest: (repository, tag) => (calls.push(`manifest ${repository}:${tag}`), Promise.resolve({ digest: options.registryDigest ?? D1, mediaType: 'm', sizeInBytes: 1000, layers: [{ digest: D2, size: 900 }] })),
  };
  const deps: BuildDeps = {
    log,
    setVariable: (name, value, opts) => (variables[name] = { value, isOutput: opts?.isOutput ?? false }),
    addSummary: (title, markdown) => summaries.push({ title, markdown }),
    now: () => 1_700_000_000_000,
    clock: fakeClock(),
    pipeline: { sourceVersion: 'abc' },
    tempDirectory: fs.mkdtempSync(`${os.tmpdir()}/build-main-`),
    pathKind: (p) => Promise.resolve(p.endsWith('Dockerfile') ? (options.dockerfile ?? 'file') : 'directory'),
    collectModelFiles: () => Promise.resolve([]),
    createDocker: docker,
    ...(options.dockerBuildkit !== undefined ? { dockerBuildkit: options.dockerBuildkit } : {}),
    readTextFile: () => Promise.resolve('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY app/ /app/\n'),
    writeTextFile: (file, text) => ((written[file] = text), Promise.resolve()),
    openRegistry: (connection) => {
      calls.push(`openRegistry ${connection.type}`);
      return Promise.resolve({
        loginServer: '127.0.0.1:5443',
        identity: 'service principal (client id c1)',
        pushRefusedHint: 'Give it the AcrPush role.',
        dockerLogin: () => {
          calls.push('dockerLogin');
          const expiresAt = options.loginExpiresAt?.shift();
          return Promise.resolve({ server: '127.0.0.1:5443', username: 'u', password: 'p', ...(expiresAt !== undefined ? { expiresAt } : {}) });
        },
        manifests: () => manifests,
      });
    },
  };
  return { deps, calls, builds, written, messages, variables, summaries, configDirectories, cleanup: () => fs.rmSync(deps.tempDirectory, { recursive: true, force: true }) };
}

const inputs = (values: Record<string, string> = {}) =>
  readInputs(inputSourceFromRecord({ azureSubscription: 'c', azureContainerRegistry: 'reg', repository: 'models/app', tags: '42\nlatest', buildArguments: 'TOKEN=x', ...values }), { workingDirectory: '/repo', setSecret: () => undefined });

describe('BuildAndPushAiImage main', () => {
  it('checks docker, signs in, builds, pushes every tag, confirms the digest and sets outputs and chained variables', async () => {
    const h = harness();
    try {
      await main(inputs({ cacheFromLatest: 'true' }), h.deps);
      assert.deepEqual(h.calls, [
        'checkEngine',
        'openRegistry azureRM',
        'dockerLogin',
        'pull 127.0.0.1:5443/models/app:latest',
        'build 18 TOKEN',
        'push 127.0.0.1:5443/models/app:42',
        'push 127.0.0.1:5443/models/app:latest',
        'manifest models/app:42',
      ]);
      assert.equal(h.configDirectories[0], undefined, 'the engine check runs without a sign-in');
      assert.ok(h.configDirectories[1]?.startsWith(h.deps.tempDirectory));
      assert.deepEqual(fs.readdirSync(h.deps.tempDirectory), [], 'the temporary Docker config is removed');
      assert.deepEqual(h.variables, {
        imageRepository: { value: '127.0.0.1:5443/models/app', isOutput: true },
        imageTags: { value: '42,latest', isOutput: true },
        imageDigest: { value: D1, isOutput: true },
        imageUri: { value: `127.0.0.1:5443/models/app@${D1}`, isOutput: true },
        'AiModelDeploy.ImageUri': { value: `127.0.0.1:5443/models/app@${D1}`, isOutput: false },
      });
      assert.equal(h.summaries[0]?.title, 'Image built and pushed');
      assert.match(h.summaries[0]?.markdown ?? '', /1000 B compressed, 1 layer \|/);
    } finally {
      h.cleanup();
    }
  });

  it('builds with the legacy builder from a copy of the Dockerfile with the labels in one step, in the temporary folder', async () => {
    const h = harness({ buildx: false });
    try {
      await main(inputs({ modelName: 'iris' }), h.deps);
      const args = h.builds[0] ?? [];
      const copy = args[args.indexOf('--file') + 1] ?? '';
      assert.ok(copy.startsWith(h.deps.tempDirectory), copy);
      assert.match(h.written[copy] ?? '', /^ARG BASE_IMAGE\nFROM \$\{BASE_IMAGE\}\nCOPY app\/ \/app\/\nLABEL "org\.opencontainers\.image\.revision"="abc" .*"ai\.model\.name"="iris"\n$/);
      assert.ok(!args.includes('--label'));
      assert.ok(h.messages.info.some((m) => /builder: legacy \(docker 28 without buildx\)/.test(m)), h.messages.info.join('\n'));
      assert.match(h.summaries[0]?.markdown ?? '', /\| Build \| 0\.0 s \(1 of 3 steps from the build cache\) \|/);
    } finally {
      h.cleanup();
    }
  });

  it('fails before signing in when DOCKER_BUILDKIT=1 asks for BuildKit and the CLI has no buildx', async () => {
    const h = harness({ buildx: false, dockerBuildkit: '1' });
    try {
      await assert.rejects(main(inputs(), h.deps), (error: unknown) => error instanceof TaskError && /DOCKER_BUILDKIT=1 asks for BuildKit, but docker 28 on this agent has no buildx plugin/.test(error.message));
      assert.ok(!h.calls.includes('dockerLogin'));
    } finally {
      h.cleanup();
    }
  });

  it('goes on without the cache image, with a warning, when it cannot be pulled', async () => {
    const h = harness({ pullOutcome: { kind: 'failed', reason: 'net/http: TLS handshake timeout' } });
    try {
      await main(inputs({ cacheFromLatest: 'true', tags: '42' }), h.deps);
      assert.ok(h.calls.includes('build 16 TOKEN'), h.calls.join('\n'));
      assert.deepEqual(h.messages.warning, ['Could not pull the cache image 127.0.0.1:5443/models/app:latest (net/http: TLS handshake timeout); building without it.']);
      assert.ok(h.messages.info.some((m) => m.includes("Input 'tags' has no 'latest'")), 'says the cache tag is not moved by this run');
      assert.equal(h.variables.imageDigest?.value, D1);
    } finally {
      h.cleanup();
    }
  });

  it('fails when the registry has another digest than the push reported', async () => {
    const h = harness({ registryDigest: D2 });
    try {
      await assert.rejects(main(inputs(), h.deps), (error: unknown) => error instanceof TaskError && error.message.includes(`The registry has ${D2}`) && error.message.includes(`docker push reported ${D1}`));
      assert.equal(h.variables.imageDigest, undefined);
      assert.deepEqual(fs.readdirSync(h.deps.tempDirectory), []);
    } finally {
      h.cleanup();
    }
  });

  it('says who signed in and what role is missing when a push is refused', async () => {
    const h = harness({ pushError: new PushRefusedError('The registry refused to let this task push x: denied.') });
    try {
      await assert.rejects(main(inputs(), h.deps), /refused to let this task push x: denied\. The task signed in as service principal \(client id c1\)\. Give it the AcrPush role\./);
      assert.deepEqual(fs.readdirSync(h.deps.tempDirectory), []);
    } finally {
      h.cleanup();
    }
  });

  it('fails on a missing Dockerfile before docker or Azure is touched', async () => {
    const h = harness({ dockerfile: 'missing' });
    try {
      await assert.rejects(main(inputs(), h.deps), (error: unknown) => error instanceof InputError && error.input === 'dockerfile' && /\/repo\/Dockerfile does not exist/.test(error.message));
      assert.deepEqual(h.calls, []);
    } finally {
      h.cleanup();
    }
  });

  it('fails on a build context that is missing or a file, naming the input, before docker or Azure is touched', async () => {
    for (const [kind, said] of [['missing', 'does not exist'], ['file', 'is a file, not a folder']] as const) {
      const h = harness();
      try {
        h.deps.pathKind = (p) => Promise.resolve(p.endsWith('Dockerfile') ? 'file' : kind);
        await assert.rejects(main(inputs(), h.deps), (error: unknown) => error instanceof InputError && error.input === 'buildContext' && new RegExp(`Input 'buildContext': the build context /repo ${said}`).test(error.message));
        assert.deepEqual(h.calls, []);
      } finally {
        h.cleanup();
      }
    }
  });

  it('builds without pushing or reading the registry when push is false', async () => {
    const h = harness();
    try {
      await main(inputs({ push: 'false' }), h.deps);
      assert.ok(!h.calls.some((call) => call.startsWith('push') || call.startsWith('manifest')));
      assert.equal(h.variables.imageDigest, undefined);
      assert.equal(h.summaries[0]?.title, 'Image built');
    } finally {
      h.cleanup();
    }
  });

  it('runs docker push again after a registry fault, and says "the registry closed the connection" when it keeps failing', async () => {
    const reset = (): Error => new PushFaultError('docker push failed: EOF', 'r', { code: 'ECONNRESET' }, 'Put "https://r/v2/models/app/manifests/42": EOF');
    const h = harness({ pushErrors: [reset(), new PushFaultError('x', 'r', { statusCode: 503 }, 'received unexpected HTTP status: 503')] });
    try {
      await main(inputs({ tags: '42' }), h.deps);
      assert.equal(h.calls.filter((call) => call.startsWith('push')).length, 3);
    } finally {
      h.cleanup();
    }
    const failing = harness({ pushErrors: Array.from({ length: PUSH_RETRY_POLICY.maxAttempts }, reset) });
    try {
      await assert.rejects(main(inputs({ tags: '42' }), failing.deps), /Pushing 127\.0\.0\.1:5443\/models\/app:42 failed: the registry closed the connection \(ECONNRESET\) on docker push .*tried 12 times.*retry later/);
    } finally {
      failing.cleanup();
    }
  });

  it('builds again when the engine lost its build cache lookup to another removal, a bounded number of times; any other build failure at once', async () => {
    const race = (): Error => new BuildCacheRaceError('docker build failed at \'COPY a /a\': unable to find image "sha256:94..."');
    const h = harness({ buildErrors: [race(), race()] });
    try {
      await main(inputs({ tags: '42' }), h.deps);
      assert.equal(h.builds.length, 3);
      assert.equal(h.messages.warning.filter((m) => /removed an image .* while it searched its build cache; building again \(attempt \d of 3\)/.test(m)).length, 2);
    } finally {
      h.cleanup();
    }
    const always = harness({ buildErrors: Array.from({ length: BUILD_ATTEMPTS }, race) });
    try {
      await assert.rejects(main(inputs({ tags: '42' }), always.deps), /unable to find image/);
      assert.equal(always.builds.length, BUILD_ATTEMPTS);
      assert.equal(always.calls.filter((call) => call.startsWith('push')).length, 0);
    } finally {
      always.cleanup();
    }
    const failed = harness({ buildErrors: [new TaskError("docker build failed at 'RUN make' (exit code 2)")] });
    try {
      await assert.rejects(main(inputs({ tags: '42' }), failed.deps), /RUN make/);
      assert.equal(failed.builds.length, 1);
    } finally {
      failed.cleanup();
    }
  });

  it('signs in again before pushing when the sign-in is about to expire, and explains an expired one as expiry', async () => {
    const now = 1_700_000_000_000;
    const h = harness({ loginExpiresAt: [now + 60_000, now + 3 * 3_600_000] });
    try {
      await main(inputs({ tags: '42' }), h.deps);
      assert.deepEqual(h.calls.filter((call) => call === 'dockerLogin' || call.startsWith('push')), ['dockerLogin', 'dockerLogin', 'push 127.0.0.1:5443/models/app:42']);
    } finally {
      h.cleanup();
    }
    const expired = harness({ loginExpiresAt: [now - 1000, now - 1000], pushError: new PushRefusedError('The registry refused to let this task push x: unauthorized.') });
    try {
      await assert.rejects(main(inputs({ tags: '42' }), expired.deps), (error: Error) => /expired at .* during the push: this is an expiry, not a missing role/.test(error.message) && !/AcrPush/.test(error.message));
    } finally {
      expired.cleanup();
    }
  });

  it("refuses a 'target' stage the Dockerfile does not have, naming its stages, before docker or Azure is touched", async () => {
    const h = harness();
    try {
      h.deps.readTextFile = () => Promise.resolve('FROM a AS build\nFROM b AS runtime\n');
      await assert.rejects(main(inputs({ target: 'serve' }), h.deps), (error: Error) => error instanceof InputError && /Input 'target': .* has no stage 'serve'; its stages are: build, runtime\./.test(error.message));
      assert.deepEqual(h.calls, []);
    } finally {
      h.cleanup();
    }
  });

  it('logs a build context outside the sources directory with its path and size', async () => {
    const h = harness();
    try {
      h.deps.sourcesDirectory = '/somewhere/else';
      h.deps.folderSize = () => Promise.resolve({ bytes: 3 * 1024 * 1024, files: 12 });
      await main(inputs({ tags: '42' }), h.deps);
      assert.ok(h.messages.info.some((line) => /The build context \/repo is outside the sources directory \/somewhere\/else: all of it \(12 files, 3\.0 MB\)/.test(line)), h.messages.info.join('\n'));
    } finally {
      h.cleanup();
    }
  });
});
