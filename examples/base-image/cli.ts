// Usage: tsx examples/base-image/cli.ts [--tag ai-model-deploy/base-node:20] [--node /path/to/node20]
// Builds the local base image (no registry pull); see README.md for pushing it as base/node:20.
import { parseArgs } from 'node:util';
import { buildBaseImage } from './build-base-image.js';

const { values } = parseArgs({
  options: { tag: { type: 'string', default: 'ai-model-deploy/base-node:20' }, node: { type: 'string' } },
});
const started = Date.now();
buildBaseImage({ tag: values.tag, expectedNodeMajor: 20, log: (line) => console.log(line), ...(values.node ? { nodeBinary: values.node } : {}) }).then(
  (image) => console.log(`${image.tag}: ${image.built ? 'built' : 'unchanged'} in ${Date.now() - started} ms (Node.js ${image.nodeVersion}, ${image.inputHash})`),
  (cause: unknown) => {
    console.error(cause instanceof Error ? cause.message : String(cause));
    process.exitCode = 1;
  },
);
