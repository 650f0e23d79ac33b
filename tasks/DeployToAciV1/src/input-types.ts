/** The task's typed, read-only inputs (inputs.ts reads them; the planning code reads only these types). */
import type { EnvironmentInputs } from '../../common/deploy-inputs/environment-inputs';
import type { ImageInput } from '../../common/deploy-inputs/image-input';
import type { ProbeInputs } from '../../common/deploy-inputs/probe-inputs';
import type { DNS_NAME_LABEL_REUSE_POLICIES, GPU_SKUS, IP_ADDRESS_TYPES, OS_TYPES, RESTART_POLICIES, RegistryAuth, UpdateMode } from './input-names';
import type { PortSpec } from './input-rules';

export type { DeployInputContext } from '../../common/deploy-inputs/image-input';
export type { ProbeInputs } from '../../common/deploy-inputs/probe-inputs';

export interface DeployInputs extends ImageInput, EnvironmentInputs {
  readonly azureSubscription: string;
  readonly resourceGroup: string;
  /** Undefined: the resource group's location. */
  readonly location?: string;
  readonly containerGroupName: string;
  readonly containerName: string;
  readonly osType: (typeof OS_TYPES)[number];
  readonly cpu: number;
  readonly memoryInGB: number;
  readonly gpu?: { readonly count: number; readonly sku: (typeof GPU_SKUS)[number] };
  /** The container's command in exec form (empty: the image's entry point and command). */
  readonly command: readonly string[];
  readonly restartPolicy: (typeof RESTART_POLICIES)[number];
  readonly ports: readonly PortSpec[];
  readonly ipAddressType: (typeof IP_ADDRESS_TYPES)[number];
  readonly dnsNameLabel?: string;
  readonly dnsNameLabelReusePolicy: (typeof DNS_NAME_LABEL_REUSE_POLICIES)[number];
  readonly subnetIds: readonly string[];
  readonly registryAuth: RegistryAuth;
  readonly managedIdentityResourceId?: string;
  readonly dockerRegistryServiceConnection?: string;
  readonly readinessProbe?: ProbeInputs;
  readonly livenessProbe?: ProbeInputs;
  readonly logAnalytics?: { readonly workspaceId: string; readonly workspaceKey: string };
  readonly tags: Readonly<Record<string, string>>;
  readonly updateMode: UpdateMode;
  readonly waitForReady: boolean;
  readonly timeoutInMs: number;
}
