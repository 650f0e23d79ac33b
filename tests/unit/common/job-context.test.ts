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
