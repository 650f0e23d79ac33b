// A pipeline author's own app, never seen by this project, tried with `npm start` as the README says
// (section "Try your own pipeline"): its own Git repository, its own variable names, a hyphenated
// service connection name, its own registry and resource group, a secret from the environment. It must
// pass the first time. The same pipeline with the usual mistakes is stopped by --strict before anything
// slow starts, each mistake named with where it is and what Azure DevOps would do.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { runDemo } from './run-demo';

const run = promisify(execFile);
const API_KEY = `pk-${randomBytes(12).toString('hex')}`;

const SERVER = `const http = require('node:http');
http.createServer((request, response) => {
  if (request.url === '/health') return response.end('ok');
  if (request.method !== 'POST' || request.url !== '/score') { response.writeHead(404); return response.end(); }
  if (request.headers['x-api-key'] !== process.env.API_KEY) { response.writeHead(401); return response.end('{"error":"unauthorized"}'); }
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const { rooms } = JSON.parse(body || '{}');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ price: 100000 + 50000 * rooms }));
  });
}).listen(8080);
`;

const DOCKERFILE = ['ARG BASE_IMAGE=node:20-slim', 'FROM ${BASE_IMAGE}', 'WORKDIR /app', 'COPY server.js .', 'EXPOSE 8080', 'CMD ["node", "server.js"]', ''].join('\n');

function pipeline(groupName: string, mistakes: boolean): string {
  return [
    'trigger: [main]',
    'pool: { vmImage: ubuntu-latest }',
    'variables:',
    '  acrName: crpricing',
    '  rgName: rg-pricing',
    '  serviceConnection: sc-pricing-prod',
    '  baseImage: node:20-slim',
    'stages:',
    '  - stage: deliver',
    '    jobs:',
    '      - job: pricing',
    '        steps:',
    '          - task: BuildAndPushAiImage@1',
    '            name: image',
    '            inputs:',
    '              azureSubscription: $(serviceConnection)',
    '              azureContainerRegistry: $(acrName)',
    '              repository: pricing/api',
    '              buildArguments: BASE_IMAGE=$(baseImage)',
    '          - task: DeployToAci@1',
    '            name: deploy',
    '            inputs:',
    '              azureSubscription: ${{ variables.serviceConnection }}',
    '              resourceGroup: $(rgName)',
    ...(mistakes ? [] : [`              containerGroupName: ${groupName}`]),
    "              ports: '8080'",
    `              ${mistakes ? 'dnsLabel' : 'dnsNameLabel'}: ${groupName}`,
    `              ${mistakes ? 'secureEnvironmentVariable' : 'secureEnvironmentVariables'}: API_KEY=$(${mistakes ? 'modelApiKey' : 'pricingApiKey'})`,
    '              readinessProbePath: /health',
    "              readinessProbePort: '8080'",
    '          - task: SmokeTestModel@1',
    '            name: smoke',
    '            inputs:',
    '              protocol: http',
    '              method: POST',
    '              requestPath: /score',
    '              readinessPath: /health',
    '              requestBody: \'{"rooms": 3}\'',
    '              authentication: apiKey',
    `              apiKey: $(${mistakes ? 'modelApiKey' : 'pricingApiKey'})`,
    '              apiKeyHeader: x-api-key',
    "              assertions: '$.price == 250000'",
    "              requests: '5'",
    `              ${mistakes ? 'maxLatencyP95' : 'maxLatencyP95Ms'}: '2000'`,
    '          - task: SmokeTestModel@1',
    '            name: health',
    '            condition: always()',
    '            inputs:',
    '              protocol: http',
    '              method: GET',
    '              requestPath: /health',
    "              requests: '1'",
    '',
  ].join('\n');
}

