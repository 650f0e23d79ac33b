// The local runner's job semantics through the bundled SmokeTestModel task (no Azure needed):
// continueOnError, a failure skipping later steps, output variables between steps, secret masking.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureBuilt } from '../../../scripts/agent/build-once';
import { runJob } from '../../../scripts/agent/job';
import { planJob } from '../../../scripts/pipeline/job-plan';
import { parsePipeline } from '../../../scripts/pipeline/parse';

const SECRET = 'tok-7f3a9c1e5b';

describe('local runner: job semantics', function () {
  this.timeout(120_000);
  let server: http.Server;
  let url: string;

  before(async () => {
    await ensureBuilt();
    server = http.createServer((request, response) => {
      response.writeHead(request.headers.authorization === `Bearer ${SECRET}` ? 200 : 401, { 'content-type': 'application/json' });
      response.end('{"ok": true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const step = (name: string, extra: string[]): string[] => [
    '  - task: SmokeTestModel@1',
    `    name: ${name}`,
    ...extra,
    '    inputs:',
    '      protocol: http',
    '      requestPath: /',
    '      authentication: bearerToken',
    '      bearerToken: $(apiToken)',
    '      requests: "3"',
    '      publishTestResults: false',
  ];

  it('goes on after a continueOnError failure, passes outputs on, masks secrets, and stops at a real failure', async () => {
    const yaml = [
      'steps:',
      ...step('soft', ['    continueOnError: true']).map((line) => line.replace('$(apiToken)', 'wrong-token')),
      '      url: $(modelUrl)',
      ...step('ok', []),
      '      url: $(modelUrl)',
      ...step('chained', []),
      '      url: $(modelUrl)',
      '      testRunTitle: after $(ok.successRate)',
      '      readinessTimeoutInSeconds: "1"',
      '      headers: "X-Bad: $(ok.protocol)"',
      '      expectedStatus: "201"',
      ...step('skipped', []),
      '      url: $(modelUrl)',
    ].join('\n');
    const plan = planJob(parsePipeline(yaml, 'p.yml'), { runnerVariables: { modelUrl: url }, variables: {}, secrets: { apiToken: SECRET } });
    const lines: string[] = [];
    const job = await runJob(plan.steps, { variables: plan.variables, secretVariables: plan.secretVariables, onLine: (_step, line) => lines.push(line) });
    assert.deepEqual(
      job.steps.map((s) => [s.step.name, s.skipped ? 'skipped' : s.run?.result]),
      [['soft', 'Failed'], ['ok', 'Succeeded'], ['chained', 'Failed'], ['skipped', 'skipped']],
    );
    assert.equal(job.result, 'Failed');
    assert.equal(job.variables['ok.successRate'], '1');
    assert.equal(job.steps[2]?.inputs['headers'], 'X-Bad: http');
    assert.ok(!lines.join('\n').includes(SECRET) && !job.log.includes(SECRET), 'the secret variable appeared in the log');
    assert.ok(job.steps.every((s) => s.skipped || s.durationInMs > 0));
  });

  it('evaluates conditions as the agent does: failed() only after a failure, always() whatever happened', async () => {
    const conditioned = (name: string, condition: string | undefined, token: string): string[] => [
      ...step(name, condition ? [`    condition: ${condition}`] : []).map((line) => line.replace('$(apiToken)', token)),
      '      url: $(modelUrl)',
    ];
    const yaml = [
      'steps:',
      ...conditioned('ok', undefined, '$(apiToken)'),
      ...conditioned('notYet', 'failed()', '$(apiToken)'),
      ...conditioned('bad', undefined, 'wrong-token'),
      ...conditioned('skipped', 'succeeded()', '$(apiToken)'),
      ...conditioned('cleanup', 'always()', '$(apiToken)'),
      ...conditioned('onFailure', 'failed()', '$(apiToken)'),
    ].join('\n');
    const plan = planJob(parsePipeline(yaml, 'p.yml'), { runnerVariables: { modelUrl: url }, variables: {}, secrets: { apiToken: SECRET } });
    const job = await runJob(plan.steps, { variables: plan.variables, secretVariables: plan.secretVariables });
    assert.deepEqual(
      job.steps.map((s) => [s.step.name, s.skipped ? 'skipped' : s.run?.result]),
      [['ok', 'Succeeded'], ['notYet', 'skipped'], ['bad', 'Failed'], ['skipped', 'skipped'], ['cleanup', 'Succeeded'], ['onFailure', 'Succeeded']],
    );
    assert.equal(job.result, 'Failed');
  });
});
