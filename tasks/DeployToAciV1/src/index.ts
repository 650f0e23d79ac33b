import { CHAINED_VARIABLE } from '../../common/chained-variables';
import { runTaskOnAgent } from '../../common/run-task';
import { createTaskRuntime } from '../../common/task-runtime';
import { createDeployDeps } from './deps';
import { readInputs } from './inputs';
import { main } from './main';

void runTaskOnAgent(createTaskRuntime(), async (runtime, cancellation) => {
  const pipelineImage = runtime.variable(CHAINED_VARIABLE.imageUri);
  const inputs = readInputs(runtime.inputs, { ...(pipelineImage !== undefined ? { pipelineImage } : {}), setSecret: (value) => runtime.setSecret(value) });
  cancellation.setPhase(`reading container group '${inputs.containerGroupName}'`, () => 'Nothing was changed in Azure');
  return await main(inputs, await createDeployDeps(runtime, inputs, cancellation));
});
