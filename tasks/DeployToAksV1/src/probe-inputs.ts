/** Reads a readiness or liveness probe (HTTP path, port, initial delay, period, failure threshold). */
import { invalidInput } from '../../common/errors';
import type { InputReader } from '../../common/input-reader';
import type { InputName } from './input-names';
import type { ProbeInputs } from './inputs';

export function readProbe(read: InputReader<InputName>, kind: 'readiness' | 'liveness', containerPort: number): ProbeInputs | undefined {
  const names = {
    path: `${kind}ProbePath`,
    port: `${kind}ProbePort`,
    initialDelay: `${kind}ProbeInitialDelay`,
    period: `${kind}ProbePeriod`,
    failureThreshold: `${kind}ProbeFailureThreshold`,
  } as const satisfies Record<string, InputName>;
  const path = read.string(names.path);
  if (path === undefined) return undefined;
  if (!/^\/[\x21-\x7e]*$/.test(path)) throw invalidInput(names.path, "an HTTP path starting with '/' (e.g. '/v2/health/ready'), without spaces", path);
  const seconds = (name: InputName, min: number, max: number, defaultSeconds: number): number =>
    Math.round(read.durationInMs(name, { minInMs: min * 1000, maxInMs: max * 1000 }, defaultSeconds * 1000, 's') / 1000);
  return {
    path,
    port: read.integer(names.port, { min: 1, max: 65535 }) ?? containerPort,
    initialDelaySeconds: seconds(names.initialDelay, 0, 3600, kind === 'liveness' ? 60 : 0),
    periodSeconds: seconds(names.period, 1, 300, kind === 'liveness' ? 10 : 5),
    failureThreshold: read.integer(names.failureThreshold, { min: 1, max: 100 }, 3),
  };
}
