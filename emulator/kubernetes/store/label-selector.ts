/**
 * Label selectors, both forms: the `labelSelector` query string (`app=web,tier!=db,env in (a,b),!canary`,
 * k8s.io/apimachinery/pkg/labels/selector.go) and the `metav1.LabelSelector` object of Deployments,
 * ReplicaSets, Services and PDBs (`matchLabels` + `matchExpressions`).
 */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export type Labels = Record<string, string> | undefined;

export function matchesRequirements(requirements: readonly Requirement[], labels: Labels): boolean {
  const actual = labels ?? {};
  return requirements.every((requirement) => {
    const has = Object.prototype.hasOwnProperty.call(actual, requirement.key);
    const value = actual[requirement.key];
    switch (requirement.operator) {
      case 'In':
        return has && value !== undefined && requirement.values.includes(value);
      case 'NotIn':
        return !has || value === undefined || !requirement.values.includes(value);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}

/** A LabelSelector object as requirements; an empty selector matches everything, as in Kubernetes. */
export function requirementsOf(selector: LabelSelectorObject): Requirement[] {
  const requirements: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  for (const expression of selector.matchExpressions ?? []) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator)) throw new Error(`"${expression.operator}" is not a valid label selector operator`);
    requirements.push({ key: expression.key, operator: expression.operator as Operator, values: expression.values ?? [] });
  }
  return requirements;
}

export function matchesSelector(selector: LabelSelectorObject, labels: Labels): boolean {
  return matchesRequirements(requirementsOf(selector), labels);
}

/** The plain-map selector of a Service (`spec.selector`): every pair must match. */
export function matchesMap(selector: Record<string, string>, labels: Labels): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** Kubernetes' string form of a LabelSelector (what `kubectl` and `status.selector` show): `app=web,tier in (a,b)`. */
export function formatSelector(selector: LabelSelectorObject): string {
  return requirementsOf(selector)
    .map((requirement) => {
      switch (requirement.operator) {
        case 'In':
          return requirement.values.length === 1 ? `${requirement.key}=${requirement.values[0] ?? ''}` : `${requirement.key} in (${[...requirement.values].sort().join(',')})`;
        case 'NotIn':
          return `${requirement.key} notin (${[...requirement.values].sort().join(',')})`;
        case 'Exists':
          return requirement.key;
        case 'DoesNotExist':
          return `!${requirement.key}`;
      }
    })
    .join(',');
}

/** Parses the `labelSelector` query parameter; throws an Error with Kubernetes' wording on bad input. */
export function parseSelector(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const item = part.trim();
    if (item === '') continue;
    requirements.push(parseRequirement(item));
  }
  return requirements;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

const KEY = String.raw`(?:[a-z0-9A-Z](?:[-a-z0-9A-Z_.]*[a-z0-9A-Z])?/)?[a-z0-9A-Z](?:[-a-z0-9A-Z_.]*[a-z0-9A-Z])?`;
const VALUE = String.raw`(?:[a-z0-9A-Z](?:[-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?`;

function parseRequirement(item: string): Requirement {
  let match = new RegExp(`^(${KEY})\\s+(in|notin)\\s+\\(([^)]*)\\)$`).exec(item);
  if (match) {
    const values = (match[3] ?? '').split(',').map((value) => value.trim());
    if (values.some((value) => !new RegExp(`^${VALUE}$`).test(value))) throw new Error(`unable to parse requirement: invalid label value in "${item}"`);
    return { key: match[1] ?? '', operator: match[2] === 'in' ? 'In' : 'NotIn', values };
  }
  match = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(item);
  if (match) return { key: match[1] ?? '', operator: match[2] === '!=' ? 'NotIn' : 'In', values: [match[3] ?? ''] };
  match = new RegExp(`^!\\s*(${KEY})$`).exec(item);
  if (match) return { key: match[1] ?? '', operator: 'DoesNotExist', values: [] };
  match = new RegExp(`^(${KEY})$`).exec(item);
  if (match) return { key: match[1] ?? '', operator: 'Exists', values: [] };
  throw new Error(`unable to parse requirement: found '${item}', expected: key, !key, key=value, key!=value, key in (...), key notin (...)`);
}
