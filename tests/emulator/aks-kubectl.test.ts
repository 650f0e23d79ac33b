/**
 * The local AKS through real clients: @azure/arm-containerservice for the managed clusters and their
 * credentials, then Debian's kubectl (1.20) against the API server: server-side apply, get -o json,
 * scale, describe, get events, delete, a second field manager's 409, 422 Invalid, 403 for an identity
 * without Kubernetes rights, 401 for a token that is not the AKS server app's.
 */
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ensureDebianKubectl, runKubectl } from '../support/debian-kubectl';
import { ClientAssertionCredential } from '@azure/identity';
import { API_SERVER_ONLY } from '../../emulator/kubernetes/runtime/api-server-only';
import { rejectionOf, required, useLocalAzure } from './local-azure-fixture';
import { AKS_SCOPE, aksToken, clusterNamed, containerServiceClient, decodeKubeconfig, ENTRA_CLUSTER, LOCAL_CLUSTER, RESOURCE_GROUP, useKubeconfigFolder } from './aks-support/aks-fixture';

function deployment(name: string, replicas: number, image = '127.0.0.1:5000/models/web:1'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 8080
`;
}

describe('local AKS: Resource Manager and Debian kubectl', function () {
  this.timeout(120_000);
  // The API server alone (as envtest runs it): no controller adds status updates or events to what these tests expect.
  const azure = useLocalAzure({ kubernetesRuntime: API_SERVER_ONLY });
  const kubeconfigFile = useKubeconfigFolder();
  let admin: string;

  before(async function () {
    this.timeout(180_000);
    await ensureDebianKubectl();
    const result = await containerServiceClient(azure()).managedClusters.listClusterAdminCredentials(RESOURCE_GROUP, LOCAL_CLUSTER);
    admin = kubeconfigFile('admin', decodeKubeconfig(result.kubeconfigs?.[0]?.value));
  });

  describe('Resource Manager', () => {
    it('lists both clusters with fqdn, version, agent pools, Entra ID profile, local accounts and kubelet identity', async () => {
      const client = containerServiceClient(azure());
      const clusters = [];
      for await (const cluster of client.managedClusters.listByResourceGroup(RESOURCE_GROUP)) clusters.push(cluster);
      assert.deepEqual(clusters.map((cluster) => cluster.name).sort(), [ENTRA_CLUSTER, LOCAL_CLUSTER]);
      const entra = await client.managedClusters.get(RESOURCE_GROUP, ENTRA_CLUSTER);
      assert.equal(entra.provisioningState, 'Succeeded');
      assert.match(entra.fqdn ?? '', /^aks-models-rg-models-[0-9a-f]{6}-[0-9a-f]{8}\.hcp\.westeurope\.azmk8s\.io$/);
      assert.equal(entra.kubernetesVersion, '1.36.0');
      assert.equal(entra.aadProfile?.managed, true);
      assert.equal(entra.aadProfile?.enableAzureRbac, true);
      assert.equal(entra.disableLocalAccounts, true);
      assert.equal(entra.agentPoolProfiles?.[0]?.name, 'nodepool1');
      assert.equal(entra.apiServerAccessProfile?.enablePrivateCluster, false);
      const kubelet = entra.identityProfile?.kubeletidentity;
      assert.equal(kubelet?.clientId, clusterNamed(azure(), ENTRA_CLUSTER).kubeletIdentity.clientId);
      assert.match(kubelet?.resourceId ?? '', /\/resourceGroups\/MC_rg-models_aks-models_westeurope\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/aks-models-agentpool$/);
      const local = await client.managedClusters.get(RESOURCE_GROUP, LOCAL_CLUSTER);
      assert.equal(local.aadProfile, undefined);
      assert.equal(local.disableLocalAccounts, false);
      const all = [];
      for await (const cluster of client.managedClusters.list()) all.push(cluster.name);
      assert.equal(all.length, 2);
    });

    it('gives the Entra ID cluster a kubelogin exec-plugin user credential and refuses its admin credential', async () => {
      const client = containerServiceClient(azure());
      const user = await client.managedClusters.listClusterUserCredentials(RESOURCE_GROUP, ENTRA_CLUSTER);
      assert.equal(user.kubeconfigs?.[0]?.name, 'clusterUser');
      const config = parse(decodeKubeconfig(user.kubeconfigs?.[0]?.value)) as { users: { name: string; user: { exec: { command: string; args: string[] } } }[]; 'current-context': string };
      assert.equal(config['current-context'], ENTRA_CLUSTER);
      assert.equal(config.users[0]?.name, `clusterUser_${RESOURCE_GROUP}_${ENTRA_CLUSTER}`);
      assert.equal(config.users[0]?.user.exec.command, 'kubelogin');
      assert.deepEqual(config.users[0]?.user.exec.args.slice(0, 5), ['get-token', '--environment', 'AzurePublicCloud', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630']);
      const error = await rejectionOf(client.managedClusters.listClusterAdminCredentials(RESOURCE_GROUP, ENTRA_CLUSTER));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 'BadRequest');
      assert.equal(error.message, 'Getting static credential is not allowed because this cluster is set to disable local accounts.');
    });

    it('refuses credentials to an identity without a cluster role (AuthorizationFailed)', async () => {
      const error = await rejectionOf(containerServiceClient(azure(), 'spnPullOnly').managedClusters.listClusterUserCredentials(RESOURCE_GROUP, ENTRA_CLUSTER));
      assert.equal(error.statusCode, 403);
      assert.equal(error.code, 'AuthorizationFailed');
      assert.match(error.message, /does not have authorization to perform action 'Microsoft\.ContainerService\/managedClusters\/listClusterUserCredential\/action'/);
    });
  });

  describe('kubectl with the local admin credential', () => {
    it('applies server-side, gets the defaulted object as JSON, and deletes it', async () => {
      const applied = await runKubectl(admin, ['apply', '--server-side', '-f', '-'], { input: deployment('web', 2) });
      assert.equal(applied.code, 0, applied.stderr);
      assert.equal(applied.stdout.trim(), 'deployment.apps/web serverside-applied');
      const got = await runKubectl(admin, ['get', 'deployment', 'web', '-o', 'json']);
      assert.equal(got.code, 0, got.stderr);
      const object = JSON.parse(got.stdout) as { metadata: { generation: number; managedFields: { manager: string; operation: string }[] }; spec: Record<string, unknown> };
      assert.equal(object.metadata.generation, 1);
      assert.deepEqual(object.metadata.managedFields.map((entry) => `${entry.manager}/${entry.operation}`), ['kubectl/Apply']);
      assert.equal(object.spec.replicas, 2);
      assert.deepEqual(object.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
      assert.equal(object.spec.progressDeadlineSeconds, 600);
      assert.equal(object.spec.revisionHistoryLimit, 10);
      const table = await runKubectl(admin, ['get', 'deployments']);
      // The numbers are the runtime's (the image here cannot be pulled): only the layout and the desired count are the API server's.
      assert.match(table.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+\d\/2\s+\d+\s+\d+\s+\d+s\n$/);
      const deleted = await runKubectl(admin, ['delete', 'deployment', 'web']);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.equal(deleted.stdout.trim(), 'deployment.apps "web" deleted');
      const gone = await runKubectl(admin, ['get', 'deployment', 'web']);
      assert.equal(gone.code, 1);
      assert.equal(gone.stderr.trim(), 'Error from server (NotFound): deployments.apps "web" not found');
    });

    it('scales through the scale subresource and describes the deployment', async () => {
      assert.equal((await runKubectl(admin, ['apply', '--server-side', '-f', '-'], { input: deployment('scaled', 1) })).code, 0);
      const scaled = await runKubectl(admin, ['scale', 'deployment', 'scaled', '--replicas=3']);
      assert.equal(scaled.code, 0, scaled.stderr);
      assert.equal(scaled.stdout.trim(), 'deployment.apps/scaled scaled');
      const object = JSON.parse((await runKubectl(admin, ['get', 'deployment', 'scaled', '-o', 'json'])).stdout) as { metadata: { generation: number }; spec: { replicas: number } };
      assert.equal(object.spec.replicas, 3);
      assert.equal(object.metadata.generation, 2);
      const described = await runKubectl(admin, ['describe', 'deployment', 'scaled']);
      assert.equal(described.code, 0, described.stderr);
      assert.match(described.stdout, /^Replicas:\s+3 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m);
      assert.match(described.stdout, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
      assert.match(described.stdout, /^\s+Image:\s+127\.0\.0\.1:5000\/models\/web:1$/m);
    });

    it('reports a second field manager conflict as a 409 and lets --force-conflicts take the field over', async () => {
      assert.equal((await runKubectl(admin, ['apply', '--server-side', '-f', '-'], { input: deployment('owned', 2) })).code, 0);
      const conflict = await runKubectl(admin, ['apply', '--server-side', '--field-manager=release-bot', '-f', '-'], { input: deployment('owned', 4) });
      assert.equal(conflict.code, 1);
      assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas$/m);
      const forced = await runKubectl(admin, ['apply', '--server-side', '--field-manager=release-bot', '--force-conflicts', '-f', '-'], { input: deployment('owned', 4) });
      assert.equal(forced.code, 0, forced.stderr);
      const object = JSON.parse((await runKubectl(admin, ['get', 'deployment', 'owned', '-o', 'json'])).stdout) as {
        spec: { replicas: number };
        metadata: { managedFields: { manager: string; fieldsV1: { 'f:spec'?: Record<string, unknown> } }[] };
      };
      assert.equal(object.spec.replicas, 4);
      const owners = object.metadata.managedFields.filter((entry) => entry.fieldsV1['f:spec']?.['f:replicas'] !== undefined).map((entry) => entry.manager);
      assert.deepEqual(owners, ['release-bot']);
    });

    it('answers an invalid object with 422 and its causes, and an unknown field with a warning', async () => {
      const invalid = await runKubectl(admin, ['apply', '--server-side', '-f', '-'], { input: deployment('bad', -1) });
      assert.equal(invalid.code, 1);
      assert.match(invalid.stderr, /The Deployment "bad" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
      const strict = await runKubectl(admin, ['create', '--validate=false', '-f', '-'], { input: deployment('typo', 1).replace('  replicas: 1', '  replicas: 1\n  replicaz: 2') });
      assert.equal(strict.code, 0, strict.stderr);
      assert.match(strict.stderr, /unknown field "spec\.replicaz"/);
      const clientSide = await runKubectl(admin, ['create', '-f', '-'], { input: deployment('typo2', 1).replace('  replicas: 1', '  replicas: 1\n  replicaz: 2') });
      assert.equal(clientSide.code, 1);
      assert.match(clientSide.stderr, /error validating data: ValidationError\(Deployment\.spec\): unknown field "replicaz" in io\.k8s\.api\.apps\.v1\.DeploymentSpec/);
    });

    it('lists events with the columns kubectl prints', async () => {
      const event = `apiVersion: v1
kind: Event
metadata:
  name: web.1
involvedObject:
  apiVersion: apps/v1
  kind: Deployment
  name: web
  namespace: default
reason: ScalingReplicaSet
message: Scaled up replica set web-5d4f8 to 2
type: Normal
source:
  component: deployment-controller
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
count: 1
`;
      assert.equal((await runKubectl(admin, ['create', '-f', '-'], { input: event })).code, 0);
      const events = await runKubectl(admin, ['get', 'events']);
      assert.equal(events.code, 0, events.stderr);
      assert.match(events.stdout, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
      assert.match(events.stdout, /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-5d4f8 to 2/);
    });
  });

  describe('kubectl with Entra ID tokens on the Entra ID cluster', () => {
    it('lets an "Azure Kubernetes Service RBAC Writer" deploy', async () => {
      const writer = kubeconfigFile('writer', clusterNamed(azure(), ENTRA_CLUSTER).tokenKubeconfig(await aksToken(azure(), 'spnKey')));
      const applied = await runKubectl(writer, ['apply', '--server-side', '-f', '-'], { input: deployment('entra', 1) });
      assert.equal(applied.code, 0, applied.stderr);
      const namespace = await runKubectl(writer, ['create', 'namespace', 'forbidden-for-writers']);
      assert.equal(namespace.code, 1);
      assert.match(namespace.stderr, /namespaces is forbidden: User "[0-9a-f-]{36}" cannot create resource "namespaces" in API group "" at the cluster scope: User does not have access to the resource in Azure\. Update role assignment to allow access\./);
    });

    it('accepts the AKS token of the workload identity federation connection (Writer)', async () => {
      const connection = azure().connections.workloadIdentity;
      const credential = new ClientAssertionCredential(azure().tenantId, required(connection.authParameters.serviceprincipalid, 'client id'), () => Promise.resolve(azure().issueOidcToken(connection.id)), {
        authorityHost: azure().authorityHost,
        disableInstanceDiscovery: true,
      });
      const token = await credential.getToken(AKS_SCOPE);
      const federated = kubeconfigFile('federated', clusterNamed(azure(), ENTRA_CLUSTER).tokenKubeconfig(token.token));
      const listed = await runKubectl(federated, ['get', 'deployments', '-o', 'name']);
      assert.equal(listed.code, 0, listed.stderr);
    });

    it('gives an identity without rights 403 with the Kubernetes Status body', async () => {
      const nobody = kubeconfigFile('nobody', clusterNamed(azure(), ENTRA_CLUSTER).tokenKubeconfig(await aksToken(azure(), 'spnPullOnly')));
      const listed = await runKubectl(nobody, ['get', 'pods', '-o', 'json', '-v=8']);
      assert.notEqual(listed.code, 0);
      assert.match(listed.stderr, /Error from server \(Forbidden\): pods is forbidden: User "[0-9a-f-]{36}" cannot list resource "pods" in API group "" in the namespace "default": User does not have access to the resource in Azure\. Update role assignment to allow access\./);
      assert.match(listed.stderr, /"kind":"Status","apiVersion":"v1","metadata":\{\},"status":"Failure".*"reason":"Forbidden","details":\{"kind":"pods"\},"code":403/);
    });

    it('refuses a token for another audience with 401', async () => {
      const wrongAudience = kubeconfigFile('wrong', clusterNamed(azure(), ENTRA_CLUSTER).tokenKubeconfig(azure().issueAccessToken('https://management.core.windows.net/')));
      const listed = await runKubectl(wrongAudience, ['get', 'pods']);
      assert.equal(listed.code, 1);
      assert.match(listed.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
    });
  });
});
