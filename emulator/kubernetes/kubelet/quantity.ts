/**
 * resource.Quantity parsing for cpu and memory: "500m", "0.5", "2" cores; "128Mi", "1G", "1e3",
 * "129M" bytes. Throws on anything Kubernetes would refuse.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/.exec(value.trim());
  if (!match) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '${value}'`);
  const number = Number(match[1]);
  if (match[2]) return number * (BINARY[match[2]] ?? 1);
  if (match[3]) return number * 10 ** Number(match[3].slice(1));
  return number * (DECIMAL[match[4] ?? ''] ?? 1);
}

/** cpu quantity -> millicores (rounded up, as MilliValue does). */
export function milliCpu(value: string | number): number {
  return Math.ceil(parseQuantity(value) * 1000 - 1e-9);
}

/** memory quantity -> bytes (rounded up). */
export function bytes(value: string | number): number {
  return Math.ceil(parseQuantity(value) - 1e-9);
}
