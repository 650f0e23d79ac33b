/**
 * DeployToAci: read the existing group, decide (create / unchanged / update / recreate), apply, wait
 * with one deadline until it runs, explain failures, and publish the address. Never reads the environment.
 */
import { randomUUID } from 'node:crypto';
import { normaliseLocation } from '../../common/azure/location';
import type { Capabilities, ContainerGroup } from '@azure/arm-containerinstance';
import { type Cancellation, CancelledError, uncancellable } from '../../common/cancellation';
import { CHAINED_VARIABLE } from '../../common/chained-variables';
import { type Clock, Deadline, describeTimeout } from '../../common/deadline';
import { TaskError } from '../../common/errors';
import type { SetVariableOptions, TaskLog } from '../../common/task-runtime';
import type { AciClient } from './aci-client';
import { statusOf } from './arm-errors';
import { printDiagnostics } from './diagnostics';
import { type DeployAction, decideAction } from './diff';
import { concurrentChange, createdMeanwhile } from './concurrent-change';
import { restartCountsOf } from './group-state';
import type { DeployInputs } from './input-types';
import { TAG, checkCapabilities, fitsAlready, modelUrl, planContainerGroup } from './plan';
import type { Reachability } from './reachability';
import { type RegistryAccessDeps, resolveRegistryCredential } from './registry-access';
import { newSalt } from '../../common/secret-hash';
import { summaryMarkdown } from './summary';
import { waitForGroup } from './wait';

/** How long after sending a create or update the group is first read (it is Pending before). */
export const FIRST_POLL_DELAY_IN_MS = 1000;


export interface DeployDeps extends RegistryAccessDeps {
  log: TaskLog;
  clock: Clock;
  /** The deployment's one deadline (default: 'timeoutInMinutes' from now); the Resource Manager client honours it too. */
  deadline?: Deadline;
  aci: AciClient;
  reachability: Reachability;
  setVariable(name: string, value: string, options?: SetVariableOptions): void;
  addSummary(title: string, markdown: string): void;
  newSalt?: () => string;
  /** A value unique to this run (default: a random UUID). */
  newRunMarker?: () => string;
  /**
   * The agent's cancellation (SIGINT/SIGTERM; `clock` sleeps are interrupted by it), and a clock it does not
   * interrupt, with which a recreate cancelled after its DELETE finishes the create within the grace period.
   */
  cancellation?: { token: Cancellation; graceClock: Clock };
}

/** A recreate cancelled after its DELETE still sends the create within this time (the agent sends SIGTERM 7.5 s after SIGINT). */
export const RECREATE_GRACE_IN_MS = 4000;

