// The example Dockerfile follows the rules the tests and the demo rely on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { APP_DIR } from './app-paths';

const instructions = (text: string): string[] =>
  text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

describe('example: model-app Dockerfile', () => {
  const text = readFileSync(path.join(APP_DIR, 'Dockerfile'), 'utf8');
  const lines = instructions(text);

  it('takes its base image from BASE_IMAGE with a public default, and has no syntax directive', () => {
    assert.deepEqual(lines.slice(0, 2), ['ARG BASE_IMAGE=node:20-slim', 'FROM ${BASE_IMAGE}']);
    assert.doesNotMatch(text, /^#\s*syntax\s*=/im);
    assert.equal(lines.filter((l) => l.startsWith('FROM ')).length, 1);
  });

  it('copies the runtime, then the model in its own layer, then the code; runs as non-root; needs no network', () => {
    const copies = lines.filter((l) => /^(COPY|ADD) /.test(l));
    assert.deepEqual(copies, ['COPY dist/node_modules/ /app/node_modules/', 'COPY model/ /app/model/', 'COPY dist/server.js /app/server.js']);
    assert.ok(lines.includes('USER node'));
    assert.ok(lines.includes('EXPOSE 8080'));
    assert.ok(!lines.some((l) => l.startsWith('RUN ')), 'no RUN step: the build must not need npm or the network');
  });

  it('sends only dist/ and model/ as build context', () => {
    assert.deepEqual(instructions(readFileSync(path.join(APP_DIR, '.dockerignore'), 'utf8')), ['*', '!dist', '!model']);
  });
});
