/**
 * DeployToAks: sign in to the cluster, apply the Deployment, Service, autoscaler, disruption budget and
 * Secret with server-side apply, wait for the rollout as `kubectl rollout status` would and for the
 * load balancer's address under one deadline, explain and roll back a failed rollout, and publish the
 * URL. Never reads the environment.
 */
import { type Cancellation, uncancellable } from '../../common/cancellation';
import { type Clock, Deadline, describeTimeout } from '../../common/deadline';
import { type ImageReference, digestReference } from '../../common/docker/image-reference';
import { TaskError } from '../../common/errors';
import { hashSecrets, newSalt, saltOf } from '../../common/secret-hash';
import type { SetVariableOptions, TaskLog } from '../../common/task-runtime';
import { applyPlan, pruneSecrets } from './apply';
import { type ApplyProgress, addressState, applyState, failedRolloutState, rolloutState } from './cancellation-state';
import { ownedReplicaSets } from './diagnostics';
import type { ImageInspector } from './image-facts';
import { CHAINED_VARIABLE } from '../../common/chained-variables';
import type { AksInputs } from './input-types';
import type { KubeApi } from './kube-client';
import { statusCodeOf } from './kube-errors';
import type { Deployment, HorizontalPodAutoscaler } from './kube-objects';
import { FIELD_MANAGER, planObjects, secureEnvHashOf } from './plan';
import { failRollout } from './rollout-failure';
import { deadlineExceededAt, revisionOf } from './rollout-status';
import { type SignInDeps, signIn } from './sign-in';
import { summaryMarkdown } from './summary';
import { waitForAddress, waitForRollout } from './wait';

export interface AksDeps extends SignInDeps {
  log: TaskLog;
  clock: Clock;
  /** The deployment's one deadline (default: 'rolloutTimeoutInMinutes' from now). */
  deadline?: Deadline;
  images: ImageInspector;
  setVariable(name: string, value: string, options?: SetVariableOptions): void;
  addSummary(title: string, markdown: string): void;
  newSalt?: () => string;
  /** How often the Deployment and Service are read while waiting (tests: 0). */
  pollIntervalInMs?: number;
  /** The agent's cancellation: each phase says what a cancel now would leave in which state. */
  cancellation?: Cancellation;
}