/** Deploys; returns the one-line result for the run (the task fails by throwing). */
export async function main(inputs: DeployInputs, deps: DeployDeps): Promise<string> {
  const { log, aci, clock } = deps;
  const deadline = deps.deadline ?? new Deadline(clock, inputs.timeoutInMs);
  const rg = inputs.resourceGroup;
  const name = inputs.containerGroupName;
  log.info(`Deploying ${inputs.image.reference}${inputs.imageSource === 'pipeline' ? ' (from the variable AiModelDeploy.ImageUri)' : ''} to container group '${name}' in resource group '${rg}'.`);

  const existing = await aci.get(rg, name);
  // Default: where the group already is, else the resource group's location.
  const location = inputs.location ?? normaliseLocation(existing?.location ?? (await aci.resourceGroupLocation(rg)));
  // The location's limits are read only when the group does not already run with these resources there.
  if (!fitsAlready(existing, inputs, location)) {
    const capabilities = await readCapabilities(aci, location, log);
    if (capabilities !== undefined) checkCapabilities(inputs, location, capabilities);
  }
  const registry = await resolveRegistryCredential(inputs, deps, existing);
  const registryCredential = registry.credential;

  const desired = planContainerGroup(inputs, existing, {
    location,
    ...(registryCredential ? { registryCredential } : {}),
    ...(registry.registryId !== undefined ? { registryId: registry.registryId } : {}),
    freshSalt: (deps.newSalt ?? newSalt)(),
  });
  const action = decideAction(existing, desired, inputs.updateMode);
  // This run's marker, on what it sends: tells its PUT apart from a racing run's (checked after the wait).
  const runMarker = (deps.newRunMarker ?? randomUUID)();
  if (action.kind !== 'unchanged') desired.tags = { ...desired.tags, [TAG.run]: runMarker };
  const cancellation = deps.cancellation?.token ?? uncancellable();
  const startedAt = clock.now();
  await apply(action, desired, inputs, deps, deadline, `image pulled with ${registry.description}`);
  const unchanged = action.kind === 'unchanged' ? existing : undefined;
  const baseline = unchanged ? { restartCounts: restartCountsOf(unchanged) } : {};

  let group: ContainerGroup | undefined;
  let state = 'Unknown';
  if (inputs.waitForReady) {
    let lastSeen = action.kind === 'unchanged' ? 'running, unchanged' : 'not yet visible';
    cancellation.setPhase(
      `waiting for container group '${name}' to run`,
      () =>
        action.kind === 'unchanged'
          ? `Nothing was changed in Azure (last seen: ${lastSeen})`
          : `Azure goes on with the ${action.kind} this run sent; the group is left as Azure has it (last seen: ${lastSeen})`,
    );
    const result = await waitForGroup(
      {
        resourceGroup: rg,
        name,
        deadline,
        baseline,
        ...(inputs.readinessProbe ? { readinessProbe: inputs.readinessProbe } : {}),
        // Unchanged: the group just read is the first poll. Changed: Azure needs a moment before there is anything to see.
        ...(unchanged ? { initial: unchanged } : { firstPollDelayInMs: FIRST_POLL_DELAY_IN_MS }),
        onWaiting: (reason) => {
          lastSeen = reason;
        },
      },
      deps,
    );
    group = result.group;
    if (result.state.kind !== 'running' || group === undefined) {
      const diagnostics = group ? await printDiagnostics(group, rg, aci, log) : { excerpt: [] };
      const reason = result.state.kind === 'running' ? 'the group is not visible' : result.state.reason;
      const what =
        result.state.kind === 'failed'
          ? `${result.state.reason} ${result.state.hint}`
          : `Container group '${name}' was not running${inputs.readinessProbe ? ' and ready' : ''} within ${describeTimeout(inputs.timeoutInMs)} ('timeoutInMinutes'): ${reason}. ` +
            'Check the events and logs above; a model that loads slowly needs a longer timeout.';
      const excerpt = diagnostics.excerpt.length > 0 ? ` Last log lines: ${diagnostics.excerpt.join(' | ')}` : '';
      throw new TaskError(`${what}${excerpt}`);
    }
    state = 'Running';
    log.info(`Container group '${name}' is running${inputs.readinessProbe ? ' and ready' : ''} (${((clock.now() - startedAt) / 1000).toFixed(1)} s after ${describeAction(action)}).`);
  } else {
    group = await aci.get(rg, name);
    state = group?.instanceView?.state ?? group?.provisioningState ?? 'Unknown';
    log.info(`Not waiting for the containers ('waitForReady' is false): the group is ${state}.`);
  }
  if (group === undefined) throw new TaskError(`Container group '${name}' disappeared while the task was deploying it.`);
  const race = concurrentChange(group, desired, action.kind === 'unchanged' ? undefined : runMarker);
  if (race !== undefined) {
    throw new TaskError(
      `Container group '${name}' was changed by another deployment while this run was deploying it: ${race}. ` +
        'Two pipelines (or a person) deployed to the same group at the same time; this run did not get what it asked for. Serialise the deployments (an exclusive lock check on the environment), then run again.',
    );
  }
  const url = await publish(group, state, action, inputs, deps, action.kind === 'unchanged' ? undefined : clock.now() - startedAt);
  return `Container group '${name}' ${describeAction(action, 'summary')}: ${state}${url ? ` at ${url}` : ''}.`;
}

/**
 * The location's capabilities, for the pre-check of cpu, memory and GPU. Reading them is a
 * subscription-level read: an identity with rights only on the resource group may be refused, and then
 * Azure validates the request itself (the pre-check only makes the error come sooner and clearer).
 */
async function readCapabilities(aci: AciClient, location: string, log: TaskLog): Promise<Capabilities[] | undefined> {
  try {
    return await aci.capabilities(location);
  } catch (error) {
    if (!(error instanceof TaskError) || statusOf(error.cause) !== 403) throw error;
    log.info(`Not allowed to read the capabilities of location '${location}' (a subscription-level read): Azure checks cpu, memory and GPU against them when the group is created.`);
    return undefined;
  }
}

