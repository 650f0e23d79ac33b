import assert from 'node:assert/strict';
import { baseImagesOf, isLocalRegistryImage } from '../../../scripts/pipeline/dockerfile-bases';
import { parsePipeline } from '../../../scripts/pipeline/parse';
import { publicBaseImageProblems } from '../../../scripts/pipeline/public-base-images';

describe('local pipeline runner: base images of a Dockerfile', () => {
  it('applies build arguments over ARG defaults, skips scratch and earlier stages, joins continuations', () => {
    const dockerfile = ['# syntax is not used', 'ARG BASE_IMAGE=node:20-slim', 'ARG TAG', 'FROM --platform=linux/amd64 ${BASE_IMAGE} AS build', 'RUN echo \\', '  FROM nothing', 'FROM build', 'FROM scratch', 'FROM python:${TAG:-3.12}', ''].join('\n');
    assert.deepEqual(baseImagesOf(dockerfile, new Map()), [
      { line: 4, written: '${BASE_IMAGE}', image: 'node:20-slim' },
      { line: 9, written: 'python:${TAG:-3.12}', image: 'python:3.12' },
    ]);
    assert.equal(baseImagesOf(dockerfile, new Map([['BASE_IMAGE', '127.0.0.1:5000/base/node:20']]))[0]?.image, '127.0.0.1:5000/base/node:20');
  });

  it('knows the local registries from public ones', () => {
    for (const image of ['127.0.0.1:41234/base/node:20', 'localhost:5000/x', '[::1]:5000/x']) assert.equal(isLocalRegistryImage(image), true, image);
    for (const image of ['node:20-slim', 'mcr.microsoft.com/azureml/minimal', '127.0.0.1.example.com/x', 'library/node']) assert.equal(isLocalRegistryImage(image), false, image);
  });

  const pipeline = (buildArguments: string): ReturnType<typeof parsePipeline> =>
    parsePipeline(['variables:', '  baseImage: node:20-slim', 'steps:', '  - task: BuildAndPushAiImage@1', '    inputs:', '      repository: app', '      dockerfile: app/Dockerfile', `      buildArguments: ${buildArguments}`, ''].join('\n'), 'p.yml');
  const files: Record<string, string> = { '/repo/app/Dockerfile': 'ARG BASE_IMAGE=node:20-slim\nFROM ${BASE_IMAGE}\n' };
  const read = (file: string): string | undefined => files[file];

  it("accepts FROM ${BASE_IMAGE} with BASE_IMAGE=$(baseImage): the runner's value wins over the YAML's, as in the job", () => {
    assert.deepEqual(publicBaseImageProblems(pipeline('BASE_IMAGE=$(baseImage)'), { yaml: { baseImage: 'node:20-slim' }, commandLine: {} }, '/repo', read, '20'), []);
  });

  it('refuses a public FROM, saying how to take $(baseImage) and whether it is the same runtime', () => {
    const [problem] = publicBaseImageProblems(pipeline('X=1'), { yaml: {}, commandLine: {} }, '/repo', read, '20');
    assert.match(problem ?? '', /app\/Dockerfile:2: FROM \$\{BASE_IMAGE\} \(= node:20-slim\) would pull from a public registry, which a local run never reaches\. Take the base image as a build argument: 'ARG BASE_IMAGE=node:20-slim' above 'FROM \$\{BASE_IMAGE\}' in the Dockerfile, and 'BASE_IMAGE=\$\(baseImage\)' in the buildArguments of p\.yml:4 \(steps\[0\]\)/);
    assert.match(problem ?? '', /it is the same runtime as node:20-slim \(Node\.js 20\)\.$/);
    files['/repo/app/Dockerfile'] = 'FROM python:3.12\n';
    assert.match(publicBaseImageProblems(pipeline('X=1'), { yaml: {}, commandLine: {} }, '/repo', read, '20')[0] ?? '', /a base image of another runtime cannot run locally/);
  });
});
