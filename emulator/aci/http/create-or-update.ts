/**
 * PUT containerGroups/{name}: validate (schema, then Azure's semantic rules), store, answer 201 or
 * 200 with the body in provisioningState Pending and an Azure-AsyncOperation header, and run the
 * group in the background.
 */
import { armError, type EmulatorRequest, type EmulatorResponse } from '../../core/http-types';
import { type AciState, publishDnsNames } from '../aci-state';
import {
  dnsNameLabelTaken,
  inaccessibleImage,
  invalidContainerGroupUpdate,
  invalidRequestContent,
  locationNotAvailable,
  serviceUnavailable,
  transitioning,
  unsupportedOsType,
} from './aci-errors';
import { OPERATION_API_VERSION } from '../spec/api-versions';
import { exceedsCapabilities } from '../model/capabilities';
import { normaliseLocation } from '../../arm/spec/locations';
import { groupKey, type ContainerGroupBody } from '../model/group-model';
import type { GroupRecord } from '../model/group-store';
import { checkImageAccess } from '../engine/image-access';
import { startProvisioning } from '../model/lifecycle';
import { invalidNameError } from '../spec/name-rules';
import { operationPath } from '../model/operations';
import { frontUrl, guardResourceGroup, param } from './request-guards';
import { ACCEPTED_VIEW, stableGuid, toResponseBody } from './response-body';
import { dnsLabelScopeOf, groupFqdn } from '../model/dns-names';
import { containerInstanceSchema } from '../spec/schema-validation';
import { forbiddenChanges } from '../model/update-rules';

