import { strict as assert } from 'node:assert';
import { currentVersion, isNewer, lockProblem, readLock, taskFolders } from '../../scripts/versions/task-fingerprint';

describe('task versions (agents cache tasks by version)', () => {
  const lock = readLock();
  for (const folder of taskFolders()) {
    it(`${folder}: its bundle and task.json are the ones recorded for its version`, () => {
      assert.equal(lockProblem(folder, currentVersion(folder), lock[folder]), undefined);
    });
  }

  it('asks for a bump when a task changed without a new version, and accepts a bumped one', () => {
    const locked = { version: '1.0.0', fingerprint: 'sha256:a' };
    assert.match(lockProblem('T', { version: '1.0.0', fingerprint: 'sha256:b' }, locked) ?? '', /was not bumped/);
    assert.match(lockProblem('T', { version: '1.0.1', fingerprint: 'sha256:b' }, locked) ?? '', /run 'npm run version-lock'/);
    assert.equal(lockProblem('T', locked, locked), undefined);
    assert.ok(isNewer('1.10.0', '1.9.3') && !isNewer('1.0.0', '1.0.0') && !isNewer('0.9.9', '1.0.0'));
  });
});
