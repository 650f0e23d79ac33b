import { formatPath, parseJsonPath, type PathSegment } from './json-path';
import { parseLiteral } from './literal';

/** The assertion language; documented in ../../ASSERTIONS.md. */
export const COMPARE_OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];
export const TYPE_NAMES = ['number', 'integer', 'string', 'boolean', 'null', 'array', 'object'] as const;
export type TypeName = (typeof TYPE_NAMES)[number];

export type Subject = { readonly kind: 'json'; readonly path: readonly PathSegment[] } | { readonly kind: 'body' };

export type Test =
  | { readonly kind: 'exists'; readonly negated: boolean }
  | { readonly kind: 'compare'; readonly operator: CompareOperator; readonly expected: unknown }
  | { readonly kind: 'in'; readonly negated: boolean; readonly options: readonly unknown[] }
  | { readonly kind: 'matches'; readonly negated: boolean; readonly pattern: RegExp }
  | { readonly kind: 'contains'; readonly negated: boolean; readonly expected: unknown }
  | { readonly kind: 'length'; readonly operator: CompareOperator; readonly expected: number }
  | { readonly kind: 'type'; readonly negated: boolean; readonly expected: TypeName };

export interface Assertion {
  /** The line as written (trimmed). */
  readonly source: string;
  readonly subject: Subject;
  readonly test: Test;
}

/** Parses one line; throws an Error whose message says what is wrong and where. */
export function parseAssertion(line: string): Assertion {
  const source = line.trim();
  let subject: Subject;
  let rest: string;
  if (source.startsWith('$')) {
    const path = parseJsonPath(source);
    subject = { kind: 'json', path: path.segments };
    rest = source.slice(path.length);
  } else if (/^body\b/.test(source)) {
    subject = { kind: 'body' };
    rest = source.slice(4);
  } else {
    throw new Error("an assertion starts with a JSON path ('$.outputs[0].shape') or 'body'");
  }
  return { source, subject, test: parseTest(rest.trim(), subject) };
}

function parseTest(text: string, subject: Subject): Test {
  const negated = /^not\s+/.test(text);
  const body = negated ? text.replace(/^not\s+/, '') : text;
  const word = /^[a-z]+/.exec(body)?.[0];
  const after = word === undefined ? body : body.slice(word.length).trim();
  switch (word) {
    case 'exists':
      expectEnd(after, 'exists');
      return { kind: 'exists', negated };
    case 'in': {
      const options = wholeLiteral(after, "'in'");
      if (!Array.isArray(options)) throw new Error(`'in' takes a list such as [0, 1, 2]; got '${after}'`);
      return { kind: 'in', negated, options };
    }
    case 'matches':
      return { kind: 'matches', negated, pattern: parseRegex(after) };
    case 'contains':
      return { kind: 'contains', negated, expected: wholeLiteral(after, "'contains'") };
    case 'length': {
      if (negated) throw new Error("'not length' is not supported; use 'length !='");
      const { operator, operand } = splitOperator(after, "'length'");
      const expected = wholeLiteral(operand, "'length'");
      if (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0) throw new Error(`'length' compares with a whole number; got '${operand}'`);
      return { kind: 'length', operator, expected };
    }
    case 'type': {
      if (negated) throw new Error("'not type' is not supported; use 'type !='");
      const { operator, operand } = splitOperator(after, "'type'");
      if (operator !== '==' && operator !== '!=') throw new Error(`'type' takes == or !=; got '${operator}'`);
      const expected = wholeLiteral(operand, "'type'");
      const name = TYPE_NAMES.find((candidate) => candidate === expected);
      if (name === undefined) throw new Error(`'type' is one of ${TYPE_NAMES.map((t) => `'${t}'`).join(', ')}; got '${operand}'`);
      return { kind: 'type', negated: operator === '!=', expected: name };
    }
    default: {
      if (negated) throw new Error(`'not' goes before exists, in, matches or contains; got 'not ${body}'`);
      const { operator, operand } = splitOperator(body, subject.kind === 'json' ? formatPath(subject.path) : 'body');
      return { kind: 'compare', operator, expected: wholeLiteral(operand, `'${operator}'`) };
    }
  }
}

function splitOperator(text: string, after: string): { operator: CompareOperator; operand: string } {
  const operator = COMPARE_OPERATORS.find((candidate) => text.startsWith(candidate));
  if (operator === undefined) {
    throw new Error(
      `expected exists, not exists, ==, !=, <, <=, >, >=, in [..], matches /../, contains, length or type after ${after}; got '${text === '' ? '(nothing)' : text}'`,
    );
  }
  return { operator, operand: text.slice(operator.length).trim() };
}

function wholeLiteral(text: string, after: string): unknown {
  if (text === '') throw new Error(`${after} needs a value`);
  const { value, length } = parseLiteral(text);
  expectEnd(text.slice(length).trim(), after);
  return value;
}

function expectEnd(rest: string, after: string): void {
  if (rest !== '') throw new Error(`unexpected '${rest}' after ${after}`);
}

function parseRegex(text: string): RegExp {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (match?.[1] === undefined || match[1] === '') throw new Error(`'matches' takes a regular expression such as /^\\w+$/i; got '${text}'`);
  const flags = match[2] ?? '';
  if (/[^imsu]/.test(flags)) throw new Error(`regular expression flags may be i, m, s and u; got '${flags}'`);
  try {
    return new RegExp(match[1], flags);
  } catch (error) {
    throw new Error(`invalid regular expression /${match[1]}/: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
}
