import { runTaskOnAgent } from '../../common/run-task';
import { createTaskRuntime } from '../../common/task-runtime';
import { checkBuildArgumentSecrets, secretBuildArgumentWarning } from './build-argument-secrets';
import { createBuildDeps } from './deps';
import { readInputs } from './inputs';
import { main } from './main';

void runTaskOnAgent(createTaskRuntime(), async (runtime, cancellation) => {
  const workingDirectory = runtime.variable('System.DefaultWorkingDirectory') ?? process.cwd();
  const inputs = readInputs(runtime.inputs, { workingDirectory, setSecret: (value) => runtime.setSecret(value) });
  const { secretArguments } = checkBuildArgumentSecrets(inputs, { known: runtime.knownSecrets(), emptyVariables: runtime.emptySecretVariables() });
  if (secretArguments.length > 0) runtime.warning(secretBuildArgumentWarning(secretArguments));
  cancellation.setPhase('signing in to the registry', () => 'Nothing was built or pushed');
  await main(inputs, createBuildDeps(runtime, cancellation, workingDirectory));
  return inputs.push ? 'The image was built, pushed and its digest confirmed by the registry.' : 'The image was built.';
});
