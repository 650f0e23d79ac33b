/** Wires the real effects for main(): the HTTP client, the authentication headers (Entra ID through the Azure session) and the result sinks. */
import * as fs from 'node:fs';
import type { Cancellation } from '../../common/cancellation';
import { systemClock } from '../../common/deadline';
import { maskSecrets } from '../../common/secret-masking';
import type { TaskRuntime } from '../../common/task-runtime';
import { createAuthHeaders } from './auth';
import { createEntraTokenSource } from './entra-token';
import { createHttpClient } from './http-client';
import { INPUT } from './input-names';
import type { SmokeTestInputs } from './input-types';
import type { SmokeTestDeps } from './main';

/** The caller closes `http` when main is done. */
export function createSmokeDeps(runtime: TaskRuntime, inputs: SmokeTestInputs, cancellation: Cancellation): SmokeTestDeps {
  // Every wait (readiness polls, retries, the deadline) ends at once when the agent cancels the step.
  const clock = cancellation.wrapClock(systemClock);
  const http = createHttpClient({
    maxSockets: inputs.concurrency,
    signal: cancellation.signal,
    ...(runtime.proxy ? { proxy: runtime.proxy } : {}),
    ...(inputs.caCertificatePem === undefined ? {} : { caCertificatePem: inputs.caCertificatePem }),
  });
  return {
    log: runtime,
    http,
    clock,
    cpuTimeInMs: () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
    auth: createAuthHeaders(inputs.authentication, { entraToken: createEntraTokenSource(runtime, clock, inputs.timeoutInMs < inputs.readinessTimeoutInMs ? INPUT.timeoutInMinutes : INPUT.readinessTimeoutInSeconds), clock }),
    cancellation,
    sinks: {
      tempDirectory: runtime.tempDirectory,
      // The agent masks the log, not files: every secret the task knows is masked in what it writes.
      writeFile: (file, content) => fs.writeFileSync(file, maskSecrets(content, runtime.knownSecrets()), { encoding: 'utf8' }),
      publishTestResults: (publication) => runtime.publishTestResults(publication),
      addSummary: (title, markdown) => runtime.addSummary(title, markdown),
      setVariable: (name, value, options) => runtime.setVariable(name, value, options),
    },
  };
}
