import { CHAINED_VARIABLE } from '../../common/chained-variables';
import { runTaskOnAgent } from '../../common/run-task';
import { createTaskRuntime } from '../../common/task-runtime';
import { createSmokeDeps } from './deps';
import { readInputs } from './inputs';
import { main } from './main';

void runTaskOnAgent(createTaskRuntime(), async (runtime, cancellation) => {
  const modelUrlFromEarlierStep = runtime.variable(CHAINED_VARIABLE.modelUrl);
  const inputs = readInputs(runtime.inputs, { ...(modelUrlFromEarlierStep !== undefined ? { modelUrlFromEarlierStep } : {}), setSecret: (value) => runtime.setSecret(value) });
  const deps = createSmokeDeps(runtime, inputs, cancellation);
  try {
    return await main(inputs, deps);
  } finally {
    deps.http.close();
  }
});
