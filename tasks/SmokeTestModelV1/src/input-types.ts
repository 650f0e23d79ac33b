/** The task's typed, read-only inputs (inputs.ts reads them; the planning code reads only these types). */
import type { Assertion } from './assertions/parse';
import type { Gates } from './checks';
import type { InputName } from './input-names';
import type { Header } from './input-values';
import type { HttpMethod, ModelContext, ProtocolChoice } from './presets/types';

export type Authentication =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearerToken'; readonly token: string }
  | { readonly kind: 'apiKey'; readonly header: string; readonly key: string }
  | { readonly kind: 'entraId'; readonly connectionId: string; readonly scope: string };

export type RequestBody =
  | { readonly kind: 'json'; readonly value: unknown; readonly input: InputName }
  | { readonly kind: 'raw'; readonly bytes: Buffer; readonly contentType: string; readonly input: InputName };

export interface SmokeTestInputs {
  readonly url: string;
  /** Where the URL came from: the input, or the variable of an earlier DeployToAci step. */
  readonly urlSource: 'input' | 'earlierStep';
  readonly protocol: ProtocolChoice;
  readonly model: ModelContext;
  readonly readinessPath?: string;
  readonly method: HttpMethod;
  readonly requestPath: string;
  readonly body?: RequestBody;
  readonly headers: readonly Header[];
  readonly authentication: Authentication;
  readonly expectedStatus: readonly number[];
  readonly assertions: readonly Assertion[];
  readonly readinessTimeoutInMs: number;
  /** The whole run's one deadline ('timeoutInMinutes'); readiness ends at the sooner of the two. */
  readonly timeoutInMs: number;
  readonly warmupRequests: number;
  readonly requests: number;
  readonly concurrency: number;
  readonly gates: Gates;
  readonly caCertificatePem?: string;
  readonly publishTestResults: boolean;
  readonly testRunTitle?: string;
}
