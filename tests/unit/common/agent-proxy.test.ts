import { strict as assert } from 'node:assert';
import { agentProxyFrom, azureProxyOptions, bypassesProxy, proxyFor } from '../../../tasks/common/agent-proxy';

describe("the agent's proxy (Agent.Proxy* variables through task-lib)", () => {
  const proxy = agentProxyFrom({ proxyUrl: 'http://proxy.contoso.com:8888', proxyUsername: 'u', proxyPassword: 'p', proxyBypassHosts: ['127\\.0\\.0\\.9', 'internal\\.contoso\\.com'] });

  it('is absent without Agent.ProxyUrl', () => {
    assert.equal(agentProxyFrom(null), undefined);
    assert.equal(agentProxyFrom({ proxyUrl: ' ' }), undefined);
  });

  it("bypasses a URL that an entry matches as a case-insensitive regular expression (task-lib's rule)", () => {
    assert.ok(proxy);
    assert.ok(bypassesProxy(proxy, 'http://127.0.0.9:8080/v2/health/ready'));
    assert.ok(bypassesProxy(proxy, 'https://INTERNAL.contoso.com/score'));
    assert.ok(!bypassesProxy(proxy, 'https://login.microsoftonline.com/t/oauth2/v2.0/token'));
    assert.equal(proxyFor(proxy, 'http://127.0.0.9/'), undefined);
  });

  it('gives Azure SDK clients their proxy settings', () => {
    assert.deepEqual(azureProxyOptions(proxy, 'https://management.azure.com/'), { host: 'http://proxy.contoso.com', port: 8888, username: 'u', password: 'p' });
    assert.equal(azureProxyOptions(proxy, 'https://internal.contoso.com/'), undefined);
    assert.equal(azureProxyOptions(undefined, 'https://management.azure.com/'), undefined);
  });
});
