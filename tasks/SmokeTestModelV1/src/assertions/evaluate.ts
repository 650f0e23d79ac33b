import { selectPath } from './json-path';
import type { Assertion, CompareOperator, Test, TypeName } from './parse';

/** The parts of an answer assertions look at. `json` is undefined when the body is not JSON. */
export interface AnswerBody {
  readonly text: string;
  readonly json: unknown;
  readonly isJson: boolean;
  /** Why the body is not JSON when it is not simply text (e.g. an answer cut at 4 MB). */
  readonly notJsonBecause?: string;
}

export interface AssertionOutcome {
  readonly ok: boolean;
  /** What was found, for a failure message: `$.predictions[0] is 7, not in [0, 1, 2]`. */
  readonly detail: string;
}

/** A value for a message: JSON, cut to `max` characters. */
export function show(value: unknown, max = 80): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? typeof value);
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}

export function evaluateAssertion(assertion: Assertion, body: AnswerBody): AssertionOutcome {
  if (assertion.subject.kind === 'body') {
    const outcome = evaluateOne(assertion.test, true, body.text);
    return { ok: outcome.ok, detail: outcome.ok ? 'holds' : `body ${outcome.detail}` };
  }
  if (!body.isJson) return { ok: false, detail: body.notJsonBecause ?? 'the answer is not JSON' };
  const matches = selectPath(body.json, assertion.subject.path);
  if (assertion.test.kind === 'exists') {
    const present = matches.filter((match) => match.found);
    const ok = assertion.test.negated ? present.length === 0 : present.length > 0 && present.length === matches.length;
    const missing = matches.find((match) => !match.found);
    const detail = ok ? 'holds' : assertion.test.negated ? `${present[0]?.path ?? 'it'} exists` : `${missing?.path ?? 'the path'} does not exist`;
    return { ok, detail };
  }
  if (matches.length === 0) return { ok: false, detail: 'the path selects nothing (empty list or object)' };
  for (const match of matches) {
    if (!match.found) return { ok: false, detail: `${match.path} does not exist` };
    const outcome = evaluateOne(assertion.test, true, match.value);
    if (!outcome.ok) return { ok: false, detail: `${match.path} ${outcome.detail}` };
  }
  return { ok: true, detail: 'holds' };
}

function evaluateOne(test: Test, found: boolean, value: unknown): { ok: boolean; detail: string } {
  const is = `is ${show(value)}`;
  switch (test.kind) {
    case 'exists':
      return { ok: found !== test.negated, detail: found ? 'exists' : 'does not exist' };
    case 'compare':
      return compare(test.operator, value, test.expected, is);
    case 'in': {
      const inList = test.options.some((option) => deepEqual(option, value));
      return { ok: inList !== test.negated, detail: `${is}, ${inList ? '' : 'not '}in ${show(test.options)}` };
    }
    case 'matches': {
      if (typeof value !== 'string') return { ok: false, detail: `${is}, not a string` };
      const matched = test.pattern.test(value);
      return { ok: matched !== test.negated, detail: `${is}, which ${matched ? 'matches' : 'does not match'} ${String(test.pattern)}` };
    }
    case 'contains': {
      const contained =
        typeof value === 'string' && typeof test.expected === 'string'
          ? value.includes(test.expected)
          : Array.isArray(value) && value.some((element) => deepEqual(element, test.expected));
      return { ok: contained !== test.negated, detail: `${is}, which ${contained ? 'contains' : 'does not contain'} ${show(test.expected)}` };
    }
    case 'length': {
      if (typeof value !== 'string' && !Array.isArray(value)) return { ok: false, detail: `${is}, which has no length (not a list or string)` };
      return compare(test.operator, value.length, test.expected, `has length ${value.length}`);
    }
    case 'type': {
      const actual = typeOf(value);
      const ok = (actual === test.expected || (test.expected === 'integer' && Number.isInteger(value))) !== test.negated;
      return { ok, detail: `${is} (type ${actual})` };
    }
  }
}

function compare(operator: CompareOperator, actual: unknown, expected: unknown, is: string): { ok: boolean; detail: string } {
  if (operator === '==' || operator === '!=') {
    const equal = deepEqual(actual, expected);
    return { ok: equal === (operator === '=='), detail: `${is}, expected ${operator === '!=' ? 'anything but ' : ''}${show(expected)}` };
  }
  if (typeof actual !== 'number' || typeof expected !== 'number') {
    return { ok: false, detail: `${is}; '${operator}' compares numbers` };
  }
  const ok = operator === '<' ? actual < expected : operator === '<=' ? actual <= expected : operator === '>' ? actual > expected : actual >= expected;
  return { ok, detail: `${is}, expected ${operator} ${show(expected)}` };
}

export function typeOf(value: unknown): TypeName | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'undefined';
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((element, index) => deepEqual(element, b[index]));
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    return (
      keysA.length === keysB.length &&
      keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
    );
  }
  return false;
}
