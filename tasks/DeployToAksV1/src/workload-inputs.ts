/** Reads the pods' resources (requests, limits, GPUs), their number (fixed or autoscaled) and the update strategy. */
import { invalidInput, missingInput } from '../../common/errors';
import type { InputReader } from '../../common/input-reader';
import { INPUT, type InputName, STRATEGIES } from './input-names';
import { type IntOrPercent, parseCpu, parseIntOrPercent, parseMemory } from './quantities';

export interface ResourceInputs {
  readonly cpuRequest?: string;
  readonly memoryRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryLimit?: string;
  /** `nvidia.com/gpu`; 0 for none. */
  readonly gpuCount: number;
}

export type Scaling =
  | { readonly kind: 'fixed'; readonly replicas: number }
  | {
      readonly kind: 'autoscaling';
      readonly minReplicas: number;
      readonly maxReplicas: number;
      readonly targetCpuUtilization?: number;
      readonly targetMemoryUtilization?: number;
      /** behavior.scaleDown.stabilizationWindowSeconds; undefined: Kubernetes' default (300 s). */
      readonly scaleDownStabilizationSeconds?: number;
    };

export type RolloutStrategy =
  | { readonly kind: 'RollingUpdate'; readonly maxSurge: IntOrPercent; readonly maxUnavailable: IntOrPercent }
  | { readonly kind: 'Recreate' };

export const MAX_REPLICAS = 1000;

export function readScaling(read: InputReader<InputName>): Scaling {
  if (!read.boolean(INPUT.autoscaling, false)) return { kind: 'fixed', replicas: read.integer(INPUT.replicas, { min: 0, max: MAX_REPLICAS }, 1) };
  const minReplicas = read.integer(INPUT.minReplicas, { min: 1, max: MAX_REPLICAS }, 1);
  const maxReplicas = read.integer(INPUT.maxReplicas, { min: 1, max: MAX_REPLICAS }, 3);
  if (maxReplicas < minReplicas) throw invalidInput(INPUT.maxReplicas, `a whole number not below 'minReplicas' (${minReplicas})`, String(maxReplicas));
  const targetCpuUtilization = read.integer(INPUT.targetCpuUtilization, { min: 1, max: 1000 });
  const targetMemoryUtilization = read.integer(INPUT.targetMemoryUtilization, { min: 1, max: 1000 });
  if (targetCpuUtilization === undefined && targetMemoryUtilization === undefined) {
    throw missingInput(INPUT.targetCpuUtilization, "With 'autoscaling' on, the autoscaler needs a target: set 'targetCpuUtilization' (e.g. 70) or 'targetMemoryUtilization'.");
  }
  const window = read.string(INPUT.scaleDownStabilizationWindow) === undefined ? undefined : read.durationInMs(INPUT.scaleDownStabilizationWindow, { minInMs: 0, maxInMs: 3_600_000 }, 300_000, 's');
  return {
    kind: 'autoscaling',
    minReplicas,
    maxReplicas,
    ...(targetCpuUtilization !== undefined ? { targetCpuUtilization } : {}),
    ...(targetMemoryUtilization !== undefined ? { targetMemoryUtilization } : {}),
    ...(window !== undefined ? { scaleDownStabilizationSeconds: Math.round(window / 1000) } : {}),
  };
}

/** Requests and limits; a limit below its request, or a utilisation target without a request, fails here. */
export function readResources(read: InputReader<InputName>, scaling: Scaling): ResourceInputs {
  const cpuRequest = read.string(INPUT.cpuRequest);
  const cpuLimit = read.string(INPUT.cpuLimit);
  const memoryRequest = read.string(INPUT.memoryRequest);
  const memoryLimit = read.string(INPUT.memoryLimit);
  const cpu = { request: cpuRequest && parseCpu(INPUT.cpuRequest, cpuRequest), limit: cpuLimit && parseCpu(INPUT.cpuLimit, cpuLimit) };
  const memory = { request: memoryRequest && parseMemory(INPUT.memoryRequest, memoryRequest), limit: memoryLimit && parseMemory(INPUT.memoryLimit, memoryLimit) };
  if (typeof cpu.request === 'number' && typeof cpu.limit === 'number' && cpu.limit < cpu.request) {
    throw invalidInput(INPUT.cpuLimit, `at least 'cpuRequest' (${cpuRequest ?? ''}): Kubernetes refuses a limit below the request`, cpuLimit ?? '');
  }
  if (typeof memory.request === 'number' && typeof memory.limit === 'number' && memory.limit < memory.request) {
    throw invalidInput(INPUT.memoryLimit, `at least 'memoryRequest' (${memoryRequest ?? ''}): Kubernetes refuses a limit below the request`, memoryLimit ?? '');
  }
  if (scaling.kind === 'autoscaling') {
    // Utilisation is usage divided by the request: without a request (or a limit, which defaults it) the autoscaler cannot compute it.
    if (scaling.targetCpuUtilization !== undefined && cpuRequest === undefined && cpuLimit === undefined) {
      throw missingInput(INPUT.cpuRequest, "'targetCpuUtilization' is a percentage of the pods' cpu request: set 'cpuRequest' (e.g. '250m').");
    }
    if (scaling.targetMemoryUtilization !== undefined && memoryRequest === undefined && memoryLimit === undefined) {
      throw missingInput(INPUT.memoryRequest, "'targetMemoryUtilization' is a percentage of the pods' memory request: set 'memoryRequest' (e.g. '512Mi').");
    }
  }
  return {
    ...(cpuRequest !== undefined ? { cpuRequest } : {}),
    ...(memoryRequest !== undefined ? { memoryRequest } : {}),
    ...(cpuLimit !== undefined ? { cpuLimit } : {}),
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
    gpuCount: read.integer(INPUT.gpuCount, { min: 0, max: 16 }, 0),
  };
}

export function readStrategy(read: InputReader<InputName>): RolloutStrategy {
  const kind = read.enumValue(INPUT.strategy, STRATEGIES, 'RollingUpdate');
  if (kind === 'Recreate') return { kind };
  const range = { min: 0, max: MAX_REPLICAS };
  const maxSurge = parseIntOrPercent(INPUT.maxSurge, read.string(INPUT.maxSurge) ?? '25%', range);
  const maxUnavailable = parseIntOrPercent(INPUT.maxUnavailable, read.string(INPUT.maxUnavailable) ?? '25%', range);
  if (isZero(maxSurge) && isZero(maxUnavailable)) {
    throw invalidInput(INPUT.maxUnavailable, "more than 0 when 'maxSurge' is 0 (else no pod could ever be replaced)", String(maxUnavailable));
  }
  return { kind, maxSurge, maxUnavailable };
}

function isZero(value: IntOrPercent): boolean {
  return value === 0 || value === '0%';
}
