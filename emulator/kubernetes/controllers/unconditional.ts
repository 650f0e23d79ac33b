/**
 * The controllers read and write the store synchronously, so nothing can change in between: they
 * write without a resourceVersion (an unconditional update), which the store accepts.
 */
import type { NewKubeObject } from '../store/object-store';

export function unconditional<T extends { metadata: object }>(object: T): NewKubeObject {
  const copy = { ...object, metadata: { ...object.metadata } } as unknown as NewKubeObject;
  delete copy.metadata.resourceVersion;
  return copy;
}
