/** GET, list (resource group and subscription, paged with nextLink), DELETE and PATCH of containerGroups. */
import type { EmulatorRequest, EmulatorResponse } from '../../core/http-types';
import { type AciState, publishDnsNames } from '../aci-state';
import { invalidRequestContent } from './aci-errors';
import type { GroupRecord } from '../model/group-store';
import { liveView } from '../model/lifecycle';
import { frontUrl, guardGroup, guardResourceGroup, guardSubscription, param } from './request-guards';
import { toResponseBody } from './response-body';
import { containerInstanceSchema } from '../spec/schema-validation';

function responseContext(state: AciState, request: EmulatorRequest): { subscriptionId: string; tenantId: string } {
  return { subscriptionId: state.ctx.subscriptionId, tenantId: request.principal?.tenantId ?? '' };
}

export async function getGroup(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardGroup(state, request);
  if (!guard.ok) return guard.response;
  const record = guard.value;
  return { status: 200, body: toResponseBody(record, responseContext(state, request), await liveView(state, record)) };
}

export function listInResourceGroup(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardResourceGroup(state, request);
  if (!guard.ok) return Promise.resolve(guard.response);
  const resourceGroup = param(request, 'resourceGroupName').toLowerCase();
  return Promise.resolve(page(state, request, state.store.all().filter((g) => g.resourceGroup.toLowerCase() === resourceGroup)));
}

export function listInSubscription(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const problem = guardSubscription(state, request);
  if (problem) return Promise.resolve(problem);
  return Promise.resolve(page(state, request, state.store.all()));
}

/** List replies hold no instance view, as Azure's; `$skipToken` is the offset of the page. */
function page(state: AciState, request: EmulatorRequest, records: GroupRecord[]): EmulatorResponse {
  const skipToken = request.query.get('$skipToken') ?? request.query.get('$skiptoken');
  const offset = skipToken && /^\d+$/.test(skipToken) ? Number(skipToken) : 0;
  const slice = records.slice(offset, offset + state.pageSize);
  const value = slice.map((record) => toResponseBody(record, responseContext(state, request), undefined));
  const body: Record<string, unknown> = { value };
  if (offset + state.pageSize < records.length) {
    const query = new URLSearchParams(request.query);
    query.delete('$skiptoken');
    query.set('$skipToken', String(offset + state.pageSize));
    body.nextLink = `${frontUrl(request)}${request.path}?${query.toString()}`;
  }
  return { status: 200, body };
}

/** 200 with the deleted group (its containers are gone when this answers), 204 when there was none. */
export async function deleteGroup(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardResourceGroup(state, request);
  if (!guard.ok) return guard.response;
  const record = state.store.get(param(request, 'resourceGroupName'), param(request, 'containerGroupName'));
  if (!record) return { status: 204 };
  // Azure's reply holds the group as it was last seen: its instance view included.
  const lastView = await liveView(state, record);
  record.deleted = true;
  record.generation += 1;
  state.store.remove(record);
  state.prober.unwatch(record);
  const body = toResponseBody(record, responseContext(state, request), lastView);
  await state.runner.teardown(record);
  if (record.address) state.loopback.release(record.address);
  publishDnsNames(state);
  return { status: 200, body };
}

/** PATCH: only tags change (the Resource definition). */
export async function patchGroup(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardGroup(state, request);
  if (!guard.ok) return guard.response;
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (error) {
    return invalidRequestContent(`The request content was invalid and could not be deserialized: '${(error as Error).message}'.`);
  }
  const problem = containerInstanceSchema().validate('Resource', parsed);
  if (problem) return invalidRequestContent(problem);
  const record = guard.value;
  const tags = (parsed as { tags?: Record<string, string> }).tags;
  if (tags !== undefined) record.body = { ...record.body, tags };
  return { status: 200, body: toResponseBody(record, responseContext(state, request), await liveView(state, record)) };
}
