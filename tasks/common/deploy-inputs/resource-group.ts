import { invalidInput } from '../errors';
import type { InputReader } from '../input-reader';
import { DEPLOY_INPUT } from './input-names';

/** Azure's rule for resource group names: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'. */
export function readResourceGroup(read: InputReader<typeof DEPLOY_INPUT.resourceGroup>): string {
  const value = read.required(DEPLOY_INPUT.resourceGroup);
  if (value.length > 90 || !/^[-\w.()]*[-\w()]$/u.test(value)) {
    throw invalidInput(DEPLOY_INPUT.resourceGroup, "a resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'", value);
  }
  return value;
}
