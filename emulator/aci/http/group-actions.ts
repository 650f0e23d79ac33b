/**
 * restart (204 + Azure-AsyncOperation, re-pulls and recreates the containers), stop (204, the
 * containers are removed as Azure deallocates them), start (202 + Azure-AsyncOperation), and the
 * logs of a container (`tail`, `timestamps`).
 */
import type { EmulatorRequest, EmulatorResponse } from '../../core/http-types';
import type { AciState } from '../aci-state';
import { containerNotFound, transitioning } from './aci-errors';
import { OPERATION_API_VERSION } from '../spec/api-versions';
import type { GroupRecord } from '../model/group-store';
import { startProvisioning } from '../model/lifecycle';
import { operationPath } from '../model/operations';
import { frontUrl, guardGroup, param } from './request-guards';

function runAgain(state: AciState, request: EmulatorRequest, record: GroupRecord, status: 202 | 204): EmulatorResponse {
  const failOperation = state.ctx.faults.takeScenarioFault('operationFailed', record.name) !== undefined;
  const operation = startProvisioning(state, record, { auth: record.pullAuth, failOperation });
  const url = `${frontUrl(request)}${operationPath(state.ctx.subscriptionId, operation)}?api-version=${OPERATION_API_VERSION}`;
  return { status, headers: { 'Azure-AsyncOperation': url } };
}

export function restartGroup(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardGroup(state, request);
  if (!guard.ok) return Promise.resolve(guard.response);
  if (guard.value.operationId) return Promise.resolve(transitioning(guard.value.name));
  return Promise.resolve(runAgain(state, request, guard.value, 204));
}

export function startGroup(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardGroup(state, request);
  if (!guard.ok) return Promise.resolve(guard.response);
  if (guard.value.operationId) return Promise.resolve(transitioning(guard.value.name));
  return Promise.resolve(runAgain(state, request, guard.value, 202));
}

export async function stopGroup(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardGroup(state, request);
  if (!guard.ok) return guard.response;
  const record = guard.value;
  if (record.operationId) return transitioning(record.name);
  record.generation += 1;
  state.prober.unwatch(record);
  await state.runner.teardown(record);
  record.phase = 'stopped';
  return { status: 204 };
}

export async function containerLogs(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardGroup(state, request);
  if (!guard.ok) return guard.response;
  const record = guard.value;
  const name = param(request, 'containerName');
  const spec = record.body.properties.containers.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!spec) return containerNotFound(record.name, name);
  const dockerId = record.containers.get(spec.name)?.dockerId;
  const tailText = request.query.get('tail');
  const tail = tailText && /^\d+$/.test(tailText) ? Number(tailText) : undefined;
  const timestamps = request.query.get('timestamps')?.toLowerCase() === 'true';
  const content = dockerId && record.phase !== 'stopped' ? await state.docker.logs(dockerId, { ...(tail !== undefined ? { tail } : {}), timestamps }) : '';
  return { status: 200, body: { content } };
}