/** Deploys; returns the one-line result for the run (the task fails by throwing). */
export async function main(inputs: AksInputs, deps: AksDeps): Promise<string> {
  const { log, clock } = deps;
  const deadline = deps.deadline ?? new Deadline(clock, inputs.rolloutTimeoutInMs);
  const { namespace, deploymentName: name } = inputs;
  const cancellation = deps.cancellation ?? uncancellable();
  cancellation.setPhase(`signing in to AKS cluster '${inputs.kubernetesCluster}'`, () => 'Nothing was changed in the cluster');
  log.info(
    `Deploying ${inputs.image.reference}${inputs.imageSource === 'pipeline' ? ` (from the variable ${CHAINED_VARIABLE.imageUri})` : ''} ` +
      `as deployment '${name}' in namespace '${namespace}' of AKS cluster '${inputs.kubernetesCluster}' (resource group '${inputs.resourceGroup}').`,
  );
  // The registry is read while the task signs in to the cluster: neither needs the other.
  const [{ cluster, kube }, facts] = await Promise.all([signIn(inputs, deps), deps.images.inspect(inputs.image)]);
  const image = pinned(inputs.image, facts.digest);
  if (image !== inputs.image.reference) log.info(`The registry resolves ${inputs.image.reference} to ${facts.digest ?? ''}: deploying ${image}.`);

  let progress: ApplyProgress = { applied: [] };
  cancellation.setPhase(`applying deployment '${name}' to namespace '${namespace}'`, () => applyState(progress));
  await ensureNamespace(kube, namespace, log, (next) => (progress = next));
  const existing = await kube.get<Deployment>('Deployment', namespace, name);
  const salt = saltOf(secureEnvHashOf(existing)) ?? (deps.newSalt ?? newSalt)();
  const secureEnvHash = hashSecrets(inputs.secureEnvironmentVariables.map(({ key, value }) => ({ name: key, value })), salt);
  const plan = planObjects(inputs, { image, ...(facts.model ? { model: facts.model } : {}), ...(secureEnvHash ? { secureEnvHash } : {}) });
  const startedAt = clock.now();
  const appliedBefore = progress.applied;
  const result = await applyPlan(plan, existing, inputs, kube, log, (next) => (progress = { ...next, applied: [...appliedBefore, ...next.applied] }));
  const action = existing === undefined ? 'created' : sameTemplate(existing, result.deployment) ? 'unchanged' : 'updated';
  if (action === 'unchanged') log.info(`The pod template is unchanged: nothing is rolled (revision ${revisionOf(existing) ?? '?'} keeps serving).`);

  const session = { kube, log, clock, ...(deps.pollIntervalInMs !== undefined ? { pollIntervalInMs: deps.pollIntervalInMs } : {}) };
  // A deadline the Deployment had already exceeded before this change is no verdict on it (see judgeRollout).
  const staleDeadline = deadlineExceededAt(existing);
  let lastSeen: Deployment | undefined = result.deployment;
  const servingBefore = revisionOf(existing);
  cancellation.setPhase(`waiting for the rollout of deployment '${name}'`, () => rolloutState(name, lastSeen, servingBefore));
  const rollout = await waitForRollout(namespace, name, deadline, session, {
    ...(staleDeadline !== undefined ? { staleDeadline } : {}),
    onRead: (deployment) => {
      if (deployment !== undefined) lastSeen = deployment;
    },
    ...(deps.pollIntervalInMs !== undefined ? { pollIntervalInMs: deps.pollIntervalInMs } : {}),
  });
  if (rollout.verdict.kind !== 'complete') {
    let rollbackSent = false;
    cancellation.setPhase(`handling the failed rollout of deployment '${name}'`, () => failedRolloutState(name, revisionOf(lastSeen), rollbackSent));
    await failRollout(
      {
        namespace,
        name,
        image: inputs.image,
        cluster,
        result: rollout,
        rollbackOnFailure: inputs.rollbackOnFailure,
        rolloutTimeoutInMs: inputs.rolloutTimeoutInMs,
        deadline,
        onRollbackSent: () => (rollbackSent = true),
      },
      session,
    );
  }
  const rolloutSeconds = (clock.now() - startedAt) / 1000;
  const deployment = rollout.deployment ?? result.deployment;
  const revision = revisionOf(deployment);

  let url: string | undefined;
  if (inputs.serviceType !== 'ClusterIP') {
    cancellation.setPhase(`waiting for the load balancer address of service '${name}'`, () => addressState(name, revision));
    const { address } = await waitForAddress(namespace, name, deadline, session, deps.pollIntervalInMs);
    if (address === undefined) {
      throw new TaskError(
        `Deployment '${name}' rolled out (revision ${revision ?? '?'}), but service '${name}' got no load balancer address within ${describeTimeout(inputs.rolloutTimeoutInMs)} ('rolloutTimeoutInMinutes'). ` +
          `Check the service's events: kubectl describe service ${name} -n ${namespace}.`,
      );
    }
    url = `http://${address.includes(':') ? `[${address}]` : address}${inputs.servicePort === 80 ? '' : `:${inputs.servicePort}`}`;
  }

  cancellation.setPhase(`finishing deployment '${name}'`, () => `Deployment '${name}' rolled out (revision ${revision ?? '?'})${url !== undefined ? ` and answers at ${url}` : ''}; the step's outputs were not published`);
  // Secrets of earlier secure values, once no ReplicaSet uses them (nothing to look at when there never were any).
  const hadSecrets = plan.secret !== undefined || secureEnvHashOf(existing) !== undefined;
  const pruned = hadSecrets ? await pruneSecrets(kube, namespace, name, await ownedReplicaSets(kube, deployment), plan.secret?.metadata.name) : [];
  const autoscaler = plan.autoscaler ? await kube.get<HorizontalPodAutoscaler>('HorizontalPodAutoscaler', namespace, name) : undefined;
  const ready = deployment.status?.readyReplicas ?? 0;
  const desired = deployment.spec?.replicas ?? ready;

  const output = (variable: string, value: string | undefined): void => deps.setVariable(variable, value ?? '', { isOutput: true });
  output('url', url);
  output('namespace', namespace);
  output('deploymentName', name);
  output('revision', revision !== undefined ? String(revision) : undefined);
  output('replicas', String(ready));
  output('imageDigest', facts.digest);
  if (url !== undefined) deps.setVariable(CHAINED_VARIABLE.modelUrl, url);
  log.info(url !== undefined ? `The model answers at ${url}.` : `Service '${name}' is ClusterIP: it has no address outside the cluster, so there is no url.`);

  const scaling = inputs.scaling;
  deps.addSummary(
    `Azure Kubernetes Service: ${name}`,
    summaryMarkdown({
      cluster: inputs.kubernetesCluster,
      namespace,
      deploymentName: name,
      image,
      ...(facts.digest ? { imageDigest: facts.digest } : {}),
      action: action === 'updated' ? 'updated (rolling update)' : action === 'unchanged' ? 'unchanged (nothing rolled)' : 'created',
      ...(revision !== undefined ? { revision } : {}),
      replicas: { ready, desired },
      ...(scaling.kind === 'autoscaling'
        ? {
            autoscaler: {
              min: scaling.minReplicas,
              max: scaling.maxReplicas,
              targets: [scaling.targetCpuUtilization !== undefined ? `cpu ${scaling.targetCpuUtilization} %` : '', scaling.targetMemoryUtilization !== undefined ? `memory ${scaling.targetMemoryUtilization} %` : ''].filter(Boolean).join(' and '),
              ...(autoscaler?.status?.currentReplicas !== undefined ? { current: autoscaler.status.currentReplicas } : {}),
              ...(autoscaler?.status?.desiredReplicas !== undefined ? { desired: autoscaler.status.desiredReplicas } : {}),
            },
          }
        : {}),
      ...(url ? { url } : {}),
      serviceType: inputs.serviceType,
      applied: result.applied,
      deleted: [...result.deleted, ...pruned.map((secret) => `Secret/${secret}`)],
      ...(action !== 'unchanged' ? { rolloutSeconds } : {}),
    }),
  );
  const verb = action === 'created' ? 'created' : action === 'updated' ? 'rolled out' : 'unchanged';
  return `Deployment '${name}' ${verb}: revision ${revision ?? '?'}, ${ready} replica(s) ready${url ? ` at ${url}` : ''}.`;
}

