/** A readiness or liveness probe from a deploy task's inputs (HTTP path, port, initial delay, period, failure threshold). */
import { invalidInput, missingInput } from '../errors';
import type { InputReader } from '../input-reader';
import type { DeployInputName } from './input-names';

export interface ProbeInputs {
  readonly path: string;
  readonly port: number;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

export type ProbeKind = 'readiness' | 'liveness';

export interface ProbeDefaults {
  /** The port when the probe's port input is empty; undefined: the input is required. */
  port: number | undefined;
  /** Why the port input is required when `port` is undefined. */
  portHint?: string;
  periodSeconds: number;
}

/** Undefined when the probe's path input is empty (no probe). */
export function readProbe(read: InputReader<DeployInputName>, kind: ProbeKind, defaults: ProbeDefaults): ProbeInputs | undefined {
  const names = {
    path: `${kind}ProbePath`,
    port: `${kind}ProbePort`,
    initialDelay: `${kind}ProbeInitialDelay`,
    period: `${kind}ProbePeriod`,
    failureThreshold: `${kind}ProbeFailureThreshold`,
  } as const satisfies Record<string, DeployInputName>;
  const path = read.string(names.path);
  if (path === undefined) return undefined;
  if (!/^\/[\x21-\x7e]*$/.test(path)) throw invalidInput(names.path, "an HTTP path starting with '/' (e.g. '/v2/health/ready'), without spaces", path);
  const port = read.integer(names.port, { min: 1, max: 65535 }) ?? defaults.port;
  if (port === undefined) throw missingInput(names.port, defaults.portHint);
  const seconds = (name: DeployInputName, min: number, max: number, defaultSeconds: number): number =>
    Math.round(read.durationInMs(name, { minInMs: min * 1000, maxInMs: max * 1000 }, defaultSeconds * 1000, 's') / 1000);
  return {
    path,
    port,
    initialDelaySeconds: seconds(names.initialDelay, 0, 3600, kind === 'liveness' ? 60 : 0),
    periodSeconds: seconds(names.period, 1, 300, defaults.periodSeconds),
    failureThreshold: read.integer(names.failureThreshold, { min: 1, max: 100 }, 3),
  };
}
