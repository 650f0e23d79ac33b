/**
 * Refuses, before anything slow starts, a build whose Dockerfile would pull its base image from a public
 * registry: the local run reaches only the local Azure's registries. The message says how to take the
 * runner's `$(baseImage)` instead (see dockerfile-bases.ts). Reads the Dockerfiles through `read`.
 */
import * as path from 'node:path';
import { expandMacros } from '../agent/agent-inputs';
import { baseImagesOf, isLocalRegistryImage } from './dockerfile-bases';
import type { Pipeline, PipelineStep } from './model';

function inputOf(step: PipelineStep, name: string): string | undefined {
  return Object.entries(step.inputs).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

function runtimeNote(image: string, localMajor: string): string {
  const node = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)/i.exec(image)?.[1];
  if (node === localMajor) return `; it is the same runtime as ${image} (Node.js ${localMajor})`;
  if (node !== undefined) return `; it has Node.js ${localMajor}, not the ${node} of ${image}, so check that your app runs on it`;
  return `; it is a Node.js image, so a base image of another runtime cannot run locally`;
}

/**
 * One message per FROM that would pull from a public registry. Variables win as in the job: the YAML's,
 * then the runner's `baseImage` (a local image), then --var.
 */
export function publicBaseImageProblems(
  pipeline: Pipeline,
  variables: { yaml: Record<string, string>; commandLine: Record<string, string> },
  workingDirectory: string,
  read: (file: string) => string | undefined,
  localMajor = process.versions.node.split('.')[0] ?? '20',
): string[] {
  const problems: string[] = [];
  const known: Record<string, string> = { ...variables.yaml };
  for (const name of Object.keys(known)) if (name.toLowerCase() === 'baseimage') delete known[name];
  Object.assign(known, { baseImage: `127.0.0.1:5000/base/node:${localMajor}` }, variables.commandLine);
  for (const step of pipeline.steps.filter((candidate) => candidate.task === 'BuildAndPushAiImageV1')) {
    const relative = expandMacros(inputOf(step, 'dockerfile') ?? '', known).trim() || 'Dockerfile';
    if (relative.includes('$(')) continue;
    const file = path.resolve(workingDirectory, relative);
    const text = read(file);
    if (text === undefined) continue;
    const buildArguments = new Map<string, string>();
    for (const line of expandMacros(inputOf(step, 'buildArguments') ?? '', known).split(/\r?\n/)) {
      const at = line.indexOf('=');
      if (at > 0 && !line.trim().startsWith('#') && !line.includes('$(')) buildArguments.set(line.slice(0, at).trim(), line.slice(at + 1));
    }
    for (const use of baseImagesOf(text, buildArguments)) {
      if (isLocalRegistryImage(use.image)) continue;
      const shown = path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
      problems.push(
        `${shown}:${use.line}: FROM ${use.written}${use.written === use.image ? '' : ` (= ${use.image})`} would pull from a public registry, which a local run never reaches. ` +
          `Take the base image as a build argument: 'ARG BASE_IMAGE=${use.image}' above 'FROM \${BASE_IMAGE}' in the Dockerfile, and 'BASE_IMAGE=$(baseImage)' in the buildArguments of ${step.where}; ` +
          `on Azure DevOps your default stays, locally $(baseImage) is a base image built from this machine's Node.js${runtimeNote(use.image, localMajor)}.`,
      );
    }
  }
  return problems;
}
