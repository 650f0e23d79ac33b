import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TaskRun } from '../../../scripts/agent/task-run';
import { assertNoSecretsLeft, base64Forms, entriesNamed, findSecretLeaks } from '../../support/secret-scan';

const GIVEN = 'connection-secret-value';
const CREATED = 'registry-refresh-token-value';

function cleanRun(): TaskRun {
  return {
    result: 'Succeeded',
    message: 'done',
    exitCode: 0,
    timedOut: false,
    taskResult: 'Succeeded',
    cancelled: false,
    commandErrors: [],
    leftProcesses: [],
    prependPath: [],
    registeredSecrets: [CREATED],
    node: { handler: 'Node20_1', path: 'node', version: 'v20.0.0' },
    variables: { imageUri: { value: 'reg/app@sha256:1', isOutput: true, isSecret: false }, token: { value: CREATED, isSecret: true, isOutput: false } },
    issues: [],
    summaries: [{ name: 'Image', content: '| Image | reg/app |' }],
    testResults: [],
    attachments: [],
    log: 'Pushing reg/app:1\n',
    stdout: `##vso[task.setsecret]${CREATED}\n##vso[task.debug]INPUT_BUILDARGUMENTS=TOKEN=${GIVEN}\nPushing reg/app:1\n`,
    stderr: '',
    secrets: [GIVEN, CREATED],
  };
}

describe('secret scanner for end-to-end runs (tests/support/secret-scan.ts)', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('passes a clean run: setsecret commands and secret variables are where secrets belong', () => {
    assert.deepEqual(findSecretLeaks(cleanRun(), { secrets: [GIVEN], folders: [folder], echoedAsInputs: [GIVEN] }), []);
  });

  it('finds a secret in every place a run shows or leaves behind, naming the place but not the secret', () => {
    const run = cleanRun();
    run.log += `token ${CREATED}\n`;
    run.message = `failed with ${GIVEN}`;
    run.issues.push({ type: 'warning', message: `saw ${GIVEN}` });
    run.summaries.push({ name: 'Leaky', content: CREATED });
    run.attachments.push({ type: 't', name: 'a', content: GIVEN });
    run.testResults.push({ type: 'JUnit', files: ['r.xml'], contents: [`<failure>${GIVEN}</failure>`] });
    run.variables.out = { value: CREATED, isOutput: true, isSecret: false };
    run.stdout += `##vso[task.debug]Running: docker login -p ${CREATED}\n`;
    run.stderr = GIVEN;
    fs.mkdirSync(path.join(folder, 'docker-config-1'));
    fs.writeFileSync(path.join(folder, 'docker-config-1', 'config.json'), JSON.stringify({ auths: { reg: { auth: Buffer.from(`00000000-0000-0000-0000-000000000000:${CREATED}`).toString('base64') } } }));
    fs.writeFileSync(path.join(folder, 'plain.txt'), `x:${CREATED}`);

    const leaks = findSecretLeaks(run, { secrets: [GIVEN], folders: [folder], echoedAsInputs: [GIVEN] });
    const places = leaks.map((leak) => /appears in (.*?): \.\.\./.exec(leak)?.[1]);
    places.splice(-2, 2, ...places.slice(-2).sort());
    assert.deepEqual(places, [
      'the log',
      'the result message',
      'issue 1 (warning)',
      "summary 'Leaky'",
      "attachment 'a'",
      'test results r.xml',
      'variable out',
      'stdout debug lines',
      'stderr',
      ...[`file ${path.join(folder, 'docker-config-1', 'config.json')} (base64-encoded)`, `file ${path.join(folder, 'plain.txt')}`].sort(),
    ]);
    for (const leak of leaks) assert.ok(!leak.includes(GIVEN) && !leak.includes(CREATED), leak);
    assert.throws(() => assertNoSecretsLeft(run, { secrets: [GIVEN], folders: [folder] }), /secrets leaked/);
    assert.deepEqual(entriesNamed(folder, 'docker-config-'), [path.join(folder, 'docker-config-1')]);
  });

  it('searches debug lines for inputs too unless told the secret was given as an input', () => {
    const run = cleanRun();
    assert.deepEqual(
      findSecretLeaks(run, { secrets: [GIVEN] }).map((leak) => /appears in (.*?):/.exec(leak)?.[1]),
      ['stdout debug lines'],
    );
  });

  it('finds a secret base64-encoded after a prefix of any length', () => {
    for (let n = 0; n < 6; n++) {
      const encoded = Buffer.from(`${'u'.repeat(n)}:${CREATED}:tail`).toString('base64');
      assert.ok(base64Forms(CREATED).some((form) => encoded.includes(form)), `prefix of ${n + 1} bytes`);
    }
    assert.ok(!base64Forms(CREATED).some((form) => Buffer.from(`:${GIVEN}`).toString('base64').includes(form)));
  });

  it('ignores values too short to be told from chance', () => {
    const run = cleanRun();
    run.log += 'abc';
    assert.deepEqual(findSecretLeaks(run, { secrets: ['abc'], echoedAsInputs: [GIVEN] }), []);
  });
});
