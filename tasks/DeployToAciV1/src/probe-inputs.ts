/** Reads a readiness or liveness probe (HTTP path, port, initial delay, period, failure threshold). */
import { invalidInput, missingInput } from '../../common/errors';
import type { InputReader } from '../../common/input-reader';
import type { InputName } from './input-names';
import type { PortSpec } from './input-rules';
import type { ProbeInputs } from './inputs';

export function readProbe(read: InputReader<InputName>, kind: 'readiness' | 'liveness', ports: readonly PortSpec[]): ProbeInputs | undefined {
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
  const firstPort = ports.find((p) => p.protocol === 'TCP')?.port;
  const port = read.integer(names.port, { min: 1, max: 65535 }) ?? firstPort;
  if (port === undefined) throw missingInput(names.port, "There is no TCP port in 'ports' to default to.");
  const seconds = (name: InputName, min: number, max: number, defaultSeconds: number): number =>
    Math.round(read.durationInMs(name, { minInMs: min * 1000, maxInMs: max * 1000 }, defaultSeconds * 1000, 's') / 1000);
  return {
    path,
    port,
    initialDelaySeconds: seconds(names.initialDelay, 0, 3600, kind === 'liveness' ? 60 : 0),
    periodSeconds: seconds(names.period, 1, 300, 10),
    failureThreshold: read.integer(names.failureThreshold, { min: 1, max: 100 }, 3),
  };
}
