/** Wires the real effects for main(): the Docker CLI, files, pipeline facts and the registry sign-in (registry.ts). */
import { promises as fs } from 'node:fs';
import type { Cancellation } from '../../common/cancellation';
import { systemClock } from '../../common/deadline';
import { createDockerCli } from '../../common/docker/docker-cli';
import type { TaskRuntime } from '../../common/task-runtime';
import type { BuildDeps } from './main';
import { collectModelFiles, folderSize } from './model-files';
import { runUrlOf } from './plan';
import { registryOpener } from './registry';

export function createBuildDeps(runtime: TaskRuntime, cancellation: Cancellation, workingDirectory: string): BuildDeps {
  // Waits between retries (sign-in, push) end at once when the step is cancelled.
  const clock = cancellation.wrapClock(systemClock);
  const registry = registryOpener(runtime, clock);
  const runUrl = runUrlOf({
    collectionUri: runtime.variable('System.CollectionUri'),
    teamProject: runtime.variable('System.TeamProject'),
    buildId: runtime.variable('Build.BuildId'),
    releaseWebUrl: runtime.variable('Release.ReleaseWebUrl'),
  });
  const optional = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  return {
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
  };
}
