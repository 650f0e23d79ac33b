/**
 * `fieldSelector` on list and watch: `metadata.name`, `metadata.namespace` everywhere, plus the fields each
 * kind's registry declares (pods: spec.nodeName, status.phase, ...; events: involvedObject.*, reason,
 * type, source, ...). Operators `=`, `==`, `!=`; anything else is a 400 as kube-apiserver answers it.
 */
import type { KubeObject } from '../store/object-store';
import { badRequest } from '../status-errors';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

const COMMON = ['metadata.name', 'metadata.namespace'];
const EXTRA: Record<string, string[]> = {
  '/Pod': ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  '/Event': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  'events.k8s.io/Event': ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'regarding.apiVersion', 'regarding.resourceVersion', 'regarding.fieldPath', 'reason', 'reportingController', 'type'],
  '/Secret': ['type'],
  '/Namespace': ['status.phase'],
  'apps/ReplicaSet': ['status.replicas'],
};

export function parseFieldSelector(text: string, group: string, kind: string): FieldRequirement[] {
  const allowed = [...COMMON, ...(EXTRA[`${group}/${kind}`] ?? [])];
  const requirements: FieldRequirement[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const match = /^([^=!]+)(==|!=|=)(.*)$/.exec(item);
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${item}'`);
    const field = (match[1] ?? '').trim();
    if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
    requirements.push({ field, operator: match[2] === '!=' ? '!=' : '=', value: (match[3] ?? '').trim() });
  }
  return requirements;
}

function fieldValue(object: KubeObject, field: string): string {
  if (field === 'source') {
    const source = object.source as { component?: string } | undefined;
    return source?.component ?? '';
  }
  let current: unknown = object;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : JSON.stringify(current);
}

export function matchesFields(requirements: readonly FieldRequirement[], object: KubeObject): boolean {
  return requirements.every((requirement) => (fieldValue(object, requirement.field) === requirement.value) === (requirement.operator === '='));
}
