/** The task's typed, read-only inputs (inputs.ts reads them; the planning code reads only these types). */
import type { EnvironmentInputs } from '../../common/deploy-inputs/environment-inputs';
import type { ImageInput } from '../../common/deploy-inputs/image-input';
import type { ProbeInputs } from '../../common/deploy-inputs/probe-inputs';
import type { ServiceType } from './input-names';
import type { IntOrPercent } from './quantities';
import type { ResourceInputs, RolloutStrategy, Scaling } from './workload-inputs';

export type { DeployInputContext } from '../../common/deploy-inputs/image-input';
export type { ProbeInputs } from '../../common/deploy-inputs/probe-inputs';
export type { ResourceInputs, RolloutStrategy, Scaling } from './workload-inputs';

export interface AksInputs extends ImageInput, EnvironmentInputs {
  readonly azureSubscription: string;
  readonly resourceGroup: string;
  readonly kubernetesCluster: string;
  readonly useClusterAdmin: boolean;
  readonly namespace: string;
  readonly deploymentName: string;
  readonly containerPort: number;
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
