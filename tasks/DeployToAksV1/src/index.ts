import { runTask } from '../../common/run-task';
import { createTaskRuntime } from '../../common/task-runtime';
import { createAksDeps } from './deps';
import { IMAGE_URI_VARIABLE, readInputs } from './inputs';
import { main } from './main';

void runTask(createTaskRuntime(), async (runtime) => {
  const pipelineImage = runtime.variable(IMAGE_URI_VARIABLE);
  const inputs = readInputs(runtime.inputs, {
    ...(pipelineImage !== undefined ? { pipelineImage } : {}),
    setSecret: (value) => runtime.setSecret(value),
  });
  return await main(inputs, await createAksDeps(runtime, inputs));
});
