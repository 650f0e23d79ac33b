/**
 * Macro expansion as the agent does it for `$(name)` before a task runs: a known variable is
 * replaced, an unknown one is left as written. Names are case-insensitive.
 */
import { PipelineError } from './model';

const MACRO = /\$\(([A-Za-z0-9_.\- ]+)\)/g;

export type VariableLookup = (name: string) => string | undefined;

export function expandMacros(text: string, lookup: VariableLookup): string {
  return text.replace(MACRO, (whole, name: string) => lookup(name.trim()) ?? whole);
}

/** Template expressions and runtime expressions are evaluated by Azure DevOps itself, not by the agent. */
export function assertNoExpressions(text: string, where: string): void {
  if (text.includes('${{')) {
    throw new PipelineError(`${where}: template expressions ('\${{ ... }}') are not supported by the local runner.`);
  }
  if (text.includes('$[')) {
    throw new PipelineError(`${where}: runtime expressions ('$[ ... ]') are not supported by the local runner.`);
  }
}
