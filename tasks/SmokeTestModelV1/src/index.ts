import * as fs from 'node:fs';
import { systemClock } from '../../common/deadline';
import { InputReader } from '../../common/input-reader';
import { runTaskOnAgent } from '../../common/run-task';
import { maskSecrets } from '../../common/secret-masking';
import { createTaskRuntime } from '../../common/task-runtime';
import { createAuthHeaders } from './auth';
import { createEntraTokenSource } from './entra-token';
import { createHttpClient } from './http-client';
import { INPUT, MODEL_URL_VARIABLE, readInputs } from './inputs';
import { main } from './main';

void runTaskOnAgent(createTaskRuntime(), async (runtime, cancellation) => {
  const modelUrlFromEarlierStep = runtime.variable(MODEL_URL_VARIABLE);
  const inputs = readInputs(new InputReader(runtime.inputs), modelUrlFromEarlierStep === undefined ? {} : { modelUrlFromEarlierStep });
  if (inputs.authentication.kind === 'bearerToken') runtime.setSecret(inputs.authentication.token);
  if (inputs.authentication.kind === 'apiKey') runtime.setSecret(inputs.authentication.key);
  const clock = cancellation.wrapClock(systemClock);
  const http = createHttpClient({ maxSockets: inputs.concurrency, signal: cancellation.signal, ...(runtime.proxy ? { proxy: runtime.proxy } : {}), ...(inputs.caCertificatePem === undefined ? {} : { caCertificatePem: inputs.caCertificatePem }) });
  try {
    return await main(inputs, {
      log: runtime,
      http,
      clock,
      cpuTimeInMs: () => {
        const usage = process.cpuUsage();
        return (usage.user + usage.system) / 1000;
      },
      auth: createAuthHeaders(inputs.authentication, { entraToken: createEntraTokenSource(runtime, inputs.timeoutInMs < inputs.readinessTimeoutInMs ? INPUT.timeoutInMinutes : INPUT.readinessTimeoutInSeconds), clock }),
      cancellation,
      sinks: {
        tempDirectory: runtime.tempDirectory,
        // The agent masks the log, not files: every secret the task knows is masked in what it writes.
        writeFile: (file, content) => fs.writeFileSync(file, maskSecrets(content, runtime.knownSecrets()), { encoding: 'utf8' }),
        publishTestResults: (publication) => runtime.publishTestResults(publication),
        addSummary: (title, markdown) => runtime.addSummary(title, markdown),
        setVariable: (name, value, options) => runtime.setVariable(name, value, options),
      },
    });
  } finally {
    http.close();
  }
});
