import * as assert from 'node:assert/strict';
import { TaskError } from '../../../tasks/common/errors';
import { type KubeRequest, type KubeResponse, kubeApiOver } from '../../../tasks/DeployToAksV1/src/kube-client';
import { fakeClock } from '../../support/fake-clock';
import { silentLog } from '../../support/silent-log';

function transport(answers: (KubeResponse | Error)[]): { send(request: KubeRequest): Promise<KubeResponse>; sent: KubeRequest[] } {
  const sent: KubeRequest[] = [];
  return {
    sent,
    send(request) {
      sent.push(request);
      const answer = answers.shift() ?? { statusCode: 500, headers: {}, body: '' };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}
const ok = (body: unknown): KubeResponse => ({ statusCode: 200, headers: {}, body: JSON.stringify(body) });
const status = (code: number, reason: string, message: string, headers: Record<string, string> = {}): KubeResponse => ({
  statusCode: code,
  headers,
  body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code }),
});
const options = (clock = fakeClock()) => ({ log: silentLog, clock, identity: "service connection 'azure-models' (client id app-1)" });

describe('DeployToAks Kubernetes client', () => {
  it('applies with server-side apply under the field manager, forcing conflicts', async () => {
    const t = transport([ok({ kind: 'Deployment', metadata: { name: 'iris' } })]);
    const api = kubeApiOver(t, options());
    await api.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris', namespace: 'models' } }, 'ai-model-deploy');
    assert.deepEqual(t.sent[0] && { ...t.sent[0], body: JSON.parse(t.sent[0].body ?? '') as unknown }, {
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/models/deployments/iris?fieldManager=ai-model-deploy&force=true',
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris', namespace: 'models' } },
      contentType: 'application/apply-patch+yaml',
    });
  });

  it('reads a missing object as undefined, lists with selectors, reads previous logs, deletes what may be gone', async () => {
    const t = transport([status(404, 'NotFound', 'deployments.apps "iris" not found'), ok({ items: [{ metadata: { name: 'p' } }] }), { statusCode: 200, headers: {}, body: 'line 1\n' }, status(404, 'NotFound', 'gone')]);
    const api = kubeApiOver(t, options());
    assert.equal(await api.get('Deployment', 'models', 'iris'), undefined);
    assert.equal((await api.list('Pod', 'models', { labelSelector: 'a=b,c=d' })).length, 1);
    assert.equal(await api.podLog('models', 'p', { container: 'iris', previous: true, tailLines: 20 }), 'line 1\n');
    await api.delete('HorizontalPodAutoscaler', 'models', 'iris');
    assert.deepEqual(
      t.sent.map((r) => `${r.method} ${r.path}`),
      [
        'GET /apis/apps/v1/namespaces/models/deployments/iris',
        'GET /api/v1/namespaces/models/pods?labelSelector=a%3Db%2Cc%3Dd',
        'GET /api/v1/namespaces/models/pods/p/log?container=iris&tailLines=20&previous=true',
        'DELETE /apis/autoscaling/v2/namespaces/models/horizontalpodautoscalers/iris',
      ],
    );
  });

  it('retries throttling (honouring Retry-After), 5xx and resets, with zero real delay', async () => {
    const clock = fakeClock();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const t = transport([status(429, 'TooManyRequests', 'slow down', { 'retry-after': '3' }), { statusCode: 503, headers: {}, body: 'unavailable' }, reset, ok({ metadata: { name: 'iris' } })]);
    const api = kubeApiOver(t, options(clock));
    assert.deepEqual(await api.get('Deployment', 'models', 'iris'), { metadata: { name: 'iris' } });
    assert.equal(t.sent.length, 4);
    assert.equal(clock.slept[0], 3000);
  });

  it('fails with what it attempted, what the API server said and the role to grant on 403', async () => {
    const forbidden = 'deployments.apps "iris" is forbidden: User "app-1" cannot patch resource "deployments" in API group "apps" in the namespace "models"';
    const api = kubeApiOver(transport([status(403, 'Forbidden', forbidden)]), options());
    await assert.rejects(api.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'iris', namespace: 'models' } }, 'ai-model-deploy'), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /^Applying Deployment 'iris' in namespace 'models' failed: HTTP 403 Forbidden: deployments\.apps "iris" is forbidden: User "app-1" cannot patch/);
      assert.match(error.message, /signed in as service connection 'azure-models' \(client id app-1\), which may not do this\. Give it the 'Azure Kubernetes Service RBAC Writer' role on the cluster or on namespace 'models'/);
      return true;
    });
  });

  it('explains 401, an immutable selector and an unreachable API server; never retries a 4xx', async () => {
    const t = transport([
      status(401, 'Unauthorized', 'Unauthorized'),
      status(422, 'Invalid', 'Deployment.apps "iris" is invalid: spec.selector: Invalid value: field is immutable'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
    ]);
    const api = kubeApiOver(t, { ...options(), retryPolicy: { maxAttempts: 1 } });
    await assert.rejects(api.get('Deployment', 'models', 'iris'), /did not accept the credential of service connection 'azure-models'.*AKS server application/);
    await assert.rejects(api.list('Deployment', 'models'), /exists with another label selector.*kubectl delete deployment -n models/);
    await assert.rejects(api.get('Deployment', 'models', 'iris'), /ECONNREFUSED.*could not be reached from this agent/);
    assert.equal(t.sent.length, 3);
  });
});