describe('local runner: an unseen app from the README alone', function () {
  let folder: string;
  const groupName = `pricing-${randomBytes(3).toString('hex')}`;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pricing-app-'));
    fs.writeFileSync(path.join(folder, 'server.js'), SERVER);
    fs.writeFileSync(path.join(folder, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(path.join(folder, 'azure-pipelines.yml'), pipeline(groupName, false));
    fs.writeFileSync(path.join(folder, 'mistakes.yml'), pipeline(groupName, true));
    await run('git', ['init', '--quiet', folder]);
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('with --strict, stops the mistakes before anything slow, each with where it is and what Azure DevOps does', async function () {
    this.timeout(120_000);
    const result = await runDemo([path.join(folder, 'mistakes.yml'), '--strict', '--connection', 'sc-pricing-prod=spnKey'], 100_000);
    assert.equal(result.code, 2, result.output);
    const expected = [
      /mistakes\.yml:2[0-9] \(stages\[0\]\.jobs\[0\]\.steps\[1\]\): DeployToAci@1 needs the input 'containerGroupName'; it is not given\. \(Azure DevOps accepts it: the run starts; the step then fails with "Input required: containerGroupName"\.\)/,
      /mistakes\.yml:\d+ \(stages\[0\]\.jobs\[0\]\.steps\[1\]\.inputs\.dnsLabel\): DeployToAci@1 has no input 'dnsLabel'; did you mean 'dnsNameLabel'\?/,
      /steps\[1\]\.inputs\.secureEnvironmentVariable\): DeployToAci@1 has no input 'secureEnvironmentVariable'; did you mean 'secureEnvironmentVariables'\?/,
      /steps\[1\]\.inputs\.secureEnvironmentVariable\): \$\(modelApiKey\) is not defined by any variable; .*\(Azure DevOps accepts it: the run starts and the agent leaves the macro as written\.\)/,
      /steps\[2\]\.inputs\.apiKey\): \$\(modelApiKey\) is not defined by any variable/,
      /steps\[2\]\.inputs\.maxLatencyP95\): SmokeTestModel@1 has no input 'maxLatencyP95'; did you mean 'maxLatencyP95Ms'\?/,
    ];
    for (const pattern of expected) assert.match(result.output, pattern);
    assert.match(result.output, /6 problem\(s\) found before the job \(--strict makes them errors\)/);
    assert.doesNotMatch(result.output, /Build the tasks|Start the local Azure/);
  });

  it('runs the pipeline first time: its registry and resource group created, the secret deployed and never shown, every smoke step reported', async function () {
    this.timeout(15 * 60_000);
    const result = await runDemo([path.join(folder, 'azure-pipelines.yml'), '--connection', 'sc-pricing-prod=spnKey', '--secret', 'pricingApiKey'], 14 * 60_000, { pricingApiKey: API_KEY });
    const output = result.output;
    assert.equal(result.code, 0, `the run failed:\n${output.slice(-6000)}`);
    assert.match(output, /service connection 'sc-pricing-prod' → local spnKey/);
    assert.doesNotMatch(output, /warning/i);
    assert.match(output, /created resource group 'rg-pricing' in the local Azure \(westeurope\)/);
    assert.match(output, /created registry 'crpricing' in the local Azure \(resource group rg-pricing, admin user enabled, login server 127\.0\.0\.1:\d+\)/);
    assert.match(output, /variable baseImage = 127\.0\.0\.1:\d+\/base\/node:\d+ \(set by runner\)/);
    assert.doesNotMatch(output, /Prepare the model app/, "the example app's dist/ was prepared for a pipeline that does not build it");
    assert.match(output, /Smoke test \(smoke\): Succeeded[\s\S]*pass {4}\$\.price == 250000/);
    assert.match(output, /Smoke test \(health\): Succeeded/);
    assert.match(output, /outside the steps +\d+\.\d s/);
    assert.ok(!output.includes(API_KEY), 'the secret appeared in the output');
    const instance = /registry crmodels([0-9a-f]+) at/.exec(output)?.[1];
    assert.ok(instance, 'the local Azure instance id was not printed');
    const { stdout } = await run('docker', ['ps', '--all', '--quiet', '--filter', `name=lazure-${instance}`]);
    assert.equal(stdout.trim(), '', `containers of the run's local Azure are left: ${stdout}`);
  });
});
