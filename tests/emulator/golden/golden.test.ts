/**
 * Real Azure traffic replayed against the local Azure: each file of recordings/ is an excerpt of a
 * recording published by Microsoft (Azure/azure-sdk-assets, Azure/azure-cli; source and commit in the
 * file). Each request is sent again (subscription, resource group, region, image and registry mapped to
 * the local ones) and the reply is compared with Azure's: the status code exactly, the headers by value
 * or form, the body by shape and meaningful values (body-shape.ts). Every difference that remains must be
 * listed, with why it does not matter, in emulator/aci/ASSUMPTIONS.md; a listed one that no longer
 * occurs fails too, so the list stays true.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../../support/eventually';
import { buildBusyboxImage, removeImage } from '../aci-support/test-image';
import { useLocalAzure } from '../local-azure-fixture';
import { bodyDifferences, headerDifferences } from './body-shape';

const RECORDINGS = join(__dirname, 'recordings');
const ASSUMPTIONS = join(__dirname, '..', '..', '..', 'emulator', 'aci', 'ASSUMPTIONS.md');
const LOCAL_TAG = `lazure-golden-busybox:${process.pid}`;
const ORDER = ['js-containergroups-create', 'js-containergroups-get', 'js-containergroups-delete', 'cli-container-create-auto-gen-dnl-scope', 'cli-acr-login'];

interface Exchange {
  request: { method: string; path: string; query?: string; host?: string; body?: unknown; form?: Record<string, string> };
  response: { status: number; headers: Record<string, string>; body?: unknown };
}

interface Recording {
  source: { repository: string; path: string; commit: string };
  exchanges: Exchange[];
}

/** The differences ASSUMPTIONS.md lists: lines "- `<recording>#<n> <difference>`: why". */
function listedDifferences(): string[] {
  const text = readFileSync(ASSUMPTIONS, 'utf8');
  const section = text.slice(text.indexOf('## Differences from recorded Azure traffic'));
  return [...section.matchAll(/^- `([^`]+)`/gm)].map((match) => match[1] ?? '');
}

describe('local Azure: golden replies, replayed from recorded Azure traffic', function () {
  this.timeout(180_000);
  const azure = useLocalAzure();
  let image: string;
  const found: string[] = [];

  before(async function () {
    await buildBusyboxImage(LOCAL_TAG);
    await azure().pushImage(LOCAL_TAG, 'golden/web', '1');
    image = `${azure().registry.loginServer}/golden/web:1`;
  });

  after(async () => {
    await removeImage(LOCAL_TAG);
  });

  /** Recorded names and places, mapped to the local Azure's. */
  function localise(text: string): string {
    const { subscriptionId, registry } = azure();
    return text
      .replace(/azure_subscription_id|00000000-0000-0000-0000-000000000000/g, subscriptionId)
      .replace(/myjstest|clitest\.rg000001/g, registry.resourceGroup)
      .replace(/clireg000002/g, registry.name)
      .replace(/"location":\s*"(eastus2|westus)"/g, '"location":"westeurope"')
      .replace(/\{loginServer\}/g, registry.loginServer);
  }

  /** The recorded request body with the local image, which (unlike the recorded public one) needs registry credentials. */
  function requestBody(body: unknown): string | undefined {
    if (body === undefined) return undefined;
    const text = localise(JSON.stringify(body));
    if (!text.includes('{image}')) return text;
    const parsed = JSON.parse(text.replace(/\{image\}/g, image)) as { properties: Record<string, unknown> };
    const { registry } = azure();
    parsed.properties.imageRegistryCredentials = [{ server: registry.loginServer, username: registry.adminUsername, password: registry.adminPassword }];
    return JSON.stringify(parsed);
  }

  /** The replay added registry credentials for the local image (requestBody); their echo is not a difference. */
  function withoutAddedCredentials(body: unknown): unknown {
    const properties = (body as { properties?: Record<string, unknown> } | null)?.properties;
    if (properties && typeof properties === 'object') delete properties.imageRegistryCredentials;
    return body;
  }

  async function send(exchange: Exchange, previous: Response | undefined): Promise<Response> {
    const { request } = exchange;
    const armToken = azure().issueAccessToken('https://management.core.windows.net/');
    let url: string;
    if (request.path === '{Azure-AsyncOperation}') url = previous?.headers.get('azure-asyncoperation') ?? '';
    else {
      const origin = request.host ? `https://${localise(request.host)}` : azure().armUrl.replace(/\/$/, '');
      url = `${origin}${localise(request.path)}${request.query ? `?${request.query}` : ''}`;
    }
    const headers: Record<string, string> = request.host ? {} : { Authorization: `Bearer ${armToken}` };
    let body: string | undefined = requestBody(request.body);
    if (request.form) {
      const form = Object.fromEntries(Object.entries(request.form).map(([key, value]) => [key, localise(value).replace('{tenant}', azure().tenantId).replace('{armToken}', armToken)]));
      body = new URLSearchParams(form).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: request.method, headers, ...(body !== undefined ? { body } : {}) });
  }

  async function replay(name: string, prepare?: (index: number) => Promise<void>): Promise<void> {
    const recording = JSON.parse(readFileSync(join(RECORDINGS, `${name}.json`), 'utf8')) as Recording;
    assert.match(recording.source.commit, /^[0-9a-f]{40}$/, `${name} names the commit it was taken from`);
    let previous: Response | undefined;
    for (const [index, exchange] of recording.exchanges.entries()) {
      await prepare?.(index);
      const response = await send(exchange, previous);
      const text = await response.text();
      assert.equal(response.status, exchange.response.status, `${name}#${index}: ${exchange.request.method} ${exchange.request.path} answered ${response.status}: ${text}`);
      const headers = Object.fromEntries([...response.headers.entries()].map(([key, value]) => [key.toLowerCase(), value]));
      const differences = [...headerDifferences(exchange.response.headers, headers)];
      if (exchange.response.body !== undefined) differences.push(...bodyDifferences(exchange.response.body, withoutAddedCredentials(JSON.parse(text) as unknown)));
      found.push(...differences.map((difference) => `${name}#${index} ${difference}`));
      previous = response;
    }
  }

  async function groupState(name: string): Promise<{ provisioningState: string | undefined; running: boolean }> {
    const url = `${azure().armUrl}subscriptions/${azure().subscriptionId}/resourceGroups/rg-models/providers/Microsoft.ContainerInstance/containerGroups/${name}?api-version=2023-05-01`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${azure().issueAccessToken('https://management.core.windows.net/')}` } });
    const body = (await response.json()) as { properties?: { provisioningState?: string; containers?: { properties: { instanceView?: { currentState?: { state?: string } } } }[] } };
    return { provisioningState: body.properties?.provisioningState, running: body.properties?.containers?.[0]?.properties.instanceView?.currentState?.state === 'Running' };
  }

  it('replays a group created, read and deleted by @azure/arm-containerinstance 9.1.0 (api-version 2023-05-01)', async function () {
    // Azure kept the operation Pending at the first poll: the realistic-timing mode does the same.
    azure().setPendingSeconds(3);
    try {
      await replay('js-containergroups-create');
    } finally {
      azure().setPendingSeconds(0);
    }
    await eventually('the group to run', async () => {
      const state = await groupState('mycontainerGroupxxx');
      return state.provisioningState === 'Succeeded' && state.running ? state : undefined;
    }, { timeoutInMs: 60_000, intervalInMs: 200 });
    await replay('js-containergroups-get');
    await replay('js-containergroups-delete');
  });

  it('replays az container create with a public address (azure-cli, api-version 2021-10-01)', async function () {
    await replay('cli-container-create-auto-gen-dnl-scope');
  });

  it('replays az acr login: the generic resource list, the registry, the challenge and the token exchange', async function () {
    await replay('cli-acr-login');
  });

  it('lists every remaining difference in emulator/aci/ASSUMPTIONS.md, and nothing that no longer differs', function () {
    assert.deepEqual(readdirSync(RECORDINGS).map((file) => file.replace(/\.json$/, '')).sort(), [...ORDER].sort(), 'every recording is replayed');
    const listed = listedDifferences();
    const unlisted = found.filter((difference) => !listed.includes(difference));
    const stale = listed.filter((difference) => !found.includes(difference));
    assert.deepEqual({ unlisted, stale }, { unlisted: [], stale: [] }, 'differences from Azure must be listed in ASSUMPTIONS.md with why they do not matter');
  });
});
