/**
 * Kubernetes resource quantities (cpu in cores or millicores, memory in bytes with SI or binary
 * suffixes): parsed to compare a request with its limit before anything is sent (pure).
 */
import { invalidInput } from '../../common/errors';

const CPU = /^(\d+(?:\.\d{1,3})?|\.\d{1,3})(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_FACTORS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Millicores of a cpu quantity such as '250m', '0.5' or '2'. */
export function parseCpu(input: string, value: string): number {
  const match = CPU.exec(value);
  const millicores = match ? (match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000) : Number.NaN;
  if (!match || millicores <= 0 || millicores > 256_000 || (match[2] === 'm' && match[1]?.includes('.'))) {
    throw invalidInput(input, "a cpu quantity: cores ('0.5', '2') or millicores ('250m'), more than 0", value);
  }
  return millicores;
}

/** Bytes of a memory quantity such as '512Mi', '1Gi' or '1G'. */
export function parseMemory(input: string, value: string): number {
  const match = MEMORY.exec(value);
  const bytes = match ? Number(match[1]) * (MEMORY_FACTORS[match[2] ?? ''] ?? Number.NaN) : Number.NaN;
  if (!match || !Number.isFinite(bytes) || bytes < 4 * 2 ** 20 || bytes > 2 ** 42) {
    throw invalidInput(input, "a memory quantity from 4Mi, with a unit: 'Mi' or 'Gi' (e.g. '512Mi', '2Gi'; 'M' and 'G' are powers of 1000)", value);
  }
  return bytes;
}

/** `25%` or `1`: what maxSurge, maxUnavailable and minAvailable take. */
export type IntOrPercent = number | `${number}%`;

export function parseIntOrPercent(input: string, value: string, range: { min: number; max: number }): IntOrPercent {
  const percent = /^(\d{1,3})%$/.exec(value);
  if (percent) {
    const amount = Number(percent[1]);
    if (amount <= 100) return `${amount}%`;
  } else if (/^\d+$/.test(value) && Number(value) >= range.min && Number(value) <= range.max) {
    return Number(value);
  }
  throw invalidInput(input, `a number of pods from ${range.min} to ${range.max} or a percentage from 0% to 100% (e.g. '1' or '25%')`, value);
}
