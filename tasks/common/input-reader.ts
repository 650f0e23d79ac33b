import { invalidInput, missingInput } from './errors';
import { registerSecret } from './secret-masking';

/** Where raw input strings come from (task-lib in a task, a plain object in tests). */
export interface InputSource {
  /** The raw value, or undefined when the input is unset or blank. */
  get(name: string): string | undefined;
}

/**
 * What every task's `readInputs(source, context)` gets beside the raw inputs; each task extends it with
 * the facts its inputs default from (an earlier step's variable, the working directory).
 */
export interface InputContext {
  /** Registers a secret with the agent; the reader calls it for each secret input the moment it is read. */
  setSecret(value: string): void;
}

export function inputSourceFromRecord(values: Record<string, string | undefined>): InputSource {
  return { get: (name) => blankToUndefined(values[name]) };
}

export function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export interface KeyValue {
  key: string;
  value: string;
}

const DURATION_UNITS_IN_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Strict, typed reading of task inputs. Every error names the input, what it got and what it accepts.
 * The `names` a task reads are declared once (its inputs.ts) and checked against task.json by a test.
 */
export class InputReader<Name extends string = string> {
  constructor(
    private readonly source: InputSource,
    private readonly context: InputContext,
  ) {}

  raw(name: Name): string | undefined {
    return blankToUndefined(this.source.get(name));
  }

  string(name: Name): string | undefined {
    return this.raw(name)?.trim();
  }

  required(name: Name, hint?: string): string {
    const value = this.string(name);
    if (value === undefined) throw missingInput(name, hint);
    return value;
  }

  /**
   * A secret input, trimmed: registered for masking the moment it is read, before any check can echo
   * it (a multi-line value line by line). The one place where a task masks its secret inputs.
   */
  secret(name: Name): string | undefined {
    const value = this.raw(name);
    if (value !== undefined) registerSecret(value, (line) => this.context.setSecret(line));
    return value?.trim();
  }

  /** A required secret input (see `secret`). */
  requiredSecret(name: Name, hint?: string): string {
    const value = this.secret(name);
    if (value === undefined) throw missingInput(name, hint);
    return value;
  }

  /** `keyValues` whose values are secrets: each value is registered for masking as soon as the input is parsed. */
  secretKeyValues(name: Name, keyPattern?: RegExp): KeyValue[] {
    const pairs = this.keyValues(name, keyPattern);
    for (const { value } of pairs) registerSecret(value, (line) => this.context.setSecret(line));
    return pairs;
  }

  /** Only 'true' and 'false' (any case); 'yes' is an error, not a silent false. */
  boolean(name: Name, defaultValue: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return defaultValue;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw invalidInput(name, "'true' or 'false'", value);
  }

  /** One of `allowed`, matched case-insensitively and returned in its declared spelling. */
  enumValue<T extends string>(name: Name, allowed: readonly T[], defaultValue: T): T;
  enumValue<T extends string>(name: Name, allowed: readonly T[]): T | undefined;
  enumValue<T extends string>(name: Name, allowed: readonly T[], defaultValue?: T): T | undefined {
    const value = this.string(name);
    if (value === undefined) return defaultValue;
    const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
    if (match === undefined) throw invalidInput(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
    return match;
  }

  integer(name: Name, range: { min: number; max: number }, defaultValue: number): number;
  integer(name: Name, range: { min: number; max: number }): number | undefined;
  integer(name: Name, range: { min: number; max: number }, defaultValue?: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return defaultValue;
    const parsed = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
      throw invalidInput(name, `a whole number from ${range.min} to ${range.max}`, value);
    }
    return parsed;
  }

  number(name: Name, range: { min: number; max: number }, defaultValue: number): number;
  number(name: Name, range: { min: number; max: number }): number | undefined;
  number(name: Name, range: { min: number; max: number }, defaultValue?: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return defaultValue;
    const parsed = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(parsed) || parsed < range.min || parsed > range.max) {
      throw invalidInput(name, `a number from ${range.min} to ${range.max}`, value);
    }
    return parsed;
  }

  /** Non-blank lines, trimmed; lines starting with '#' are comments. */
  lines(name: Name): string[] {
    return (this.raw(name) ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  }

  /** Multi-line `KEY=VALUE` (the value may contain '=' and is kept as written after the first '='). */
  keyValues(name: Name, keyPattern: RegExp = /^[A-Za-z_][A-Za-z0-9_.-]*$/): KeyValue[] {
    const seen = new Set<string>();
    return this.lines(name).map((line) => {
      const separator = line.indexOf('=');
      const key = separator > 0 ? line.slice(0, separator).trim() : '';
      if (separator <= 0 || !keyPattern.test(key)) {
        throw invalidInput(name, `one KEY=VALUE per line, with KEY matching ${keyPattern.source}`, redactValue(line));
      }
      if (seen.has(key)) throw invalidInput(name, 'KEY=VALUE lines with distinct keys', `${key} given twice`);
      seen.add(key);
      return { key, value: line.slice(separator + 1) };
    });
  }

  /** A duration such as '90', '90s', '5m', '1h', '250ms'; a bare number is in `bareUnit`. */
  durationInMs(name: Name, range: { minInMs: number; maxInMs: number }, defaultInMs: number, bareUnit: 'ms' | 's' | 'm' = 's'): number {
    const value = this.string(name);
    if (value === undefined) return defaultInMs;
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(value);
    const amount = match?.[1] === undefined ? Number.NaN : Number(match[1]);
    const unit = (match?.[2] ?? bareUnit).toLowerCase();
    const inMs = amount * (DURATION_UNITS_IN_MS[unit] ?? Number.NaN);
    if (!Number.isFinite(inMs) || inMs < range.minInMs || inMs > range.maxInMs) {
      throw invalidInput(
        name,
        `a duration from ${formatDuration(range.minInMs)} to ${formatDuration(range.maxInMs)} (e.g. '30s', '5m', '1h'; a bare number is in ${bareUnit})`,
        value,
      );
    }
    return Math.round(inMs);
  }
}

/** Shows the key of a KEY=VALUE line but never its value (it may be a secret). */
function redactValue(line: string): string {
  const separator = line.indexOf('=');
  return separator < 0 ? line.slice(0, 40) : `${line.slice(0, separator)}=***`;
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
