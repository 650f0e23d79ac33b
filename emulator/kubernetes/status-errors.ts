/**
 * Kubernetes' `Status` failure bodies, built as the API server builds them
 * (k8s.io/apimachinery/pkg/api/errors/errors.go): the message wording, `reason`, `details`
 * (`name`, `group`, `kind` = the plural resource, `causes`) and `code` are what clients such as
 * kubectl print and branch on.
 */
import { qualifiedResource, type ResourceType } from './store/resource-types';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason | '';
  details?: StatusDetails;
  code: number;
}

export class KubernetesStatusError extends Error {
  readonly status: StatusBody;

  constructor(code: number, reason: StatusReason | '', message: string, details?: StatusDetails) {
    super(message);
    this.name = 'KubernetesStatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  }

  get code(): number {
    return this.status.code;
  }
}

export function isStatusError(error: unknown, reason?: StatusReason): error is KubernetesStatusError {
  return error instanceof KubernetesStatusError && (reason === undefined || error.status.reason === reason);
}

function resourceDetails(type: Pick<ResourceType, 'group' | 'resource'>, name: string): StatusDetails {
  return { name, ...(type.group !== '' ? { group: type.group } : {}), kind: type.resource };
}

export function notFound(type: Pick<ResourceType, 'group' | 'resource'>, name: string): KubernetesStatusError {
  return new KubernetesStatusError(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, resourceDetails(type, name));
}

export function alreadyExists(type: Pick<ResourceType, 'group' | 'resource'>, name: string): KubernetesStatusError {
  return new KubernetesStatusError(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, resourceDetails(type, name));
}

/** The optimistic-concurrency failure (a stale `metadata.resourceVersion`). */
export function conflict(type: Pick<ResourceType, 'group' | 'resource'>, name: string, reason: string): KubernetesStatusError {
  return new KubernetesStatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${reason}`, resourceDetails(type, name));
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** 422: `Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, ...]`. */
export function invalid(type: Pick<ResourceType, 'group' | 'kind'>, name: string, causes: StatusCause[]): KubernetesStatusError {
  const qualifiedKind = type.group === '' ? type.kind : `${type.kind}.${type.group}`;
  const texts = causes.map((cause) => (cause.field ? `${cause.field}: ${cause.message ?? ''}` : (cause.message ?? '')));
  const summary = texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`;
  return new KubernetesStatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    ...(type.group !== '' ? { group: type.group } : {}),
    kind: type.kind,
    causes,
  });
}

export function badRequest(message: string): KubernetesStatusError {
  return new KubernetesStatusError(400, 'BadRequest', message);
}

/** 410 for a watch or list from a resourceVersion older than the store keeps. */
export function resourceVersionTooOld(resourceVersion: string, oldest: string): KubernetesStatusError {
  return new KubernetesStatusError(410, 'Expired', `too old resource version: ${resourceVersion} (${oldest})`);
}

export function forbidden(
  user: string,
  verb: string,
  type: Pick<ResourceType, 'group' | 'resource'>,
  namespace: string | undefined,
  name: string | undefined,
  reason: string,
  subresource?: string,
): KubernetesStatusError {
  const resource = subresource ? `${type.resource}/${subresource}` : type.resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const groupText = `in API group "${type.group}"`;
  const nameText = name ? ` "${name}"` : '';
  const message = `${qualifiedResource(type)}${nameText} is forbidden: User "${user}" cannot ${verb} resource "${resource}" ${groupText} ${scope}${reason ? `: ${reason}` : ''}`;
  return new KubernetesStatusError(403, 'Forbidden', message, { ...(name ? { name } : {}), ...(type.group !== '' ? { group: type.group } : {}), kind: type.resource });
}

export function unauthorized(): KubernetesStatusError {
  return new KubernetesStatusError(401, 'Unauthorized', 'Unauthorized');
}
