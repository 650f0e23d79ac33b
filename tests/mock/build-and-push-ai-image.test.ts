import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from '../../scripts/agent/build-once';
import { runMockScenario } from './mock-scenario';

describe('MockTestRunner: BuildAndPushAiImage', function () {
  this.timeout(60_000);
  let repository: string;
  before(() => ensureBuilt());
  beforeEach(() => {
    repository = fs.mkdtempSync(path.join(os.tmpdir(), 'mock-repository-'));
  });
  afterEach(() => fs.rmSync(repository, { recursive: true, force: true }));

  it('fails before building, naming the dockerfile input, when the repository has no Dockerfile', async () => {
    const runner = await runMockScenario({
      task: 'BuildAndPushAiImageV1',
      inputs: {
        connectionType: 'azureRM',
        azureSubscription: 'arm-connection',
        azureContainerRegistry: 'myregistry',
        repository: 'models/iris',
        dockerfile: 'serving/Dockerfile',
        tags: '42',
      },
      env: { SYSTEM_DEFAULTWORKINGDIRECTORY: repository },
    });
    assert.equal(runner.failed, true, runner.stdout);
    assert.equal(runner.errorIssues.length, 1, runner.stdout);
    assert.match(runner.errorIssues[0] ?? '', /Input 'dockerfile': .*serving\/Dockerfile does not exist/);
    assert.equal(runner.stdOutContained('##vso[task.complete result=Failed;]'), true);
    assert.equal(runner.invokedToolCount, 0);
  });
});
