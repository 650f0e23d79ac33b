import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test';
import { type ServiceConnection, toAgentEnvironment } from '../../emulator/service-connection';

const ROOT = path.resolve(__dirname, '..', '..');

export interface MockScenario {
  task: 'BuildAndPushAiImageV1' | 'DeployToAciV1' | 'SmokeTestModelV1';
  inputs: Record<string, string>;
  connections?: ServiceConnection[];
  /** Extra environment for the task (variables as the agent spells them, e.g. SYSTEM_DEFAULTWORKINGDIRECTORY). */
  env?: Record<string, string>;
}

/**
 * Runs a task's bundle through azure-pipelines-task-lib's MockTestRunner (TaskMockRunner with the real,
 * bundled task-lib), offline: `nodePath` is this process's node, so the runner never downloads Node.
 * The mock-run script is written to a temp folder that also serves as Agent.TempDirectory.
 */
export async function runMockScenario(scenario: MockScenario): Promise<MockTestRunner> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mock-scenario-'));
  try {
    const env: Record<string, string> = { AGENT_TEMPDIRECTORY: folder, ...scenario.env };
    for (const connection of scenario.connections ?? []) Object.assign(env, toAgentEnvironment(connection));
    const script = path.join(folder, `${scenario.task}.mock-run.js`);
    fs.writeFileSync(
      script,
      [
        `const { TaskMockRunner } = require(${JSON.stringify(require.resolve('azure-pipelines-task-lib/mock-run', { paths: [ROOT] }))});`,
        `Object.assign(process.env, ${JSON.stringify(env)});`,
        `const runner = new TaskMockRunner(${JSON.stringify(path.join(ROOT, 'tasks', scenario.task, 'dist', 'index.js'))});`,
        ...Object.entries(scenario.inputs).map(([name, value]) => `runner.setInput(${JSON.stringify(name)}, ${JSON.stringify(value)});`),
        // The bundle carries its own task-lib: run it as is (no mocked task-lib module to inject).
        'runner.run(true);',
        '',
      ].join('\n'),
    );
    const runner = new MockTestRunner(script, path.join(ROOT, 'tasks', scenario.task, 'task.json'));
    runner.nodePath = process.execPath;
    await runner.LoadAsync();
    await runner.runAsync();
    return runner;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** An Azure Resource Manager connection whose scheme no task supports (fails before any network call). */
export function publishProfileConnection(id: string): ServiceConnection {
  return {
    id,
    name: 'publish-profile',
    url: 'https://management.azure.com/',
    scheme: 'PublishProfile',
    authParameters: { tenantid: 'tenant', publishProfile: '<publishData/>' },
    data: { subscriptionId: '00000000-0000-0000-0000-000000000001', environment: 'AzureCloud' },
  };
}
