import { strict as assert } from 'node:assert';
import { InputError } from '../../../tasks/common/errors';
import { inputSourceFromRecord } from '../../../tasks/common/input-reader';
import { INPUT, readInputs, type InputFiles, type InputName, type SmokeTestInputs } from '../../../tasks/SmokeTestModelV1/src/inputs';

const NO_FILES: InputFiles = {
  isDirectory: (path) => path === '/agent/s',
  read: (path) => {
    if (path === 'body.json') return Buffer.from('{"instances": [[1]]}');
    if (path === 'image.png') return Buffer.from([0x89, 0x50]);
    if (path === 'ca.pem') return Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    if (path === 'not-a-cert.pem') return Buffer.from('hello');
    throw new Error(`ENOENT: no such file '${path}'`);
  },
};

function read(values: Partial<Record<InputName, string>>, modelUrlFromEarlierStep?: string): SmokeTestInputs {
  return readInputs(inputSourceFromRecord(values), { ...(modelUrlFromEarlierStep === undefined ? {} : { modelUrlFromEarlierStep }), files: NO_FILES, setSecret: () => undefined });
}

function fails(values: Partial<Record<InputName, string>>, input: string, pattern: RegExp): void {
  assert.throws(
    () => read(values),
    (error: unknown) => error instanceof InputError && error.input === input && pattern.test(error.message),
  );
}

