/**
 * A YAML file as plain data plus where each node was written, so that the runner's messages can say
 * `azure-pipelines.yml:14 (steps[1].condition)`.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { PipelineError } from './model';

export interface YamlSource {
  file: string;
  root: unknown;
  /** `file:line (path)` for a path like `steps[1].inputs.image`; `file (path)` when the line is unknown. */
  where(path: string): string;
}

export function readYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new PipelineError(`${file}${line ? `:${line}` : ''} is not valid YAML: ${firstError.message.split('\n')[0] ?? ''}`);
  }
  const lines = new Map<string, number>();
  const visit = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    const range = (node as Node).range;
    if (range && !lines.has(path)) lines.set(path, lineCounter.linePos(range[0]).line);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childPath = path === '' ? key : `${path}.${key}`;
        const keyRange = (pair.key as Node | null)?.range;
        if (keyRange) lines.set(childPath, lineCounter.linePos(keyRange[0]).line);
        visit(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, `${path}[${index}]`));
    }
  };
  visit(document.contents, '');
  return {
    file,
    root: document.toJS({ maxAliasCount: 100 }) as unknown,
    where: (path) => {
      const line = lines.get(path);
      return `${file}${line === undefined ? '' : `:${line}`} (${path === '' ? 'top level' : path})`;
    },
  };
}

/**
 * Template expressions `${{ }}` and runtime expressions `$[ ]` are evaluated by Azure DevOps before
 * the agent sees the job; the local runner does not evaluate them. Returns the first path (key or
 * value) that holds one, with the kind found.
 */
export function findExpression(node: unknown, path = ''): { path: string; kind: 'template' | 'runtime' } | undefined {
  const kindOf = (text: string): 'template' | 'runtime' | undefined => (text.includes('${{') ? 'template' : text.includes('$[') ? 'runtime' : undefined);
  if (typeof node === 'string') {
    const kind = kindOf(node);
    return kind ? { path, kind } : undefined;
  }
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) {
      const found = findExpression(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      const kind = kindOf(key);
      if (kind) return { path: childPath, kind };
      const found = findExpression(value, childPath);
      if (found) return found;
    }
  }
  return undefined;
}
