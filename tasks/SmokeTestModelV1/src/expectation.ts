import { InputError } from '../../common/errors';

/**
 * What the expected statuses ('expectedStatus') ask of a run (pure):
 * - a 2xx: the model must serve, so readiness waits for every layer of the protocol, and the answers
 *   are also checked against the protocol's own shape;
 * - no 2xx (an error answer is the point: 401/403 for an endpoint that must refuse a missing or wrong
 *   key, 404 for a route or model that must not be served, 400/422 for bad input, 5xx): only the
 *   server must be up, so readiness waits for the protocol's server-wide layers only (or
 *   'readinessPath'), and the canary stands for the rest;
 * - a refusal of the credentials (401, 403, or a protocol's own refusal such as TorchServe's 400
 *   InvalidKeyException) is the expected answer when its status is expected: during readiness it
 *   means the server is up; otherwise it fails at once, because waiting would only burn the deadline.
 */

/** The statuses with which HTTP servers and gateways refuse missing or wrong credentials. */
export const REFUSAL_STATUSES: readonly number[] = [401, 403];

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

export function isRefusalStatus(status: number): boolean {
  return REFUSAL_STATUSES.includes(status);
}

/** Whether a 2xx is among the expected statuses: then the model must serve (every readiness layer). */
export function expectsModelAnswer(expected: readonly number[]): boolean {
  return expected.some(isSuccessStatus);
}

/** The expected statuses that are refusals of the credentials (401, 403). */
export function expectedRefusals(expected: readonly number[]): number[] {
  return expected.filter(isRefusalStatus);
}

/**
 * Refuses a mix of a 2xx with 401/403: such a test passes whether or not the endpoint enforces
 * authentication, and a refusal during readiness would mean both "wrong key" and "up".
 */
export function checkExpectedStatuses(input: string, expected: readonly number[]): void {
  const success = expected.filter(isSuccessStatus);
  const refusals = expectedRefusals(expected);
  if (success.length > 0 && refusals.length > 0) {
    throw new InputError(
      input,
      `Input '${input}' ('${expected.join(', ')}') mixes a success (${success.join(', ')}) with a refusal of the credentials (${refusals.join(', ')}): ` +
        'such a test passes whether or not the endpoint enforces authentication. Expect 2xx to test the model with a valid key, ' +
        'or only 401/403 to test that it refuses a missing or wrong key (two steps to test both).',
    );
  }
}
