import { strict as assert } from 'node:assert';
import type { Metafile } from 'esbuild';
import { eagerAzureModules, eagerInputs } from '../../../scripts/build/lazy-check';

type Edge = Metafile['inputs'][string]['imports'][number];

function metafile(graph: Record<string, [string, Edge['kind']][]>): Metafile {
  const inputs: Metafile['inputs'] = {};
  for (const [input, imports] of Object.entries(graph)) {
    inputs[input] = { bytes: 1, imports: imports.map(([path, kind]) => ({ path, kind, original: path })) };
  }
  return { inputs, outputs: {} };
}

describe('the start-up check of the build (Azure SDKs load on first use only)', () => {
  const graph = {
    'src/index.ts': [
      ['src/main.ts', 'import-statement'],
      ['node_modules/azure-pipelines-task-lib/task.js', 'import-statement'],
    ],
    'src/main.ts': [['src/credential.ts', 'import-statement']],
    'src/credential.ts': [['node_modules/@azure/identity/dist/commonjs/index.js', 'dynamic-import']],
    'node_modules/@azure/identity/dist/commonjs/index.js': [['node_modules/@azure/core-auth/index.js', 'require-call']],
    'node_modules/azure-pipelines-task-lib/task.js': [],
    'node_modules/@azure/core-auth/index.js': [],
  } satisfies Record<string, [string, Edge['kind']][]>;

  it('follows static imports and requires, not import()', () => {
    assert.deepEqual([...eagerInputs(metafile(graph), 'src/index.ts')].sort(), [
      'node_modules/azure-pipelines-task-lib/task.js',
      'src/credential.ts',
      'src/index.ts',
      'src/main.ts',
    ]);
    assert.deepEqual(eagerAzureModules(metafile(graph), 'src/index.ts'), []);
  });

  it('reports an Azure SDK module imported statically', () => {
    const eager = { ...graph, 'src/main.ts': [['node_modules/@azure/arm-containerinstance/index.js', 'import-statement']] } as Record<string, [string, Edge['kind']][]>;
    eager['node_modules/@azure/arm-containerinstance/index.js'] = [];
    assert.deepEqual(eagerAzureModules(metafile(eager), 'src/index.ts'), ['node_modules/@azure/arm-containerinstance/index.js']);
  });

  it('reports a module that reads an SDK from azure-sdk.js when it is imported statically, not through import()', () => {
    const lazy = { ...graph, 'src/credential.ts': [['lazy:@azure/identity', 'dynamic-import']], 'lazy:@azure/identity': [] } as Record<string, [string, Edge['kind']][]>;
    assert.deepEqual(eagerAzureModules(metafile(lazy), 'src/index.ts'), []);
    const eager = { ...lazy, 'src/main.ts': [['lazy:@azure/identity', 'import-statement']] } as Record<string, [string, Edge['kind']][]>;
    assert.deepEqual(eagerAzureModules(metafile(eager), 'src/index.ts'), ['lazy:@azure/identity']);
  });
});
