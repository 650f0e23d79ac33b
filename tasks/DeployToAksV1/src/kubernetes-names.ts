/**
 * Kubernetes' own naming and value rules (apimachinery's validation), checked where inputs are read so
 * that a bad value fails before any request. Each function returns the value or throws an InputError.
 */
import { invalidInput } from '../../common/errors';

/** RFC 1123 label: namespaces, Service names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: Deployment, Secret names and label key prefixes. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name part of a label or annotation key, and a label value (empty allowed for values). */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function checkNamespace(input: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw invalidInput(input, "a Kubernetes namespace name: 1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit", value);
  }
  return value;
}

/**
 * The Deployment's name also names its Service, Secret, HPA and PDB, and pods get a 16-character
 * suffix; a Service name is a DNS label (63), so the name is kept to 47 characters like AKS's own tools.
 */
export const MAX_DEPLOYMENT_NAME_LENGTH = 47;
export function checkDeploymentName(input: string, value: string): string {
  if (value.length > MAX_DEPLOYMENT_NAME_LENGTH || !DNS_LABEL.test(value)) {
    throw invalidInput(input, `1 to ${MAX_DEPLOYMENT_NAME_LENGTH} lowercase letters, digits or '-', starting with a letter or digit and ending with one (it also names the Service, Secret and autoscaler)`, value);
  }
  return value;
}

/** Why a label or annotation key is invalid (`[prefix/]name`), or undefined. */
export function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `the prefix '${prefix}' is not a DNS subdomain (lowercase letters, digits, '-' and '.')`;
  if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) return `'${name}' must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  return undefined;
}

/** Why a label value is invalid, or undefined (values may be empty). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !QUALIFIED_NAME_PART.test(value)) return "label values of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}

/** A label value made from free text (an image label), or undefined when nothing valid remains. */
export function toLabelValue(text: string): string | undefined {
  const cleaned = text.replace(/[^-A-Za-z0-9_.]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned === '' ? undefined : cleaned;
}
