import * as assert from 'node:assert/strict';
import { detectBuilder, needsBuildxCheck } from '../../../tasks/common/docker/builder';
import { TaskError } from '../../../tasks/common/errors';

describe('detectBuilder (as the docker CLI decides)', () => {
  it('follows DOCKER_BUILDKIT when it is set, as Go reads a boolean', () => {
    assert.equal(detectBuilder({ dockerBuildkit: '1', clientVersion: '20.10.24+dfsg1' }).kind, 'BuildKit');
    assert.equal(detectBuilder({ dockerBuildkit: 'true', clientVersion: '28.2.2', buildx: true }).kind, 'BuildKit');
    assert.equal(detectBuilder({ dockerBuildkit: '0', clientVersion: '28.2.2' }).kind, 'legacy');
    assert.equal(detectBuilder({ dockerBuildkit: 'False', clientVersion: '20.10.24' }).reason, 'DOCKER_BUILDKIT=False');
    assert.throws(() => detectBuilder({ dockerBuildkit: 'yes', clientVersion: '28.2.2', buildx: true }), (e: unknown) => e instanceof TaskError && /only a boolean/.test(e.message));
  });

  it('uses BuildKit with a CLI of 23 or later that has buildx (hosted agents) and falls back to the legacy builder without it', () => {
    assert.deepEqual(detectBuilder({ dockerBuildkit: undefined, clientVersion: '28.2.2', buildx: true }), { kind: 'BuildKit', reason: 'docker 28.2.2 with buildx' });
    assert.deepEqual(detectBuilder({ dockerBuildkit: '', clientVersion: '28.2.2', buildx: false }), { kind: 'legacy', reason: 'docker 28.2.2 without buildx' });
    assert.equal(detectBuilder({ dockerBuildkit: undefined, clientVersion: '20.10.24+dfsg1' }).kind, 'legacy', "Debian's 20.10 CLI builds with the legacy builder unless asked");
  });

  it('refuses DOCKER_BUILDKIT=1 with a CLI that needs buildx and lacks it, saying what to install', () => {
    assert.throws(
      () => detectBuilder({ dockerBuildkit: '1', clientVersion: '28.2.2', buildx: false }),
      (e: unknown) => e instanceof TaskError && /no buildx plugin/.test(e.message) && /DOCKER_BUILDKIT=0/.test(e.message),
    );
  });

  it('asks about buildx only for a CLI of 23 or later that may use BuildKit', () => {
    assert.equal(needsBuildxCheck({ dockerBuildkit: undefined, clientVersion: '20.10.24+dfsg1' }), false);
    assert.equal(needsBuildxCheck({ dockerBuildkit: '0', clientVersion: '28.2.2' }), false);
    assert.equal(needsBuildxCheck({ dockerBuildkit: undefined, clientVersion: '28.2.2' }), true);
    assert.equal(needsBuildxCheck({ dockerBuildkit: '1', clientVersion: '24.0.7' }), true);
  });
});
