/** Reads the labels and annotations the user puts on every object (Kubernetes key and value rules). */
import { invalidInput } from '../../common/errors';
import type { InputReader } from '../../common/input-reader';
import { INPUT, type InputName } from './input-names';
import { keyProblem, labelValueProblem } from './kubernetes-names';

/** Keys the task sets itself; a user's label or annotation may not take them over. */
const RESERVED_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version'];
const RESERVED_PREFIXES = ['ai-model-deploy.io/', 'deployment.kubernetes.io/'];

/** The reserved key or prefix `key` would take over, or undefined. */
export function reservedBy(key: string): string | undefined {
  return RESERVED_KEYS.find((reserved) => key === reserved) ?? RESERVED_PREFIXES.find((prefix) => key.startsWith(prefix));
}

const ANY_KEY = /^.+$/;

export function readMetadata(read: InputReader<InputName>): { labels: Record<string, string>; annotations: Record<string, string> } {
  return { labels: readPairs(read, INPUT.labels, true), annotations: readPairs(read, INPUT.annotations, false) };
}

function readPairs(read: InputReader<InputName>, input: InputName, labels: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { key, value } of read.keyValues(input, ANY_KEY)) {
    const problem = keyProblem(key);
    if (problem) throw invalidInput(input, `KEY=VALUE lines with Kubernetes keys ('[prefix/]name'): ${problem}`, key);
    const reserved = reservedBy(key);
    if (reserved) throw invalidInput(input, `keys other than '${reserved}${reserved.endsWith('/') ? '...' : ''}' (the task or Kubernetes sets those)`, key);
    const trimmed = value.trim();
    if (labels) {
      const valueProblem = labelValueProblem(trimmed);
      if (valueProblem) throw invalidInput(input, valueProblem, `${key}=${trimmed.slice(0, 80)}`);
    } else if (trimmed.length > 64 * 1024) {
      throw invalidInput(input, 'annotation values of up to 64 KiB', `${key}=${trimmed.slice(0, 40)}...`);
    }
    result[key] = trimmed;
  }
  return result;
}