/** Creates a missing namespace; a Writer may not (namespaces are cluster-wide), so that refusal says what to do. */
async function ensureNamespace(kube: KubeApi, namespace: string, log: TaskLog, onProgress: (progress: ApplyProgress) => void): Promise<void> {
  if ((await kube.get('Namespace', '', namespace)) !== undefined) return;
  log.info(`Namespace '${namespace}' does not exist: creating it.`);
  try {
    onProgress({ applied: [], sending: `Namespace/${namespace}` });
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, FIELD_MANAGER);
    onProgress({ applied: [`Namespace/${namespace}`] });
  } catch (error) {
    if (!(error instanceof TaskError && statusCodeOf(error.cause) === 403)) throw error;
    throw new TaskError(
      `Namespace '${namespace}' does not exist and the task may not create it: ${error.message.split(' The task is signed in')[0] ?? ''} ` +
        "Create the namespace beforehand (kubectl create namespace), or give the service connection's identity 'Azure Kubernetes Service RBAC Cluster Admin' (namespaces are cluster-wide).",
      { cause: error.cause },
    );
  }
}

/** The image by digest when the registry told it (a tag that moves then rolls the pods), else as given. */
function pinned(image: ImageReference, digest: string | undefined): string {
  if (image.digest !== undefined || digest === undefined || image.registry === undefined) return image.reference;
  return digestReference(image.registry, image.repository, digest);
}

function sameTemplate(before: Deployment, after: Deployment): boolean {
  return JSON.stringify(before.spec?.template) === JSON.stringify(after.spec?.template);
}