async function apply(action: DeployAction, desired: ContainerGroup, inputs: DeployInputs, deps: DeployDeps, deadline: Deadline, context: string): Promise<void> {
  const { log, aci } = deps;
  const rg = inputs.resourceGroup;
  const name = inputs.containerGroupName;
  const cancellation = deps.cancellation?.token ?? uncancellable();
  let sent = false;
  cancellation.setPhase(`${action.kind === 'create' ? 'creating' : action.kind === 'recreate' ? 'recreating' : 'updating'} container group '${name}'`, () =>
    sent ? 'The request was sent: Azure goes on with it' : `Container group '${name}' was not changed`,
  );
  switch (action.kind) {
    case 'unchanged':
      log.info(`Container group '${name}' already runs this image with this spec: nothing to change, nothing restarted.`);
      return;
    case 'create':
      log.info(`Creating container group '${name}' in ${desired.location ?? ''}.`);
      sent = true;
      await aci.createOrUpdate(rg, name, desired, context).catch((error: unknown) => {
        throw createdMeanwhile(error, name) ?? error;
      });
      return;
    case 'update':
      log.info(`Updating container group '${name}' in place: ${action.changes.join('; ')}.`);
      sent = true;
      await aci.createOrUpdate(rg, name, desired, context);
      return;
    case 'recreate': {
      log.info(`Recreating container group '${name}' because ${action.reason}${action.changes.length > 0 ? `: ${action.changes.join('; ')}` : ''}.`);
      log.warning(`Container group '${name}' is deleted and created again: the model is down until the new group runs, and its IP address changes.`);
      const downSince = deps.clock.now();
      sent = true;
      await aci.delete(rg, name);
      let created = false;
      cancellation.setPhase(`recreating container group '${name}'`, () =>
        created
          ? `Container group '${name}' was deleted and its create was sent: Azure goes on creating it`
          : `Container group '${name}' was deleted and is not created again: it no longer exists; run the deployment again to create it`,
      );
      const recreate = async (until: Deadline): Promise<void> => {
        while ((await aci.get(rg, name)) !== undefined) {
          if (until.expired()) throw new TaskError(`Container group '${name}' was still being deleted when the deadline ('timeoutInMinutes') passed.`);
          await until.sleep(1000);
        }
        log.info(`Deleted in ${((deps.clock.now() - downSince) / 1000).toFixed(1)} s; creating it again.`);
        await aci.createOrUpdate(rg, name, desired, context);
        created = true;
      };
      if (!cancellation.signal.aborted) {
        try {
          await recreate(deadline);
          return;
        } catch (error) {
          if (!cancellation.signal.aborted || created || deps.cancellation === undefined) throw error;
        }
      }
      // Cancelled after the DELETE: rather than leave no group, finish the create within the grace period.
      if (!created && deps.cancellation !== undefined) await recreate(new Deadline(deps.cancellation.graceClock, RECREATE_GRACE_IN_MS)).catch(() => undefined);
      throw new CancelledError(`The recreate of container group '${name}' was cancelled.`);
      return;
    }
  }
}

async function publish(group: ContainerGroup, state: string, action: DeployAction, inputs: DeployInputs, deps: DeployDeps, timeToRunningInMs: number | undefined): Promise<string | undefined> {
  const fqdn = group.ipAddress?.fqdn;
  const ip = group.ipAddress?.ip;
  // The DNS name when it resolves from the agent (it always does in Azure), else the IP address.
  const host = fqdn && (await deps.reachability.resolves(fqdn)) ? fqdn : ip;
  if (fqdn && host !== fqdn) deps.log.info(`The DNS name ${fqdn} does not resolve from this agent: the url uses the IP address ${ip ?? ''}.`);
  const url = modelUrl(host, inputs.ports);
  const output = (variable: string, value: string | undefined): void => deps.setVariable(variable, value ?? '', { isOutput: true });
  output('containerGroupId', group.id);
  output('containerGroupName', group.name ?? inputs.containerGroupName);
  output('fqdn', fqdn);
  output('ipAddress', ip);
  output('url', url);
  output('state', state);
  output('imageDigest', inputs.image.digest);
  if (url !== undefined) deps.setVariable(CHAINED_VARIABLE.modelUrl, url);
  deps.log.info(url !== undefined ? `The model answers at ${url}.` : 'The group has no address the model can be reached at (no IP address or no TCP port).');
  deps.addSummary(
    // An attachment name may not hold characters invalid in a Windows file name (':' among them): agents on Windows refuse it.
    `Azure Container Instances - ${group.name ?? inputs.containerGroupName}`,
    summaryMarkdown({
      group,
      resourceGroup: inputs.resourceGroup,
      image: inputs.image.reference,
      ...(inputs.image.digest ? { imageDigest: inputs.image.digest } : {}),
      action: describeAction(action, 'summary'),
      state,
      ...(url ? { url } : {}),
      ...(timeToRunningInMs !== undefined ? { timeToRunningInMs } : {}),
    }),
  );
  return url;
}

const ACTION_TEXT: Record<DeployAction['kind'], { after: string; summary: string }> = {
  create: { after: 'creating it', summary: 'created' },
  unchanged: { after: 'finding it unchanged', summary: 'unchanged (nothing restarted)' },
  update: { after: 'updating it in place', summary: 'updated in place' },
  recreate: { after: 'recreating it', summary: 'deleted and recreated' },
};

function describeAction(action: DeployAction, form: 'after' | 'summary' = 'after'): string {
  return ACTION_TEXT[action.kind][form];
}

