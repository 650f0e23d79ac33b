/**
 * The Azure SDKs (and the YAML parser) in a file of their own beside a task's bundle,
 * dist/azure-sdk.js, so that starting a task compiles only its own code and the task library: the
 * SDKs are about four fifths of a bundle, and compiling them was most of a task's cold start. The
 * task's bundle reaches each SDK package through a property of that file, read on first use (the
 * start-up check in lazy-check.ts makes sure no such read happens while the task starts); the file
 * evaluates a package only when its property is read.
 */
import * as path from 'node:path';
import type * as esbuild from 'esbuild';
import { LAZY_PACKAGES } from './lazy-check';

export const LAZY_BUNDLE = 'azure-sdk.js';
export const LAZY_NAMESPACE = 'lazy';

/** A bare specifier of a package that loads on first use: '@azure/identity', 'yaml' (DeployToAks reads the kubeconfig with it). */
const LAZY_SPECIFIER = /^(@azure\/[^/]+|@azure-rest\/[^/]+|azure-devops-node-api|@typespec\/ts-http-runtime|typed-rest-client|yaml)(\/.*)?$/;

/**
 * For the task's bundle: every import of a lazy package from the task's own code becomes a module in
 * the 'lazy' namespace that reads it from ./azure-sdk.js; `specifiers` collects what was imported.
 */
export function lazyPackagesPlugin(specifiers: Set<string>): esbuild.Plugin {
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: LAZY_SPECIFIER }, (args) => {
        if (LAZY_PACKAGES.test(args.importer.split(path.sep).join('/'))) return undefined;
        specifiers.add(args.path);
        return { path: args.path, namespace: LAZY_NAMESPACE };
      });
      build.onResolve({ filter: new RegExp(`^\\./${LAZY_BUNDLE.replace('.', '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: LAZY_NAMESPACE }, (args) => ({
        contents: `module.exports = require('./${LAZY_BUNDLE}')[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** The entry of azure-sdk.js: one getter per package, which evaluates it on first read. */
export function lazyEntry(specifiers: Iterable<string>): string {
  return [...specifiers]
    .sort()
    .map((specifier) => `Object.defineProperty(exports, ${JSON.stringify(specifier)}, { enumerable: true, get: () => require(${JSON.stringify(specifier)}) });`)
    .join('\n');
}
