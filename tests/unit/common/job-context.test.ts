import { strict as assert } from 'node:assert';
import { readJobContext } from '../../../tasks/common/azure/job-context';
import { createOidcTokenSource } from '../../../tasks/common/azure/oidc-token';
import { TaskError } from '../../../tasks/common/errors';
import { silentLog } from '../../support/silent-log';
import { endpointSource } from './endpoint-fixtures';

const variables: Record<string, string> = {
  'System.CollectionUri': 'https://dev.azure.com/org/',
  'System.TeamProjectId': 'project-id',
  'System.HostType': 'build',
  'System.PlanId': 'plan-id',
  'System.JobId': 'job-id',
  'System.AccessToken': 'job-access-token',
};


describe('readJobContext', () => {
  it('reads the job facts and masks the access token', () => {
    const masked: string[] = [];
    const context = readJobContext({ variable: (name) => variables[name], endpoint: endpointSource(), setSecret: (v) => masked.push(v) });
    assert.deepEqual(context, {
      collectionUri: 'https://dev.azure.com/org/',
      teamProjectId: 'project-id',
      hostType: 'build',
      planId: 'plan-id',
      jobId: 'job-id',
      accessToken: 'job-access-token',
    });
    assert.deepEqual(masked, ['job-access-token']);
  });

  it("prefers the SystemVssConnection endpoint's token, which the agent gives every task", () => {
    const endpoint = endpointSource({
      id: 'SystemVssConnection',
      name: 'SystemVssConnection',
      url: 'https://dev.azure.com/org/',
      scheme: 'OAuth',
      authParameters: { AccessToken: 'endpoint-token' },
      data: {},
    });
    const context = readJobContext({ variable: () => undefined, endpoint, setSecret: () => undefined });
    assert.deepEqual(context, { accessToken: 'endpoint-token' });
  });
});

describe('createOidcTokenSource', () => {
  it("fails with a hint to allow access to the OAuth token when the job's token is missing", async () => {
    const { accessToken: _ignored, ...facts } = {
      collectionUri: 'https://dev.azure.com/org/',
      teamProjectId: 'p',
      hostType: 'build',
      planId: 'plan',
      jobId: 'job',
      accessToken: 'x',
    };
    const source = createOidcTokenSource(facts, { log: silentLog, setSecret: () => undefined });
    await assert.rejects(source.idToken('conn-1'), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /'conn-1' uses workload identity federation/);
      assert.match(error.message, /Allow scripts to access the OAuth token/);
      return true;
    });
  });

  it('lists every missing job fact', async () => {
    const source = createOidcTokenSource({ accessToken: 't' }, { log: silentLog, setSecret: () => undefined });
    await assert.rejects(source.idToken('c'), /System\.CollectionUri.*System\.TeamProjectId.*System\.HostType.*System\.PlanId.*System\.JobId/);
  });
});

describe('createOidcTokenSource: one POST per token', () => {
  const facts = { collectionUri: 'https://dev.azure.com/org', teamProjectId: 'p 1', hostType: 'build', planId: 'plan', jobId: 'job', accessToken: 'job-token' };

  it('posts to the oidctoken route with api-version 7.1-preview.1 and no lookup first; each call asks again', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const secrets: string[] = [];
    const source = createOidcTokenSource(facts, {
      log: silentLog,
      setSecret: (value) => secrets.push(value),
      fetch: (url, init) => {
        calls.push({ url, init });
        return Promise.resolve(new Response(JSON.stringify({ oidcToken: `assertion-${calls.length}` }), { status: 200 }));
      },
    });
    assert.equal(await source.idToken('conn-1'), 'assertion-1');
    assert.equal(await source.idToken('conn-1'), 'assertion-2');
    assert.equal(calls.length, 2);
    assert.equal(calls[0]?.url, 'https://dev.azure.com/org/p%201/_apis/distributedtask/hubs/build/plans/plan/jobs/job/oidctoken?serviceConnectionId=conn-1&api-version=7.1-preview.1');
    assert.equal(calls[0]?.init.method, 'POST');
    assert.equal(new Headers(calls[0]?.init.headers).get('authorization'), 'Bearer job-token');
    assert.deepEqual(secrets, ['assertion-1', 'assertion-2']);
  });

  it("says Azure DevOps' own message when it refuses, without retrying a 400", async () => {
    let calls = 0;
    const source = createOidcTokenSource(facts, {
      log: silentLog,
      setSecret: () => undefined,
      fetch: () => {
        calls += 1;
        return Promise.resolve(new Response(JSON.stringify({ message: "Service connection 'conn-1' was not found in project 'p'.", typeKey: 'ServiceEndpointNotFoundException' }), { status: 400 }));
      },
    });
    await assert.rejects(source.idToken('conn-1'), /did not issue an OIDC token for service connection 'conn-1': HTTP 400: Service connection 'conn-1' was not found/);
    assert.equal(calls, 1);
  });

  it('retries a 503 and then succeeds', async () => {
    let calls = 0;
    const source = createOidcTokenSource(facts, {
      log: silentLog,
      setSecret: () => undefined,
      clock: { now: () => 0, sleep: () => Promise.resolve() },
      fetch: () => {
        calls += 1;
        return Promise.resolve(calls === 1 ? new Response('busy', { status: 503 }) : new Response(JSON.stringify({ oidcToken: 'ok' }), { status: 200 }));
      },
    });
    assert.equal(await source.idToken('conn-1'), 'ok');
    assert.equal(calls, 2);
  });
});
