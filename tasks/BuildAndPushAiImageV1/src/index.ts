import { promises as fs } from 'node:fs';
import { createDockerCli } from '../../common/docker/docker-cli';
import { runTaskOnAgent } from '../../common/run-task';
import { createTaskRuntime } from '../../common/task-runtime';
import { checkBuildArgumentSecrets, secretBuildArgumentWarning } from './build-argument-secrets';
import { readInputs } from './inputs';
import { main } from './main';
import { collectModelFiles, folderSize } from './model-files';
import { runUrlOf } from './plan';
import { registryOpener } from './registry';
import { systemClock } from '../../common/deadline';

void runTaskOnAgent(createTaskRuntime(), async (runtime, cancellation) => {
  // Waits between retries (sign-in, push) end at once when the step is cancelled.
  const clock = cancellation.wrapClock(systemClock);
  const registry = registryOpener(runtime, clock);
  const workingDirectory = runtime.variable('System.DefaultWorkingDirectory') ?? process.cwd();
  const inputs = readInputs(runtime.inputs, workingDirectory);
  const { secretArguments } = checkBuildArgumentSecrets(inputs, { known: runtime.knownSecrets(), emptyVariables: runtime.emptySecretVariables() });
  if (secretArguments.length > 0) runtime.warning(secretBuildArgumentWarning(secretArguments));
  cancellation.setPhase('signing in to the registry', () => 'Nothing was built or pushed');
  const runUrl = runUrlOf({
    collectionUri: runtime.variable('System.CollectionUri'),
    teamProject: runtime.variable('System.TeamProject'),
    buildId: runtime.variable('Build.BuildId'),
    releaseWebUrl: runtime.variable('Release.ReleaseWebUrl'),
  });
  const optional = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  await main(inputs, {
    log: runtime,
    setVariable: (name, value, options) => runtime.setVariable(name, value, options),
    addSummary: (title, markdown) => runtime.addSummary(title, markdown),
    now: () => Date.now(),
    pipeline: {
      ...optional('repositoryUri', runtime.variable('Build.Repository.Uri')),
      ...optional('sourceVersion', runtime.variable('Build.SourceVersion')),
      ...optional('buildNumber', runtime.variable('Build.BuildNumber')),
      ...optional('runUrl', runUrl),
    },
    tempDirectory: runtime.tempDirectory,
    pathKind: async (path) => {
      const stat = await fs.stat(path).catch(() => undefined);
      return stat === undefined ? 'missing' : stat.isDirectory() ? 'directory' : 'file';
    },
    sourcesDirectory: workingDirectory,
    folderSize,
    collectModelFiles,
    ...optional('dockerBuildkit', process.env.DOCKER_BUILDKIT),
    readTextFile: (file) => fs.readFile(file, 'utf8'),
    writeTextFile: (file, text) => fs.writeFile(file, text, { mode: 0o600 }),
    createDocker: (configDirectory) =>
      createDockerCli({ log: runtime, baseEnvironment: process.env, cancellation, ...(configDirectory !== undefined ? { configDirectory } : {}) }),
    openRegistry: registry.open,
    prepareRegistry: registry.prepare,
    cancellation,
    clock,
  });
  return inputs.push ? 'The image was built, pushed and its digest confirmed by the registry.' : 'The image was built.';
});
