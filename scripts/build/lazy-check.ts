import type { Metafile } from 'esbuild';

/** Packages that must load on first use (`await import`), never while the task starts. */
export const LAZY_PACKAGES = /(^|\/)node_modules\/(@azure\/[^/]+|@azure-rest\/[^/]+|azure-devops-node-api|@typespec\/ts-http-runtime|typed-rest-client|yaml)\//;

/**
 * The bundle inputs a task evaluates at start-up: those reachable from the entry point through
 * static imports and requires, leaving out `import()` edges. Conservative: a require inside a function
 * counts as eager.
 */
export function eagerInputs(metafile: Metafile, entryPoint: string): Set<string> {
  const eager = new Set<string>();
  const pending = [entryPoint];
  while (pending.length > 0) {
    const input = pending.pop();
    if (input === undefined || eager.has(input)) continue;
    eager.add(input);
    for (const edge of metafile.inputs[input]?.imports ?? []) {
      if (edge.kind !== 'dynamic-import' && !edge.external) pending.push(edge.path);
    }
  }
  return eager;
}

/**
 * The Azure SDK modules a task would load at start-up (should be none): bundled ones, and the 'lazy:'
 * modules that read them from the SDK file beside the bundle (lazy-bundle.ts).
 */
export function eagerAzureModules(metafile: Metafile, entryPoint: string): string[] {
  return [...eagerInputs(metafile, entryPoint)].filter((input) => LAZY_PACKAGES.test(input) || input.startsWith('lazy:'));
}
