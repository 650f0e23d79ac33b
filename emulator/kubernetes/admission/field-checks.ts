/**
 * The field checks Kubernetes' validation is made of (k8s.io/apimachinery/pkg/util/validation and
 * pkg/apis/core/validation): names, label keys and values, ports, non-negative numbers, int-or-percent,
 * and the causes (`FieldValueRequired`, `FieldValueInvalid`, ...) worded as the API server words them.
 */
import { isObject } from '../json-values';
import type { StatusCause } from '../status-errors';

type Obj = Record<string, unknown>;

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Go's %#v-like rendering of a value in "Invalid value: ..." messages. */
export function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return 'null';
  if (isObject(value) && Object.values(value).every((item) => typeof item === 'string')) {
    return `map[string]string{${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, item]) => `${JSON.stringify(key)}:${JSON.stringify(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

export class Causes {
  readonly list: StatusCause[] = [];
  required(field: string, detail = ''): void {
    this.list.push({ reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field });
  }
  invalid(field: string, value: unknown, detail: string): void {
    this.list.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${goValue(value)}: ${detail}`, field });
  }
  notSupported(field: string, value: unknown, supported: string[]): void {
    this.list.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${goValue(value)}: supported values: ${supported.map((item) => `"${item}"`).join(', ')}`, field });
  }
  duplicate(field: string, value: unknown): void {
    this.list.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${goValue(value)}`, field });
  }
  forbidden(field: string, detail: string): void {
    this.list.push({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
  }
}

export function validateName(causes: Causes, metadata: Obj, style: 'subdomain' | 'label' | 'dns1035'): void {
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    if (typeof metadata.generateName !== 'string' || metadata.generateName === '') causes.required('metadata.name', 'name or generateName is required');
    return;
  }
  const [pattern, message, max] = style === 'subdomain' ? [DNS1123_SUBDOMAIN, SUBDOMAIN_MESSAGE, 253] : style === 'label' ? [DNS1123_LABEL, LABEL_MESSAGE, 63] : [DNS1035_LABEL, DNS1035_MESSAGE, 63];
  if (name.length > max) causes.invalid('metadata.name', name, `must be no more than ${max} characters`);
  else if (!pattern.test(name)) causes.invalid('metadata.name', name, message);
}

export function validateLabels(causes: Causes, labels: unknown, field: string): void {
  if (!isObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const [prefix, name] = key.includes('/') ? [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)] : ['', key];
    if (!QUALIFIED_NAME.test(name) || name.length > 63 || (prefix !== '' && !DNS1123_SUBDOMAIN.test(prefix))) {
      causes.invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }
    if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) {
      causes.invalid(field, value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
  }
}

export function nonNegative(causes: Causes, value: unknown, field: string): void {
  if (typeof value === 'number' && value < 0) causes.invalid(field, value, 'must be greater than or equal to 0');
}

export function validatePort(causes: Causes, value: unknown, field: string): void {
  if (typeof value === 'number' && (value < 1 || value > 65535)) causes.invalid(field, value, 'must be between 1 and 65535, inclusive');
}

export function intOrPercentIsZero(value: unknown): boolean {
  return value === 0 || value === '0' || value === '0%';
}

export function validateIntOrPercent(causes: Causes, value: unknown, field: string): void {
  if (typeof value === 'string' && !/^\d+%$/.test(value)) causes.invalid(field, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
  if (typeof value === 'number' && value < 0) causes.invalid(field, value, 'must be greater than or equal to 0');
  if (typeof value === 'string' && /^\d+%$/.test(value) && Number(value.slice(0, -1)) > 100) causes.invalid(field, value, 'must not be greater than 100%');
}
