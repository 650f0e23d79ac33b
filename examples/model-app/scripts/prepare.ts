// Usage: tsx examples/model-app/scripts/prepare.ts [--arch x64|arm64]
// Writes dist/ (the bundled server and the runtime it needs) for `docker build`.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareImageContext } from './prepare-image-context.js';

const { values } = parseArgs({ options: { arch: { type: 'string', default: process.arch } } });
const arch = values.arch;
if (arch !== 'x64' && arch !== 'arm64') {
  throw new Error(`--arch must be x64 or arm64; got '${arch}'.`);
}
prepareImageContext({ appDir: path.resolve(__dirname, '..'), arch }).then(
  (context) => console.log(`prepared ${context.distDir}: ${context.files} files, ${(context.bytes / 1024 / 1024).toFixed(1)} MiB`),
  (cause: unknown) => {
    console.error(cause instanceof Error ? cause.message : String(cause));
    process.exitCode = 1;
  },
);
