import { strict as assert } from 'node:assert';
import { agentEnvironment, environmentName, isEndpointAuthorizationParameterSecret } from '../../../scripts/agent/agent-environment';

const folders = { workingDirectory: '/w/s', agentTempDirectory: '/w/_temp', agentWorkFolder: '/w' };

describe('agentEnvironment (what the agent gives a task; Handler.cs, NodeHandler.cs)', () => {
  it('maps names as VarUtil.ConvertToEnvVariableFormat does: only "." and " " become "_"', () => {
    assert.equal(environmentName('Build.BuildId'), 'BUILD_BUILDID');
    assert.equal(environmentName('my var.name'), 'MY_VAR_NAME');
    assert.equal(environmentName('tab\tname'), 'TAB\tNAME');
    assert.equal(environmentName('dash-name'), 'DASH-NAME');
  });

  it('gives inputs, variables, secret variables, connections and job facts', () => {
    const { env, masker } = agentEnvironment({
      ...folders,
      inputs: { imageRepository: 'models/iris', 'odd name': 'x' },
      variables: { 'Build.BuildId': '42', 'deploy.stage': 'prod' },
      secretVariables: { apiKey: 'secret-key' },
      connections: [
        { id: 'c1', name: 'n', url: 'https://arm/', scheme: 'ServicePrincipal', authParameters: { serviceprincipalkey: 'spn-key', tenantid: 'tenant-guid' }, data: { subscriptionId: 's' } },
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
    assert.deepEqual(JSON.parse(env.ENDPOINT_DATA_c1 ?? ''), { subscriptionId: 's' }, 'Handler.cs AddEndpointsToEnvironment: the data as JSON too');
    assert.equal(env.AGENT_TEMPDIRECTORY, '/w/_temp');
    assert.equal(env.SYSTEM_DEFAULTWORKINGDIRECTORY, '/w/s');
    assert.equal(env.BUILD_SOURCESDIRECTORY, '/w/s');
    assert.match(env.AGENT_VERSION ?? '', /^4\./);
    assert.equal(env.EXTRA, '1');
    assert.deepEqual(JSON.parse(env.VSTS_SECRET_VARIABLES ?? ''), ['apiKey', 'System.AccessToken']);
    assert.equal(masker.mask('spn-key secret-key tenant-guid'), '*** *** tenant-guid');
  });

  it("always gives the job's SystemVssConnection with the job's OAuth token (Handler.cs AddEndpointsToEnvironment), masked", () => {
    const { env, masker } = agentEnvironment({ ...folders, inputs: {} });
    assert.equal(env.ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION, 'OAuth');
    const token = env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN ?? '';
    assert.ok(token.length >= 16);
    assert.equal(env.SECRET_SYSTEM_ACCESSTOKEN, token);
    assert.equal(env.ENDPOINT_URL_SYSTEMVSSCONNECTION, 'https://dev.azure.com/local-organisation/');
    assert.equal(masker.mask(`token ${token}`), 'token ***');
  });

  it("takes the job's facts and OAuth token from the harness's env as job variables", () => {
    const { env, masker } = agentEnvironment({ ...folders, inputs: {}, env: { SYSTEM_ACCESSTOKEN: 'job-token', SYSTEM_COLLECTIONURI: 'https://127.0.0.1:9/org/' } });
    assert.equal(env.ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN, 'job-token');
    assert.equal(env.ENDPOINT_URL_SYSTEMVSSCONNECTION, 'https://127.0.0.1:9/org/');
    assert.equal(env.SYSTEM_COLLECTIONURI, 'https://127.0.0.1:9/org/');
    assert.equal(env.SYSTEM_ACCESSTOKEN, undefined, 'System.AccessToken is a secret variable: SECRET_SYSTEM_ACCESSTOKEN only');
    assert.equal(masker.mask('job-token'), '***');
  });

  it("does not let a step's env: override the agent's own variables (AddVariablesToEnvironment comes after)", () => {
    const { env } = agentEnvironment({ ...folders, inputs: { a: 'input' }, stepEnv: { BUILD_BUILDID: 'from-step', INPUT_A: 'from-step', MY_SETTING: 'kept' }, variables: { 'Build.BuildId': '7' } });
    assert.equal(env.BUILD_BUILDID, '7');
    assert.equal(env.INPUT_A, 'input');
    assert.equal(env.MY_SETTING, 'kept');
  });

  it('gives the job its VSTS_PROCESS_LOOKUP_ID and the agent proxy as Agent.Proxy* variables, the password as a secret', () => {
    const { env, masker } = agentEnvironment({
      ...folders,
      inputs: {},
      processLookupId: 'vsts_1234',
      proxy: { url: 'http://127.0.0.1:3128', username: 'proxy-user', password: 'proxy-pass', bypassList: ['127\\.0\\.0\\.9'] },
    });
    assert.equal(env.VSTS_PROCESS_LOOKUP_ID, 'vsts_1234');
    assert.equal(env.AGENT_PROXYURL, 'http://127.0.0.1:3128');
    assert.equal(env.AGENT_PROXYUSERNAME, 'proxy-user');
    assert.equal(env.AGENT_PROXYPASSWORD, undefined);
    assert.equal(env.SECRET_AGENT_PROXYPASSWORD, 'proxy-pass');
    assert.deepEqual(JSON.parse(env.AGENT_PROXYBYPASSLIST ?? ''), ['127\\.0\\.0\\.9']);
    assert.equal(masker.mask('proxy-pass'), '***');
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

describe('endpoint masking (MaskingUtil.IsEndpointAuthorizationParametersSecret, Worker.cs InitializeSecretMasker)', () => {
  it('masks every authorization parameter but the exclusion list: service principal ids and user names too', () => {
    for (const key of ['serviceprincipalid', 'username', 'serviceprincipalkey', 'password', 'idToken', 'AccessToken']) assert.ok(isEndpointAuthorizationParameterSecret(key), key);
    for (const key of ['tenantid', 'scope', 'authenticationType', 'role', 'audience']) assert.ok(!isEndpointAuthorizationParameterSecret(key), key);
    const { masker } = agentEnvironment({
      ...folders,
      inputs: {},
      connections: [
        {
          id: 'c1',
          name: 'n',
          url: 'https://arm/',
          scheme: 'ServicePrincipal',
          authParameters: { serviceprincipalid: 'client-id-guid', authenticationType: 'spnKey', username: 'registry-user' },
          data: {},
        },
      ],
    });
    assert.equal(masker.mask('client-id-guid spnKey registry-user'), '*** spnKey ***');
  });
});
