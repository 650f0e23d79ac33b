/** The pure reliability rules the tasks share or own: docker's registry faults, answer shapes, racing deploys, bad inputs. */
import { strict as assert } from 'node:assert';
import type { ContainerGroup } from '@azure/arm-containerinstance';
import { checkBuildArgumentSecrets } from '../../../tasks/BuildAndPushAiImageV1/src/build-argument-secrets';
import { dockerfileStages } from '../../../tasks/BuildAndPushAiImageV1/src/main';
import { concurrentChange } from '../../../tasks/DeployToAciV1/src/concurrent-change';
import { TAG } from '../../../tasks/DeployToAciV1/src/plan';
import { answerShapeProblem } from '../../../tasks/SmokeTestModelV1/src/answer-shape';
import { parseTargetUrl } from '../../../tasks/SmokeTestModelV1/src/input-values';
import { measuredTimeoutInMs } from '../../../tasks/SmokeTestModelV1/src/load';
import { registryFaultOf } from '../../../tasks/common/docker/docker-output';

describe('reliability rules', () => {
  it("reads docker's words for registry faults", () => {
    assert.deepEqual(registryFaultOf('received unexpected HTTP status: 503 Service Unavailable'), { statusCode: 503 });
    assert.deepEqual(registryFaultOf('error parsing HTTP 429 response body: no error details found'), { statusCode: 429 });
    assert.deepEqual(registryFaultOf('Put "https://r/v2/x/manifests/v1": EOF'), { code: 'ECONNRESET' });
    assert.deepEqual(registryFaultOf('EOF'), { code: 'ECONNRESET' });
    assert.deepEqual(registryFaultOf('write tcp 127.0.0.1:1->127.0.0.1:2: write: connection reset by peer'), { code: 'ECONNRESET' });
    assert.deepEqual(registryFaultOf('net/http: TLS handshake timeout'), { code: 'ETIMEDOUT' });
    assert.equal(registryFaultOf('denied: requested access to the resource is denied'), undefined);
  });

  it('refuses an HTML page and a non-JSON answer of a JSON protocol; accepts JSON', () => {
    const answer = (contentType: string | undefined, bodyText: string, json?: unknown) => ({ status: 200, bodyText, headers: { 'content-type': contentType }, ...(json === undefined ? {} : { json }) });
    assert.match(answerShapeProblem('torchServe', answer('text/html; charset=utf-8', '<html>Sign in</html>'), 'TorchServe') ?? '', /HTML page/);
    assert.match(answerShapeProblem('http', answer(undefined, '<!DOCTYPE html><html>'), 'HTTP') ?? '', /HTML page/);
    assert.match(answerShapeProblem('kserveV1', answer('text/plain', '1'), 'KServe v1') ?? '', /Content-Type text\/plain, but KServe v1 answers JSON/);
    assert.equal(answerShapeProblem('kserveV1', answer('application/json', '{"predictions":[1]}', { predictions: [1] }), 'KServe v1'), undefined);
    assert.equal(answerShapeProblem('torchServe', answer('text/plain', 'cat'), 'TorchServe'), undefined);
  });

  it('bounds measured requests by the canary latency (at least 30 s, at most the inference timeout)', () => {
    assert.equal(measuredTimeoutInMs(10), 30_000);
    assert.equal(measuredTimeoutInMs(3000), 60_000);
    assert.equal(measuredTimeoutInMs(60_000), 120_000);
  });

  it("finds another run's deployment in the group after the wait", () => {
    const group = (image: string, marker: string, cpu = 1): ContainerGroup => ({
      osType: 'Linux',
      tags: { [TAG.run]: marker },
      containers: [{ name: 'c', image, resources: { requests: { cpu, memoryInGB: 1.5 } } }],
    });
    assert.equal(concurrentChange(group('r/a@1', 'mine'), group('r/a@1', 'mine'), 'mine'), undefined);
    assert.match(concurrentChange(group('r/b@2', 'theirs'), group('r/a@1', 'mine'), 'mine') ?? '', /another run's marker .*theirs.*runs r\/b@2 instead of r\/a@1/);
    assert.match(concurrentChange(group('r/a@1', 'theirs', 2), group('r/a@1', 'mine'), 'mine') ?? '', /2 cpu \/ 1.5 GB instead of 1 cpu/);
    assert.equal(concurrentChange(group('r/a@1', 'older'), group('r/a@1', 'x'), undefined), undefined, 'unchanged: no marker expected');
  });

  it('refuses a SmokeTestModel url that already holds a protocol path, naming the base URL to give', () => {
    assert.throws(() => parseTargetUrl('url', 'http://m:8080/invocations'), /Input 'url' must be the model server's base URL, .*MLflow path '\/invocations'\. Give 'http:\/\/m:8080'/);
    assert.throws(() => parseTargetUrl('url', 'https://m/api/v2/models/iris/infer'), /Open Inference Protocol path '\/v2\/models\/iris\/infer'\. Give 'https:\/\/m\/api'/);
    assert.throws(() => parseTargetUrl('url', 'http://m/v1/models/iris:predict'), /KServe v1/);
    assert.equal(parseTargetUrl('url', 'http://m:8080/serving/'), 'http://m:8080/serving');
  });

  it("lists a Dockerfile's stages as docker compares them", () => {
    assert.deepEqual(dockerfileStages('FROM a AS Build\nRUN x\nfrom --platform=$BUILDPLATFORM b as runtime\nFROM c\n'), ['build', 'runtime']);
  });

  it('refuses an unexpanded build-argument macro and a label repeating a secret build argument', () => {
    const arg = (key: string, value: string) => ({ key, value });
    assert.throws(() => checkBuildArgumentSecrets({ buildArguments: [arg('NPM_TOKEN', '$(npmToken)')], labels: [] }, { known: [], emptyVariables: [] }), /Input 'buildArguments': the value of 'NPM_TOKEN' holds the macro '\$\(npmToken\)'/);
    assert.throws(() => checkBuildArgumentSecrets({ buildArguments: [arg('NPM_TOKEN', 's3cr3t-v')], labels: [arg('token', 's3cr3t-v')] }, { known: ['s3cr3t-v'], emptyVariables: [] }), /Input 'labels': label 'token' has the value of the secret build argument 'NPM_TOKEN'/);
    assert.deepEqual(checkBuildArgumentSecrets({ buildArguments: [arg('NPM_TOKEN', 's3cr3t-v'), arg('BASE', 'x')], labels: [] }, { known: ['s3cr3t-v'], emptyVariables: [] }), { secretArguments: ['NPM_TOKEN'] });
  });

  it('refuses an empty build argument while a secret variable is defined but empty, naming the input and the variable to define', () => {
    const arg = (key: string, value: string) => ({ key, value });
    const check = (value: string, emptyVariables: string[]) => () => checkBuildArgumentSecrets({ buildArguments: [arg('BASE', 'x'), arg('NPM_TOKEN', value)], labels: [] }, { known: [], emptyVariables });
    assert.throws(check('', ['other', 'npm.token']), /Input 'buildArguments': the value of 'NPM_TOKEN' is empty, and the secret variable 'npm\.token' is defined but empty.*Define a value for the secret variable 'npm\.token'/);
    assert.throws(check(' ', ['hfToken', 'pat']), /the job's secret variables 'hfToken', 'pat' are defined but empty.*Define a value for the secret variable that 'NPM_TOKEN' maps \('hfToken', 'pat'\)/);
    // An empty argument with no empty secret variable is an ordinary empty value (docker --build-arg NPM_TOKEN=).
    assert.deepEqual(checkBuildArgumentSecrets({ buildArguments: [arg('NPM_TOKEN', '')], labels: [] }, { known: ['s3cr3t-v'], emptyVariables: [] }), { secretArguments: [] });
    // The agent's own secrets are never what a build argument maps.
    assert.doesNotThrow(check('', ['System.AccessToken', 'Agent.ProxyPassword']));
  });
});
