/**
 * Kubernetes API errors: which are worth retrying, and what a refusal means for the user (pure).
 * The API server answers with a `Status` body; only its message and reason are shown, never a whole body.
 */
import { TaskError, truncate } from '../../common/errors';
import { neutraliseLine } from '../../common/neutralise';
import { type RetryDecision, isTransientNetworkCode, isTransientStatus } from '../../common/retry';
import type { KubeStatus } from './kube-objects';

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly statusCode: number,
    readonly status: KubeStatus | undefined,
    readonly retryAfterInMs?: number,
  ) {
    super(`HTTP ${statusCode}${status?.reason ? ` ${status.reason}` : ''}: ${truncate((status?.message ?? '').replace(/\s+/g, ' '), 600)}`);
  }
}


export function classifyKubeError(error: unknown): RetryDecision {
  if (error instanceof KubeApiError) {
    if (!isTransientStatus(error.statusCode)) return { retry: false };
    return error.retryAfterInMs === undefined ? { retry: true } : { retry: true, retryAfterInMs: error.retryAfterInMs };
  }
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return { retry: isTransientNetworkCode(code) };
}

export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof KubeApiError ? error.statusCode : undefined;
}

export interface FailureContext {
  /** e.g. "Applying Deployment 'iris' in namespace 'models'". */
  action: string;
  /** Who the task signed in as, for 401/403 messages. */
  identity: string;
  namespace: string;
}

/** A TaskError for a failed request: what was attempted, what the API server said, and what to do. */
export function kubeFailure(error: unknown, context: FailureContext): TaskError {
  const what = error instanceof KubeApiError ? error.message : error instanceof Error ? error.message : String(error);
  return new TaskError(`${context.action} failed: ${neutraliseLine(what)}${hintFor(error, context)}`, { cause: error });
}

function hintFor(error: unknown, context: FailureContext): string {
  if (!(error instanceof KubeApiError)) return ' The cluster\'s API server could not be reached from this agent: check that the agent can reach it (an API server with authorised IP ranges or a private cluster needs an agent inside them).';
  switch (error.statusCode) {
    case 401:
      return ` The API server did not accept the credential of ${context.identity}: for an Entra ID cluster the token must be for the AKS server application of the cluster's tenant; check the service connection.`;
    case 403:
      return (
        ` The task is signed in as ${context.identity}, which may not do this. Give it the 'Azure Kubernetes Service RBAC Writer' role on the cluster or on namespace '${context.namespace}' ` +
        `(az role assignment create --role "Azure Kubernetes Service RBAC Writer" --assignee <its client id> --scope <cluster resource id>/namespaces/${context.namespace}), ` +
        `or with Kubernetes RBAC a RoleBinding to the 'edit' ClusterRole in that namespace.`
      );
    case 409:
      return ' Another field manager owns fields the task sets; the task applies with force, so this should not happen: report it with the message above.';
    case 422:
      return /field is immutable|selector/i.test(error.status?.message ?? '')
        ? ` The Deployment exists with another label selector (created by another tool): delete it (kubectl delete deployment -n ${context.namespace} <name>) or choose another 'deploymentName'.`
        : ` Kubernetes refused the object: ${describeCauses(error)}`;
    default:
      return '';
  }
}

function describeCauses(error: KubeApiError): string {
  const causes = error.status?.details?.causes ?? [];
  return causes.length === 0 ? 'see the message.' : causes.map((c) => `${c.field ?? ''} ${c.message ?? c.reason ?? ''}`.trim()).join('; ');
}
