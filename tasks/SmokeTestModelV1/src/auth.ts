import { TaskError } from '../../common/errors';
import type { Clock } from '../../common/deadline';
import type { Authentication } from './input-types';

/** The authentication headers of every request. Values are secrets: never logged. */
export interface AuthHeaders {
  /** `budgetInMs`: how long getting a token may take (what is left of the task's deadline). */
  headers(budgetInMs?: number): Promise<Record<string, string>>;
  /** What is sent, for the log: e.g. "Authorization: Bearer *** (Entra ID token for https://ml.azure.com/.default)". */
  readonly description: string;
}

export interface EntraToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
}

/** Gets an Entra ID access token for a scope with an Azure Resource Manager service connection, within `budgetInMs`. */
export type EntraTokenSource = (connectionId: string, scope: string, budgetInMs?: number) => Promise<EntraToken>;

const REFRESH_MARGIN_IN_MS = 5 * 60_000;

export function createAuthHeaders(authentication: Authentication, deps: { entraToken: EntraTokenSource; clock: Clock }): AuthHeaders {
  switch (authentication.kind) {
    case 'none': {
      // The same object every time: the measured requests build their headers once per authentication object.
      const headers = {};
      return { headers: () => Promise.resolve(headers), description: 'no authentication' };
    }
    case 'bearerToken': {
      const headers = { authorization: `Bearer ${authentication.token}` };
      return { headers: () => Promise.resolve(headers), description: "'Authorization: Bearer ***' (bearer token)" };
    }
    case 'apiKey': {
      const headers = { [authentication.header.toLowerCase()]: authentication.key };
      return { headers: () => Promise.resolve(headers), description: `'${authentication.header}: ***' (API key)` };
    }
    case 'entraId': {
      let current: EntraToken | undefined;
      let headers: Record<string, string> = {};
      return {
        description: `'Authorization: Bearer ***' (Entra ID token for ${authentication.scope} from service connection '${authentication.connectionId}')`,
        headers: async (budgetInMs) => {
          if (current === undefined || current.expiresOnTimestamp - REFRESH_MARGIN_IN_MS <= deps.clock.now()) {
            current = await deps.entraToken(authentication.connectionId, authentication.scope, budgetInMs);
            if (current.token === '') throw new TaskError(`Entra ID returned an empty token for scope ${authentication.scope}.`);
            headers = { authorization: `Bearer ${current.token}` };
          }
          return headers;
        },
      };
    }
  }
}