describe('SmokeTestModel inputs', () => {
  it('declares every input name once', () => {
    assert.equal(new Set(Object.values(INPUT)).size, Object.keys(INPUT).length);
  });

  it('reads the defaults the issue lists', () => {
    const inputs = read({ url: 'http://127.0.0.1:8080/' });
    assert.equal(inputs.url, 'http://127.0.0.1:8080');
    assert.equal(inputs.protocol, 'auto');
    assert.deepEqual(inputs.expectedStatus, [200]);
    assert.equal(inputs.readinessTimeoutInMs, 600_000);
    assert.equal(inputs.timeoutInMs, 20 * 60_000);
    assert.equal(read({ url: 'http://127.0.0.1:8080/', timeoutInMinutes: '0.5' }).timeoutInMs, 30_000);
    assert.throws(() => read({ url: 'http://127.0.0.1:8080/', timeoutInMinutes: '0.1' }), /Input 'timeoutInMinutes'.*0\.25/);
    assert.equal(inputs.warmupRequests, 1);
    assert.equal(inputs.requests, 10);
    assert.equal(inputs.concurrency, 1);
    assert.deepEqual(inputs.gates, { maxErrorRate: 0 });
    assert.equal(inputs.publishTestResults, true);
    assert.deepEqual(inputs.authentication, { kind: 'none' });
    assert.equal(inputs.body, undefined);
  });

  it('takes the URL from DeployToAci when the url input is empty, and names the input when neither is there', () => {
    const inputs = read({}, 'http://10.0.0.4:5000');
    assert.equal(inputs.url, 'http://10.0.0.4:5000');
    assert.equal(inputs.urlSource, 'earlierStep');
    fails({}, 'url', /Input 'url' is required.*AiModelDeploy\.ModelUrl/);
  });

  it('rejects bad URLs', () => {
    fails({ url: 'not a url' }, 'url', /absolute http or https URL/);
    fails({ url: 'ftp://host/x' }, 'url', /http or https/);
    fails({ url: 'http://user:pw@host' }, 'url', /must not contain a user name or password/);
  });

  it('parses the body as JSON, or raw where the protocol allows it', () => {
    assert.deepEqual(read({ url: 'http://h', protocol: 'kserveV1', requestBody: '{"instances": [1]}' }).body, { kind: 'json', value: { instances: [1] }, input: 'requestBody' });
    fails({ url: 'http://h', protocol: 'kserveV1', requestBody: '{"instances": [1]' }, 'requestBody', /must be JSON/);
    assert.equal(read({ url: 'http://h', protocol: 'http', requestBody: 'plain text' }).body?.kind, 'raw');
    const image = read({ url: 'http://h', protocol: 'torchServe', modelName: 'm', requestBodyFile: 'image.png' }).body;
    assert.equal(image?.kind === 'raw' ? image.contentType : undefined, 'image/png');
    assert.equal(read({ url: 'http://h', protocol: 'kserveV1', requestBodyFile: 'body.json' }).body?.kind, 'json');
  });

  it('treats a filePath input the agent set to the sources folder as empty', () => {
    assert.equal(read({ url: 'http://h', requestBodyFile: '/agent/s', caCertificate: '/agent/s' }).body, undefined);
  });

  it('rejects a body given twice, a missing file and a GET with a body', () => {
    fails({ url: 'http://h', requestBody: '{}', requestBodyFile: 'body.json' }, 'requestBody', /both set/);
    fails({ url: 'http://h', requestBodyFile: 'missing.json' }, 'requestBodyFile', /could not be read/);
    fails({ url: 'http://h', protocol: 'http', method: 'GET', requestBody: '{}' }, 'method', /sends no body/);
  });

  it('checks inputs against a chosen protocol before any request', () => {
    fails({ url: 'http://h', protocol: 'tfServing' }, 'modelName', /required for the TensorFlow Serving protocol/);
    fails({ url: 'http://h', protocol: 'mlflow' }, 'requestBody', /required for the MLflow scoring server protocol.*dataframe_split/);
    fails({ url: 'http://h', protocol: 'mlflow', requestBody: '{"instances": [1], "inputs": [1]}' }, 'requestBody', /exactly one of.*'instances' and 'inputs'/);
    fails({ url: 'http://h', protocol: 'kserveV1', requestBody: '{}', requestPath: 'predict' }, 'requestPath', /starts with '\/'/);
  });

  it('parses assertions and names the broken one', () => {
    const inputs = read({ url: 'http://h', assertions: '# a comment\n$.a == 1\n\n$.b exists' });
    assert.deepEqual(inputs.assertions.map((a) => a.source), ['$.a == 1', '$.b exists']);
    fails({ url: 'http://h', assertions: '$.a == 1\n$.b ~= 2' }, 'assertions', /assertion 2 \('\$\.b ~= 2'\): expected exists/);
  });

  it('validates counts and gates', () => {
    fails({ url: 'http://h', requests: '5', concurrency: '6' }, 'concurrency', /must not be more than 'requests' \(5\)/);
    fails({ url: 'http://h', requests: '0' }, 'requests', /whole number from 1/);
    fails({ url: 'http://h', maxLatencyP95Ms: '-5' }, 'maxLatencyP95Ms', /number from 0/);
    fails({ url: 'http://h', maxErrorRate: '1.5' }, 'maxErrorRate', /fraction from 0 to 1/);
    fails({ url: 'http://h', expectedStatus: '2000' }, 'expectedStatus', /HTTP status/);
    fails({ url: 'http://h', publishTestResults: 'yes' }, 'publishTestResults', /'true' or 'false'/);
    const inputs = read({ url: 'http://h', maxErrorRate: '5%', maxLatencyP99Ms: '250', expectedStatus: '200, 201' });
    assert.deepEqual(inputs.gates, { maxLatencyP99Ms: 250, maxErrorRate: 0.05 });
    assert.deepEqual(inputs.expectedStatus, [200, 201]);
  });

  it('masks the bearer token and the API key as they are read', () => {
    const masked: string[] = [];
    readInputs(inputSourceFromRecord({ url: 'http://h', authentication: 'bearerToken', bearerToken: 'tok-123' }), { files: NO_FILES, setSecret: (value) => masked.push(value) });
    readInputs(inputSourceFromRecord({ url: 'http://h', authentication: 'apiKey', apiKey: 'key-456' }), { files: NO_FILES, setSecret: (value) => masked.push(value) });
    assert.deepEqual(masked, ['tok-123', 'key-456']);
  });

  it('reads authentication, never repeating a secret in a message', () => {
    assert.deepEqual(read({ url: 'http://h', authentication: 'bearerToken', bearerToken: 'abc' }).authentication, { kind: 'bearerToken', token: 'abc' });
    assert.deepEqual(read({ url: 'http://h', authentication: 'apiKey', apiKey: 'k' }).authentication, { kind: 'apiKey', header: 'api-key', key: 'k' });
    assert.deepEqual(read({ url: 'http://h', authentication: 'entraId', azureSubscription: 'conn' }).authentication, {
      kind: 'entraId', connectionId: 'conn', scope: 'https://ml.azure.com/.default',
    });
    fails({ url: 'http://h', authentication: 'bearerToken' }, 'bearerToken', /secret variable/);
    assert.throws(() => read({ url: 'http://h', authentication: 'bearerToken', bearerToken: 'sec\nret' }), (e: unknown) => e instanceof InputError && !e.message.includes('sec'));
    fails({ url: 'http://h', authentication: 'bearerToken', bearerToken: 't', headers: 'Authorization: Basic x' }, 'headers', /use one or the other/);
  });

  it('reads headers as Name: value and never echoes a value', () => {
    assert.deepEqual(read({ url: 'http://h', headers: 'azureml-model-deployment: blue\nX-A: b: c' }).headers, [
      { name: 'azureml-model-deployment', value: 'blue' }, { name: 'X-A', value: 'b: c' },
    ]);
    assert.throws(() => read({ url: 'http://h', headers: 'no colon here' }), (e: unknown) => e instanceof InputError && /line 1/.test(e.message));
    fails({ url: 'http://h', headers: 'Host: x' }, 'headers', /must not set 'Host'/);
  });

  it('reads a PEM CA certificate and rejects other files', () => {
    assert.match(read({ url: 'https://h', caCertificate: 'ca.pem' }).caCertificatePem ?? '', /BEGIN CERTIFICATE/);
    fails({ url: 'https://h', caCertificate: 'not-a-cert.pem' }, 'caCertificate', /PEM file/);
  });
});
