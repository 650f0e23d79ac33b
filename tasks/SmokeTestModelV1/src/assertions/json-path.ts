/**
 * The JSON-path subset of the assertion language: `$`, `.key`, `['key']` / `["key"]`, `[0]`, `[-1]`
 * (from the end), `[*]` and `.*` (every element or property value).
 */
export type PathSegment = { readonly kind: 'key'; readonly key: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'wildcard' };

export interface ParsedPath {
  readonly segments: readonly PathSegment[];
  /** Characters of the source consumed by the path. */
  readonly length: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/** Parses a path at the start of `text`; stops at the first character that cannot continue it. */
export function parseJsonPath(text: string): ParsedPath {
  if (!text.startsWith('$')) throw new Error(`a JSON path starts with '$'`);
  const segments: PathSegment[] = [];
  let at = 1;
  for (;;) {
    const rest = text.slice(at);
    if (rest.startsWith('.*')) {
      segments.push({ kind: 'wildcard' });
      at += 2;
    } else if (rest.startsWith('.')) {
      const key = IDENTIFIER.exec(rest.slice(1))?.[0];
      if (key === undefined) throw new Error(`expected a property name after '.' at '${rest.slice(0, 20)}'`);
      segments.push({ kind: 'key', key });
      at += 1 + key.length;
    } else if (rest.startsWith('[')) {
      const close = bracketEnd(rest);
      segments.push(parseBracket(rest.slice(1, close)));
      at += close + 1;
    } else {
      return { segments, length: at };
    }
  }
}

function bracketEnd(rest: string): number {
  const quote = rest[1] === "'" || rest[1] === '"' ? rest[1] : undefined;
  if (quote !== undefined) {
    const end = rest.indexOf(quote, 2);
    if (end < 0 || rest[end + 1] !== ']') throw new Error(`unterminated ${quote}...${quote}] in '${rest.slice(0, 30)}'`);
    return end + 1;
  }
  const end = rest.indexOf(']');
  if (end < 0) throw new Error(`missing ']' in '${rest.slice(0, 30)}'`);
  return end;
}

function parseBracket(inner: string): PathSegment {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner.trim())) return { kind: 'index', index: Number(inner.trim()) };
  const quoted = /^(['"])(.*)\1$/s.exec(inner);
  if (quoted?.[2] !== undefined) return { kind: 'key', key: quoted[2] };
  throw new Error(`'[${inner}]' is not an index, '*' or a quoted key`);
}

export function formatPath(segments: readonly PathSegment[]): string {
  return `$${segments
    .map((segment) => {
      if (segment.kind === 'wildcard') return '[*]';
      if (segment.kind === 'index') return `[${segment.index}]`;
      return IDENTIFIER.exec(segment.key)?.[0] === segment.key ? `.${segment.key}` : `['${segment.key}']`;
    })
    .join('')}`;
}

export interface PathMatch {
  /** The concrete path, wildcards resolved (e.g. `$.outputs[1].name`). */
  readonly path: string;
  readonly found: boolean;
  readonly value: unknown;
}

/** Every value the path selects. A missing step yields one match with `found: false`; a wildcard over nothing yields none. */
export function selectPath(root: unknown, segments: readonly PathSegment[]): PathMatch[] {
  let current: Array<{ path: PathSegment[]; value: unknown; found: boolean }> = [{ path: [], value: root, found: true }];
  for (const segment of segments) {
    const next: typeof current = [];
    for (const item of current) {
      if (!item.found) {
        next.push({ ...item, path: [...item.path, segment] });
        continue;
      }
      const { value } = item;
      if (segment.kind === 'wildcard') {
        if (Array.isArray(value)) value.forEach((element: unknown, index) => next.push({ path: [...item.path, { kind: 'index', index }], value: element, found: true }));
        else if (typeof value === 'object' && value !== null) {
          for (const [key, element] of Object.entries(value)) next.push({ path: [...item.path, { kind: 'key', key }], value: element, found: true });
        } else next.push({ path: [...item.path, segment], value: undefined, found: false });
      } else if (segment.kind === 'index') {
        const index = Array.isArray(value) && segment.index < 0 ? value.length + segment.index : segment.index;
        const found = Array.isArray(value) && index >= 0 && index < value.length;
        next.push({ path: [...item.path, segment], value: found ? (value as unknown[])[index] : undefined, found });
      } else {
        const found = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, segment.key);
        next.push({ path: [...item.path, segment], value: found ? (value as Record<string, unknown>)[segment.key] : undefined, found });
      }
    }
    current = next;
  }
  return current.map((item) => ({ path: formatPath(item.path), found: item.found, value: item.value }));
}
