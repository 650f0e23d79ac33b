import { strict as assert } from 'node:assert';
import { agentEnvironment, environmentName } from '../../../scripts/agent/agent-environment';

const folders = { workingDirectory: '/w/s', agentTempDirectory: '/w/_temp', agentWorkFolder: '/w' };

describe('agentEnvironment (what the agent gives a task)', () => {
  it('maps names as the agent does', () => {
    assert.equal(environmentName('Build.BuildId'), 'BUILD_BUILDID');
    assert.equal(environmentName('my var.name'), 'MY_VAR_NAME');
  });

  it('gives inputs, variables, secret variables, connections and job facts', () => {
    const { env, secrets } = agentEnvironment({
      ...folders,
      inputs: { imageRepository: 'models/iris', 'odd name': 'x' },
      variables: { 'Build.BuildId': '42', 'deploy.stage': 'prod' },
      secretVariables: { apiKey: 'secret-key' },
      connections: [
        { id: 'c1', name: 'n', url: 'https://arm/', scheme: 'ServicePrincipal', authParameters: { serviceprincipalkey: 'spn-key', tenantid: 't' }, data: { subscriptionId: 's' } },
      ],
      env: { EXTRA: '1' },
    });
    assert.equal(env.INPUT_IMAGEREPOSITORY, 'models/iris');
    assert.equal(env.INPUT_ODD_NAME, 'x');
    assert.equal(env.BUILD_BUILDID, '42');
    assert.equal(env.DEPLOY_STAGE, 'prod');
    assert.equal(env.SECRET_APIKEY, 'secret-key');
    assert.equal(env.APIKEY, undefined);
    assert.equal(env.ENDPOINT_URL_c1, 'https://arm/');
    assert.equal(env.ENDPOINT_AUTH_SCHEME_c1, 'ServicePrincipal');
    assert.equal(env.ENDPOINT_AUTH_PARAMETER_c1_SERVICEPRINCIPALKEY, 'spn-key');
    assert.equal(env.ENDPOINT_DATA_c1_SUBSCRIPTIONID, 's');
    assert.equal(env.AGENT_TEMPDIRECTORY, '/w/_temp');
    assert.equal(env.SYSTEM_DEFAULTWORKINGDIRECTORY, '/w/s');
    assert.equal(env.BUILD_SOURCESDIRECTORY, '/w/s');
    assert.match(env.AGENT_VERSION ?? '', /^4\./);
    assert.equal(env.EXTRA, '1');
    assert.deepEqual(JSON.parse(env.VSTS_SECRET_VARIABLES ?? ''), ['apiKey']);
    assert.deepEqual(secrets.sort(), ['secret-key', 'spn-key']);
  });

  it("adds the job's SystemVssConnection when there is an access token, and masks it", () => {
    const { env, secrets } = agentEnvironment({ ...folders, inputs: {}, env: { SYSTEM_ACCESSTOKEN: 'job-token', SYSTEM_COLLECTIONURI: 'https://127.0.0.1:9/org/' } });
    assert.equal(env.ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION, 'OAuth');
    assert.equal(env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN, 'job-token');
    assert.equal(env.ENDPOINT_URL_SYSTEMVSSCONNECTION, 'https://127.0.0.1:9/org/');
    assert.deepEqual(secrets, ['job-token']);
  });

  it("does not pass on the harness's own job-like variables", () => {
    process.env.INPUT_LEAKED = 'x';
    process.env.NODE_OPTIONS = '--inspect';
    try {
      const { env } = agentEnvironment({ ...folders, inputs: {} });
      assert.equal(env.INPUT_LEAKED, undefined);
      assert.equal(env.NODE_OPTIONS, undefined);
      assert.equal(env.PATH, process.env.PATH);
    } finally {
      delete process.env.INPUT_LEAKED;
      delete process.env.NODE_OPTIONS;
    }
  });
});
