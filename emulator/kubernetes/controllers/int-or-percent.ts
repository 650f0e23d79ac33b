/**
 * intstr.GetScaledValueFromIntOrPercent: an integer stays as it is; "25%" of `total` is rounded up
 * (maxSurge) or down (maxUnavailable), as Kubernetes' apimachinery does.
 */
import type { IntOrString } from '../kube-types';

export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage: '${value}'`);
  }
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
