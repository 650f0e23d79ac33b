/**
 * Template expressions of the one form the local runner evaluates: `${{ variables.name }}` (and
 * `${{ variables['name'] }}`), replaced before anything else with the YAML's own variables, as Azure
 * DevOps does when it compiles the pipeline. An undefined name becomes the empty string there, silently:
 * here it is also reported. Any other `${{ }}` is left for the parser to refuse.
 */

const VARIABLE_EXPRESSION = /\$\{\{\s*variables(?:\.([A-Za-z0-9_.-]+)|\[\s*'([^']+)'\s*\])\s*\}\}/g;

export interface UndefinedTemplateVariable {
  /** The YAML path where it is used, e.g. `steps[0].inputs.image`. */
  path: string;
  name: string;
}

/** The YAML's variables, pipeline level then stage then job level, as name/value pairs, read leniently (the parser checks their shape later). */
export function compileTimeVariables(root: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const add = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) {
        const entry = item as Record<string, unknown> | null;
        if (entry && typeof entry['name'] === 'string' && isScalar(entry['value'])) found.set(entry['name'].toLowerCase(), String(entry['value']));
      }
    } else if (node && typeof node === 'object') {
      for (const [name, value] of Object.entries(node)) if (isScalar(value)) found.set(name.toLowerCase(), String(value));
    }
  };
  const record = (node: unknown): Record<string, unknown> => (node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : {});
  const first = (node: unknown): Record<string, unknown> => record(Array.isArray(node) ? node[0] : undefined);
  const top = record(root);
  add(top['variables']);
  const stage = first(top['stages']);
  add(stage['variables']);
  add(first(stage['jobs'] ?? top['jobs'])['variables']);
  // A variable defined with another one's template expression sees the final values.
  for (const [name, value] of found) found.set(name, value.replace(VARIABLE_EXPRESSION, (_, dotted?: string, quoted?: string) => found.get((dotted ?? quoted ?? '').toLowerCase()) ?? ''));
  return found;
}

/** A copy of the YAML data with every `${{ variables.x }}` replaced; the names that were not defined, with where. */
export function expandTemplateVariables(root: unknown, variables: ReadonlyMap<string, string>): { root: unknown; undefinedNames: UndefinedTemplateVariable[] } {
  const undefinedNames: UndefinedTemplateVariable[] = [];
  const visit = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(VARIABLE_EXPRESSION, (_, dotted?: string, quoted?: string) => {
        const name = dotted ?? quoted ?? '';
        const value = variables.get(name.toLowerCase());
        if (value === undefined) undefinedNames.push({ path, name });
        return value ?? '';
      });
    }
    if (Array.isArray(node)) return node.map((item, index) => visit(item, `${path}[${index}]`));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value, path === '' ? key : `${path}.${key}`)]));
    }
    return node;
  };
  return { root: visit(root, ''), undefinedNames };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
