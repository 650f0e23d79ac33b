/**
 * Default tensors for a model whose inputs are known from its metadata: dynamic dimensions (-1) become 1,
 * numbers are 1 (not 0: a model that divides or takes a logarithm still answers), booleans true,
 * strings 'smoke test'.
 */
export const MAX_DEFAULT_ELEMENTS = 100_000;

export type ElementKind = 'number' | 'boolean' | 'string';

export function concreteShape(shape: readonly number[]): number[] {
  return shape.map((dimension) => (dimension < 0 ? 1 : dimension));
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}

export function fillValue(kind: ElementKind): number | boolean | string {
  switch (kind) {
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'string':
      return 'smoke test';
  }
}

/** A flat array of `count` elements (the Open Inference Protocol's row-major `data`). */
export function flatData(shape: readonly number[], kind: ElementKind): Array<number | boolean | string> {
  return Array.from({ length: elementCount(shape) }, () => fillValue(kind));
}

/** A nested array with the given shape (TensorFlow Serving's columnar `inputs`). */
export function nestedData(shape: readonly number[], kind: ElementKind): unknown {
  const [first, ...rest] = shape;
  if (first === undefined) return fillValue(kind);
  return Array.from({ length: first }, () => nestedData(rest, kind));
}

/** Parses a shape given as numbers or numeric strings (TF Serving sends "-1"); undefined when malformed. */
export function parseShape(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const shape = value.map((dimension: unknown) => (typeof dimension === 'string' ? Number(dimension) : dimension));
  return shape.every((dimension): dimension is number => typeof dimension === 'number' && Number.isInteger(dimension)) ? shape : undefined;
}
