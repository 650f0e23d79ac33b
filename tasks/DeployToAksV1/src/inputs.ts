/**
 * Reads and validates every input in one place (names in input-names.ts, types in input-types.ts; the
 * workload, scaling and metadata inputs in their own readers, the image, environment and probe rules
 * shared with DeployToAci in common/deploy-inputs). Nothing here talks to Azure or the cluster: a bad
 * value fails before any request.
 */
import { readEnvironmentInputs } from '../../common/deploy-inputs/environment-inputs';
import { readImageInput } from '../../common/deploy-inputs/image-input';
import { readProbe } from '../../common/deploy-inputs/probe-inputs';
import { readResourceGroup } from '../../common/deploy-inputs/resource-group';
import { invalidInput } from '../../common/errors';
import { InputReader, type InputSource } from '../../common/input-reader';
import { INPUT, type InputName, SERVICE_TYPES } from './input-names';
import type { AksInputs, DeployInputContext, ProbeInputs } from './input-types';
import { checkDeploymentName, checkNamespace } from './kubernetes-names';
import { readMetadata } from './metadata-inputs';
import type { IntOrPercent } from './quantities';
import { type Scaling, readResources, readScaling, readStrategy } from './workload-inputs';

export { INPUT, type InputName } from './input-names';
export type { AksInputs, DeployInputContext, ProbeInputs, ResourceInputs, RolloutStrategy, Scaling } from './input-types';

/** 'rolloutTimeoutInMinutes' accepts fractions (0.25 = 15 s) up to 6 hours. */
export const ROLLOUT_TIMEOUT_IN_MINUTES = { min: 0.25, max: 360, default: 10 } as const;

/** Reads and validates every input; throws an InputError before anything talks to Azure. */
export function readInputs(source: InputSource, context: DeployInputContext): AksInputs {
  const read = new InputReader<InputName>(source, context);
  // Secrets first: the reader masks them before anything else can print them.
  const environment = readEnvironmentInputs(read);

  const containerPort = read.integer(INPUT.containerPort, { min: 1, max: 65535 }, 8080);
  const scaling = readScaling(read);
  const minAvailable = readMinAvailable(read, scaling);
  return {
    azureSubscription: read.required(INPUT.azureSubscription),
    resourceGroup: readResourceGroup(read),
    kubernetesCluster: readClusterName(read),
    useClusterAdmin: read.boolean(INPUT.useClusterAdmin, false),
    namespace: checkNamespace(INPUT.namespace, read.string(INPUT.namespace) ?? 'default'),
    deploymentName: checkDeploymentName(INPUT.deploymentName, read.required(INPUT.deploymentName)),
    ...readImageInput(read, context),
    containerPort,
    ...environment,
    resources: readResources(read, scaling),
    scaling,
    ...(minAvailable !== undefined ? { minAvailable } : {}),
    ...optionalProbe('readinessProbe', readProbe(read, 'readiness', { port: containerPort, periodSeconds: 5 })),
    ...optionalProbe('livenessProbe', readProbe(read, 'liveness', { port: containerPort, periodSeconds: 10 })),
    serviceType: read.enumValue(INPUT.serviceType, SERVICE_TYPES, 'LoadBalancer'),
    servicePort: read.integer(INPUT.servicePort, { min: 1, max: 65535 }, 80),
    strategy: readStrategy(read),
    ...readMetadata(read),
    rolloutTimeoutInMs: Math.round(read.number(INPUT.rolloutTimeoutInMinutes, ROLLOUT_TIMEOUT_IN_MINUTES, ROLLOUT_TIMEOUT_IN_MINUTES.default) * 60_000),
    rollbackOnFailure: read.boolean(INPUT.rollbackOnFailure, true),
  };
}

function optionalProbe<K extends 'readinessProbe' | 'livenessProbe'>(key: K, probe: ProbeInputs | undefined): { [P in K]?: ProbeInputs } {
  return (probe === undefined ? {} : { [key]: probe }) as { [P in K]?: ProbeInputs };
}

function readClusterName(read: InputReader<InputName>): string {
  const value = read.required(INPUT.kubernetesCluster);
  if (!/^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/.test(value)) {
    throw invalidInput(INPUT.kubernetesCluster, "an AKS cluster name: 1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit", value);
  }
  return value;
}

function readMinAvailable(read: InputReader<InputName>, scaling: Scaling): IntOrPercent | undefined {
  const value = read.string(INPUT.minAvailable);
  if (value === undefined) return undefined;
  const fewest = scaling.kind === 'fixed' ? scaling.replicas : scaling.minReplicas;
  const percent = /^(\d{1,3})%$/.exec(value);
  if (percent && Number(percent[1]) <= 100) return `${Number(percent[1])}%`;
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1000) {
    const count = Number(value);
    if (count >= fewest) {
      throw invalidInput(
        INPUT.minAvailable,
        `fewer pods than the ${scaling.kind === 'fixed' ? "'replicas'" : "'minReplicas'"} (${fewest}), or a percentage: with ${count} a node drain could never evict a pod`,
        value,
      );
    }
    return count;
  }
  throw invalidInput(INPUT.minAvailable, "a number of pods (e.g. '1') or a percentage (e.g. '50%'); empty for no PodDisruptionBudget", value);
}
