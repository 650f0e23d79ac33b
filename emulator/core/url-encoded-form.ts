/** Reads an `application/x-www-form-urlencoded` body, as OAuth token endpoints take it. */
import type { EmulatorRequest } from '../core/http-types';

export function readForm(request: EmulatorRequest): URLSearchParams {
  return new URLSearchParams(request.body.toString('utf8'));
}

export function formValue(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name);
  return value === null || value === '' ? undefined : value;
}
