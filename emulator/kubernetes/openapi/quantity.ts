/**
 * Kubernetes resource quantities in their canonical form, as the API server stores and returns them
 * (k8s.io/apimachinery/pkg/api/resource Quantity.String): `0.5` -> `500m`, `1000m` -> `1`, `2000` -> `2k`,
 * `1024Mi` -> `1Gi`, `0.5Gi` -> `512Mi`; binary suffixes stay binary when the value is a whole number of
 * at least 1024, decimal exponents stay exponents. Exact (BigInt) arithmetic; below 1n rounds up to 1n.
 */
export const QUANTITY_PATTERN = /^([+-]?)([0-9]*\.?[0-9]*)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exponent]) => [exponent, suffix]));
const BINARY_BY_POWER = new Map(Object.entries(BINARY_SUFFIXES).map(([suffix, power]) => [power, suffix]));

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** The canonical text, or undefined when `text` is not a quantity. */
export function canonicalQuantity(text: string): string | undefined {
  const match = QUANTITY_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', number = '', suffix = ''] = match;
  if (number === '' || number === '.') return undefined;
  const [whole = '', fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  let binaryPower: number | undefined;
  if (suffix in BINARY_SUFFIXES) {
    binaryPower = BINARY_SUFFIXES[suffix] ?? 0;
    numerator *= 1024n ** BigInt(binaryPower);
  } else if (suffix in DECIMAL_SUFFIXES) {
    exponent += DECIMAL_SUFFIXES[suffix] ?? 0;
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    return `${sign === '-' ? '-' : ''}${number}${suffix}`;
  } else return undefined;
  if (numerator === 0n) return '0';
  const negative = sign === '-';
  // Strip trailing zeros into the exponent.
  while (numerator % 10n === 0n) {
    numerator /= 10n;
    exponent += 1;
  }
  if (binaryPower !== undefined && exponent >= 0) {
    const value = numerator * pow10(exponent);
    if (value >= 1024n) {
      let power = 0;
      let reduced = value;
      while (power < 6 && reduced % 1024n === 0n) {
        reduced /= 1024n;
        power += 1;
      }
      return `${negative ? '-' : ''}${reduced.toString()}${BINARY_BY_POWER.get(power) ?? ''}`;
    }
  }
  if (exponent < -9) {
    // Below nano: rounded up to whole nanos, as Kubernetes does.
    const scale = pow10(-9 - exponent);
    numerator = (numerator + scale - 1n) / scale;
    exponent = -9;
    while (numerator % 10n === 0n && exponent < 18) {
      numerator /= 10n;
      exponent += 1;
    }
  }
  let decimalExponent = Math.min(18, Math.floor(exponent / 3) * 3);
  if (decimalExponent < -9) decimalExponent = -9;
  const mantissa = numerator * pow10(exponent - decimalExponent);
  return `${negative ? '-' : ''}${mantissa.toString()}${DECIMAL_BY_EXPONENT.get(decimalExponent) ?? ''}`;
}