export async function createOrUpdate(state: AciState, request: EmulatorRequest): Promise<EmulatorResponse> {
  const guard = guardResourceGroup(state, request);
  if (!guard.ok) return guard.response;
  const resourceGroup = param(request, 'resourceGroupName');
  const name = param(request, 'containerGroupName');

  const parsed = parseBody(request.body);
  if (typeof parsed === 'string') return invalidRequestContent(parsed);
  const schemaProblem = containerInstanceSchema().validate('ContainerGroup', parsed);
  if (schemaProblem) return invalidRequestContent(schemaProblem);
  const body = parsed as ContainerGroupBody;
  const badName = invalidNameError(name, body);
  if (badName) return badName;
  if (typeof body.location !== 'string' || body.location === '') {
    return armError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  const location = normaliseLocation(body.location);
  if (!state.ctx.locations.map(normaliseLocation).includes(location)) return locationNotAvailable(body.location, state.ctx.locations);
  if (body.properties.osType === 'Windows') return unsupportedOsType();

  const existing = state.store.get(resourceGroup, name);
  if (existing?.operationId) return transitioning(existing.name);
  if (existing) {
    const changes = forbiddenChanges(existing.body, body);
    if (changes.length > 0) return invalidContainerGroupUpdate(existing.name);
  }
  const shortfall = exceedsCapabilities(body, location);
  if (shortfall) return serviceUnavailable(shortfall.cpu, shortfall.memoryInGB, location);
  const fqdn = fqdnFor(body, existing, { location, resourceGroup, tenantId: request.principal?.tenantId ?? '', subscriptionId: state.ctx.subscriptionId });
  const label = body.properties.ipAddress?.dnsNameLabel ?? '';
  if (fqdn && (state.store.all().some((g) => g !== existing && g.fqdn === fqdn) || state.dns.heldElsewhere(fqdn))) return dnsNameLabelTaken(label, location);
  const firstImage = body.properties.containers[0]?.properties.image ?? '';
  if (state.ctx.faults.takeScenarioFault('imagePullFails', name)) return inaccessibleImage(firstImage, name);
  const access = await checkImageAccess(body, state.ctx.registryLoginServers, state.ctx.registryLogins);
  if (!access.ok) return inaccessibleImage(access.image, name);
  // The checks above awaited: another PUT for the same group may have started meanwhile.
  const current = state.store.get(resourceGroup, name);
  if (current !== existing || current?.operationId) return transitioning(name);

  const ports = (body.properties.ipAddress?.ports ?? []).map((p) => p.port);
  const record: GroupRecord = existing ?? {
    resourceGroup,
    name,
    key: groupKey(resourceGroup, name),
    body,
    location,
    provisioningState: 'Pending',
    phase: 'provisioning',
    generation: 0,
    containers: new Map(),
    faults: { crash: false, neverReady: false },
    dockerGroupName: dockerGroupName(state, resourceGroup, name),
    systemPrincipalId: stableGuid(`system:${state.ctx.instanceId}:${groupKey(resourceGroup, name)}`),
    pullAuth: access.auth,
    deleted: false,
  };
  const previous = { body: record.body, fqdn: record.fqdn };
  record.body = body;
  if (fqdn) record.fqdn = fqdn;
  else delete record.fqdn;
  record.pullAuth = access.auth;
  record.faults = {
    crash: state.ctx.faults.takeScenarioFault('containerCrash', name) !== undefined,
    neverReady: state.ctx.faults.takeScenarioFault('neverReady', name) !== undefined,
  };
  if (body.properties.ipAddress && !record.address) record.address = await state.loopback.allocate(ports);
  if (!body.properties.ipAddress && record.address) {
    state.loopback.release(record.address);
    delete record.address;
  }
  state.store.put(record);
  if (fqdn && publishDnsNames(state).includes(fqdn)) {
    // Another instance on this machine took the name while this PUT was checking images.
    if (existing) Object.assign(record, previous);
    else {
      state.store.remove(record);
      if (record.address) state.loopback.release(record.address);
    }
    publishDnsNames(state);
    return dnsNameLabelTaken(label, location);
  }
  const failOperation = state.ctx.faults.takeScenarioFault('operationFailed', name) !== undefined;
  const operation = startProvisioning(state, record, { auth: access.auth, failOperation });
  const asyncOperation = `${frontUrl(request)}${operationPath(state.ctx.subscriptionId, operation)}?api-version=${OPERATION_API_VERSION}`;
  const responseBody = toResponseBody(record, { subscriptionId: state.ctx.subscriptionId, tenantId: request.principal?.tenantId ?? '' }, ACCEPTED_VIEW);
  return { status: existing ? 200 : 201, headers: { 'Azure-AsyncOperation': asyncOperation }, body: responseBody };
}

function parseBody(raw: Buffer): unknown {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return "The request content was invalid and could not be deserialized: 'The request body must be a JSON object.'.";
    }
    return value;
  } catch (error) {
    return `The request content was invalid and could not be deserialized: '${(error as Error).message}'.`;
  }
}

/** Docker names carry the group name; a second group of that name in another resource group gets a suffix. */
function dockerGroupName(state: AciState, resourceGroup: string, name: string): string {
  const clash = state.store.all().some((g) => g.name.toLowerCase() === name.toLowerCase() && g.resourceGroup.toLowerCase() !== resourceGroup.toLowerCase());
  return clash ? `${name}-${stableGuid(resourceGroup.toLowerCase()).slice(0, 6)}` : name;
}

/** The group's fqdn: kept across updates that keep its label and scope (a NoReuse hash is random), made anew otherwise. */
function fqdnFor(
  body: ContainerGroupBody,
  existing: GroupRecord | undefined,
  where: { location: string; resourceGroup: string; tenantId: string; subscriptionId: string },
): string | undefined {
  const ip = body.properties.ipAddress;
  if (!ip?.dnsNameLabel) return undefined;
  const scope = dnsLabelScopeOf(ip);
  const before = existing?.body.properties.ipAddress;
  if (existing?.fqdn && before?.dnsNameLabel?.toLowerCase() === ip.dnsNameLabel.toLowerCase() && before && dnsLabelScopeOf(before) === scope) return existing.fqdn;
  return groupFqdn({ label: ip.dnsNameLabel, scope, ...where });
}
