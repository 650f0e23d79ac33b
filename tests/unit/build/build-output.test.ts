/** Real output of Debian's docker 20.10 CLI against the 20.10 engine, under each builder. */
import * as assert from 'node:assert/strict';
import { buildFailureHint, isBuildCacheRace, readBuildOutput } from '../../../tasks/common/docker/build-output';

const LEGACY_CACHED = `Sending build context to Docker daemon  1.989MB
Step 1/4 : FROM 127.0.0.1:5443/e2e/base:1
 ---> 2b1d6cbd2f0a
Step 2/4 : COPY model/ /app/model/
 ---> Using cache
 ---> 3771538241ca
Step 3/4 : COPY app/ /app/
 ---> a759d9226fa1
Step 4/4 : LABEL "a"="b" "c"="d"
 ---> Running in 3579be320653
Removing intermediate container 3579be320653
 ---> 8e2b08cffad4
Successfully built 8e2b08cffad4`;

const LEGACY_FAILED = `Step 3/4 : COPY a /a
 ---> a759d9226fa1
Step 4/4 : RUN ["/bin/busybox", "sh", "-c", "echo building; exit 3"]
 ---> Running in 3579be320653
building
The command '/bin/busybox sh -c echo building; exit 3' returned a non-zero code: 3`;

/** The legacy builder losing its cache lookup to an image removed at that moment (seen in this project's CI on engine 20.10). */
const LEGACY_CACHE_RACE = `Sending build context to Docker daemon  18.94kB
Step 1/2 : FROM scratch
 --->
Step 2/2 : COPY base.bin /base/base.bin
unable to find image "sha256:9488e6ac41df53768e43e88434570398c78487c941bcd0a891efa8e2a96476cd"`;

const BUILDKIT_CACHED = `#1 [internal] load build definition from Dockerfile
#1 sha256:6b67f22628b8eec6428ed8bcfd48d32431fb20a73549e917a00136e50084e5c8
#1 transferring dockerfile: 118B done
#1 DONE 0.0s

#4 [1/3] FROM 127.0.0.1:5443/e2e/base:1
#4 CACHED

#5 [2/3] COPY model/ /app/model/
#5 sha256:736ac882e4b9bb48835815c46094552039ed7cf96a7638d5d21272f92b1595e0
#5 CACHED

#6 [3/3] COPY app/ /app/
#6 sha256:31fef58e3e69f2126ebe60799bc0463fac153e3d52066dfb8bee6445883561e1
#6 DONE 0.1s

#7 exporting to image
#7 DONE 0.0s`;

const BUILDKIT_FAILED = `#6 [3/3] RUN ["/bin/busybox", "sh", "-c", "echo building; exit 3"]
#6 sha256:31fef58e3e69f2126ebe60799bc0463fac153e3d52066dfb8bee6445883561e1
#6 0.286 building
#6 ERROR: executor failed running [/bin/busybox sh -c echo building; exit 3]: exit code: 3
------
 > [3/3] RUN ["/bin/busybox", "sh", "-c", "echo building; exit 3"]:
------
executor failed running [/bin/busybox sh -c echo building; exit 3]: exit code: 3`;

describe('readBuildOutput (both builders)', () => {
  it('reads the legacy builder: the steps that make layers and those from the cache', () => {
    assert.deepEqual(readBuildOutput(LEGACY_CACHED), { builder: 'legacy', steps: 2, cachedSteps: 1 });
    assert.deepEqual(readBuildOutput('Step 1/3 : FROM x\nStep 2/3 : ARG TOKEN\n ---> Using cache\nStep 3/3 : RUN make\n ---> Running in 1'), { builder: 'legacy', steps: 1, cachedSteps: 0 });
  });

  it('reads BuildKit: numbered steps, CACHED, internal steps and FROM left out', () => {
    assert.deepEqual(readBuildOutput(BUILDKIT_CACHED), { builder: 'BuildKit', steps: 2, cachedSteps: 1 });
  });

  it('names the failed step and docker\'s reason under each builder', () => {
    assert.deepEqual(readBuildOutput(LEGACY_FAILED), {
      builder: 'legacy', steps: 2, cachedSteps: 0,
      failedStep: 'RUN ["/bin/busybox", "sh", "-c", "echo building; exit 3"]',
      failure: "The command '/bin/busybox sh -c echo building; exit 3' returned a non-zero code: 3",
    });
    const buildkit = readBuildOutput(BUILDKIT_FAILED);
    assert.equal(buildkit.failedStep, 'RUN ["/bin/busybox", "sh", "-c", "echo building; exit 3"]');
    assert.equal(buildkit.failure, 'executor failed running [/bin/busybox sh -c echo building; exit 3]: exit code: 3');
    assert.match(buildFailureHint(buildkit) ?? '', /A command in the Dockerfile failed/);
  });

  it('tells the legacy builder\'s lost cache lookup (an image removed by someone else meanwhile) from a failed build', () => {
    const race = readBuildOutput(LEGACY_CACHE_RACE);
    assert.deepEqual(race, { builder: 'legacy', steps: 1, cachedSteps: 0, failedStep: 'COPY base.bin /base/base.bin', failure: 'unable to find image "sha256:9488e6ac41df53768e43e88434570398c78487c941bcd0a891efa8e2a96476cd"' });
    assert.equal(isBuildCacheRace(race), true);
    assert.match(buildFailureHint(race) ?? '', /removed an image .* while the legacy builder searched its build cache: run again/);
    assert.equal(isBuildCacheRace(readBuildOutput(LEGACY_FAILED)), false);
    assert.equal(isBuildCacheRace(readBuildOutput("Unable to find image 'x:latest' locally")), false);
  });

  it('explains a missing file, a syntax error and a missing buildx under either builder', () => {
    const missing = [
      'COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist',
      '#5 ERROR: "/missing" not found: not found\n------\n > [2/2] COPY missing /m:\n------\nfailed to compute cache key: "/missing" not found: not found',
      'ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref x::y: "/missing": not found',
    ];
    for (const output of missing) assert.match(buildFailureHint(readBuildOutput(output)) ?? '', /not in the build context/, output);
    const syntax = ['Error response from daemon: dockerfile parse error line 2: unknown instruction: FOO', 'failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 2: unknown instruction: FOO'];
    for (const output of syntax) assert.match(buildFailureHint(readBuildOutput(output)) ?? '', /syntax error/, output);
    const base = readBuildOutput('failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "http://127.0.0.1:40801/v2/e2e/base/manifests/1": EOF');
    assert.match(buildFailureHint(base) ?? '', /could not be read from its registry/);
    const buildx = readBuildOutput('ERROR: BuildKit is enabled but the buildx component is missing or broken.\n       Install the buildx component to build images with BuildKit:');
    assert.match(buildFailureHint(buildx) ?? '', /no buildx plugin/);
    assert.equal(readBuildOutput('ERROR: failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3').failure, 'failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
  });
});
