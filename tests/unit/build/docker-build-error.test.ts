/** createDockerCli's build against a stand-in docker that prints what the engine printed and exits 1. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildCacheRaceError, createDockerCli } from '../../../tasks/common/docker/docker-cli';
import { TaskError } from '../../../tasks/common/errors';
import { LineNeutraliser } from '../../../tasks/common/neutralise';
import type { TaskLog } from '../../../tasks/common/task-runtime';
import { silentLog } from '../../support/silent-log';

function failingDocker(folder: string, lastLine: string): string {
  const file = path.join(folder, `docker-${fs.readdirSync(folder).length}`);
  fs.writeFileSync(file, `#!/bin/sh\necho 'Step 1/2 : FROM scratch'\necho 'Step 2/2 : COPY a /a'\necho '${lastLine}'\nexit 1\n`, { mode: 0o755 });
  return file;
}

/** docker's streamed output goes nowhere; the error carries what the test looks at. */
const log: TaskLog = { ...silentLog, foreignStream: () => new LineNeutraliser(() => undefined) };

describe('docker build failures (createDockerCli)', () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-build-error-'))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('marks the legacy builder\'s lost cache lookup as a race worth building again, and nothing else', async () => {
    const race = createDockerCli({ log, baseEnvironment: {}, dockerPath: failingDocker(folder, `unable to find image "sha256:${'9'.repeat(64)}"`) });
    await assert.rejects(race.build(['build', '.'], {}), (error: unknown) => error instanceof BuildCacheRaceError && /at 'COPY a \/a' \(exit code 1\).*run again/s.test(error.message));
    const failed = createDockerCli({ log, baseEnvironment: {}, dockerPath: failingDocker(folder, "COPY failed: file not found in build context or excluded by .dockerignore: stat a: file does not exist") });
    await assert.rejects(failed.build(['build', '.'], {}), (error: unknown) => error instanceof TaskError && !(error instanceof BuildCacheRaceError) && /not in the build context/.test(error.message));
  });
});
