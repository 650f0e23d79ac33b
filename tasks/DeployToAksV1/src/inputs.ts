/**
 * The task's one typed, read-only inputs object, read and validated in one place (input names in
 * input-names.ts; the workload, scaling and probe inputs in their own readers). Nothing here talks to
 * Azure or the cluster: a bad value fails before any request.
 */
import { invalidInput, missingInput } from '../../common/errors';
import { type ImageReference, parseImageReference } from '../../common/docker/image-reference';
import { InputReader, type InputSource, type KeyValue } from '../../common/input-reader';
import { IMAGE_URI_VARIABLE, INPUT, type InputName, SERVICE_TYPES, type ServiceType } from './input-names';
import { ENVIRONMENT_VARIABLE_NAME, checkDeploymentName, checkNamespace } from './kubernetes-names';
import { readMetadata } from './metadata-inputs';
import { readProbe } from './probe-inputs';
import { type ResourceInputs, type RolloutStrategy, type Scaling, readResources, readScaling, readStrategy } from './workload-inputs';
import type { IntOrPercent } from './quantities';

export { IMAGE_URI_VARIABLE, INPUT, MODEL_URL_VARIABLE, type InputName } from './input-names';
export type { ResourceInputs, RolloutStrategy, Scaling } from './workload-inputs';

export interface ProbeInputs {
  readonly path: string;
  readonly port: number;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

export interface AksInputs {
  readonly azureSubscription: string;
  readonly resourceGroup: string;
  readonly kubernetesCluster: string;
  readonly useClusterAdmin: boolean;
  readonly namespace: string;
  readonly deploymentName: string;
  readonly image: ImageReference;
  /** Where the image came from: the `image` input or the job variable set by BuildAndPushAiImage. */
  readonly imageSource: 'input' | 'pipeline';
  readonly containerPort: number;
  readonly environmentVariables: readonly KeyValue[];
  readonly secureEnvironmentVariables: readonly KeyValue[];
  readonly resources: ResourceInputs;
  readonly scaling: Scaling;
  /** A PodDisruptionBudget's minAvailable, when one is wanted. */
  readonly minAvailable?: IntOrPercent;
  readonly readinessProbe?: ProbeInputs;
  readonly livenessProbe?: ProbeInputs;
  readonly serviceType: ServiceType;
  readonly servicePort: number;
  readonly strategy: RolloutStrategy;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly rolloutTimeoutInMs: number;
  readonly rollbackOnFailure: boolean;
}

export interface InputContext {
  /** The value of AiModelDeploy.ImageUri, when an earlier step set it. */
  pipelineImage?: string;
  /** Registers a secret with the agent; called for each secure value the moment it is read. */
  setSecret(value: string): void;
}

/** 'rolloutTimeoutInMinutes' accepts fractions (0.25 = 15 s) up to 6 hours. */
export const ROLLOUT_TIMEOUT_IN_MINUTES = { min: 0.25, max: 360, default: 10 } as const;

/** Reads and validates every input; throws an InputError before anything talks to Azure. */
export function readInputs(source: InputSource, context: InputContext): AksInputs {
  const read = new InputReader<InputName>(source);
  // Secrets first: they are masked before anything else can print them.
  const secureEnvironmentVariables = read.keyValues(INPUT.secureEnvironmentVariables, ENVIRONMENT_VARIABLE_NAME);
  for (const { value } of secureEnvironmentVariables) context.setSecret(value);
  const environmentVariables = read.keyValues(INPUT.environmentVariables, ENVIRONMENT_VARIABLE_NAME);
  const clash = environmentVariables.find((plain) => secureEnvironmentVariables.some((secure) => secure.key === plain.key));
  if (clash) throw invalidInput(INPUT.environmentVariables, 'names that are not also in secureEnvironmentVariables', `${clash.key} in both`);

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
    ...readImage(read, context),
    containerPort,
    environmentVariables,
    secureEnvironmentVariables,
    resources: readResources(read, scaling),
    scaling,
    ...(minAvailable !== undefined ? { minAvailable } : {}),
    ...optionalProbe('readinessProbe', readProbe(read, 'readiness', containerPort)),
    ...optionalProbe('livenessProbe', readProbe(read, 'liveness', containerPort)),
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

function readResourceGroup(read: InputReader<InputName>): string {
  const value = read.required(INPUT.resourceGroup);
  if (value.length > 90 || !/^[-\w.()]*[-\w()]$/u.test(value)) {
    throw invalidInput(INPUT.resourceGroup, "a resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'", value);
  }
  return value;
}

/** AKS cluster names: 1 to 63 letters, digits, '-' and '_', starting and ending with a letter or digit. */
function readClusterName(read: InputReader<InputName>): string {
  const value = read.required(INPUT.kubernetesCluster);
  if (!/^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/.test(value)) {
    throw invalidInput(INPUT.kubernetesCluster, "an AKS cluster name: 1 to 63 letters, digits, '-' or '_', starting and ending with a letter or digit", value);
  }
  return value;
}

function readImage(read: InputReader<InputName>, context: InputContext): Pick<AksInputs, 'image' | 'imageSource'> {
  const given = read.string(INPUT.image);
  if (given !== undefined) return { image: parseImageReference(INPUT.image, given), imageSource: 'input' };
  const fromPipeline = context.pipelineImage?.trim();
  if (fromPipeline === undefined || fromPipeline === '') {
    throw missingInput(
      INPUT.image,
      `Name the image to deploy, or run BuildAndPushAiImage earlier in the same job: it sets the variable ${IMAGE_URI_VARIABLE} that this task uses when 'image' is empty.`,
    );
  }
  const hint = ` (the input is empty, so the task used the variable ${IMAGE_URI_VARIABLE}, which holds this value)`;
  return { image: parseImageReference(INPUT.image, fromPipeline, hint), imageSource: 'pipeline' };
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
