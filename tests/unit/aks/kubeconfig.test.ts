import * as assert from 'node:assert/strict';
import { TaskError } from '../../../tasks/common/errors';
import { AKS_SERVER_APP_ID, parseKubeconfig } from '../../../tasks/DeployToAksV1/src/kubeconfig';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function kubeconfig(user: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(CA)}`,
    '    server: https://aks-models-dns-12345678.hcp.westeurope.azmk8s.io:443',
    '  name: aks-models',
    'contexts:',
    '- context:',
    '    cluster: aks-models',
    '    user: clusterUser_rg-models_aks-models',
    '  name: aks-models',
    'current-context: aks-models',
    'users:',
    '- name: clusterUser_rg-models_aks-models',
    '  user:',
    user,
  ].join('\n');
}

describe('DeployToAks kubeconfig', () => {
  it("reads an Entra ID cluster's exec (kubelogin) user as an Entra ID sign-in with its server id, without running anything", async () => {
    const access = await parseKubeconfig(
      kubeconfig(
        [
          '    exec:',
          '      apiVersion: client.authentication.k8s.io/v1beta1',
          '      command: kubelogin',
          '      args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, t, --login, devicecode]',
        ].join('\n'),
      ),
      'the user kubeconfig',
    );
    assert.deepEqual(access, { server: 'https://aks-models-dns-12345678.hcp.westeurope.azmk8s.io:443', caPem: CA, auth: { kind: 'entraId', serverAppId: AKS_SERVER_APP_ID }, user: 'clusterUser_rg-models_aks-models' });
  });

  it('reads the legacy azure auth provider, client certificates and tokens', async () => {
    const provider = await parseKubeconfig(kubeconfig('    auth-provider:\n      name: azure\n      config:\n        apiserver-id: 11111111-2222-3333-4444-555555555555'), 'k');
    assert.deepEqual(provider.auth, { kind: 'entraId', serverAppId: '11111111-2222-3333-4444-555555555555' });
    const cert = await parseKubeconfig(kubeconfig(`    client-certificate-data: ${b64('CERT')}\n    client-key-data: ${b64('KEY')}\n    token: abc`), 'k');
    assert.deepEqual(cert.auth, { kind: 'clientCertificate', certificatePem: 'CERT', keyPem: 'KEY' });
    assert.deepEqual((await parseKubeconfig(kubeconfig('    token: abc'), 'k')).auth, { kind: 'token', token: 'abc' });
  });

  it('refuses what it cannot use, naming the kubeconfig', async () => {
    await assert.rejects(parseKubeconfig(kubeconfig('    exec:\n      command: aws-iam-authenticator'), 'the user kubeconfig'), (error: unknown) => error instanceof TaskError && /exec plugin 'aws-iam-authenticator'/.test(error.message));
    await assert.rejects(parseKubeconfig(kubeconfig('    username: admin'), 'the user kubeconfig'), /holds no credential the task can use/);
    await assert.rejects(parseKubeconfig(': : :', 'the user kubeconfig'), /the user kubeconfig is not a valid kubeconfig|has no cluster or user/);
    await assert.rejects(parseKubeconfig(kubeconfig('    token: abc').replace('https://', 'http://'), 'k'), /names no https API server/);
  });
});
