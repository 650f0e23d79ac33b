/**
 * A container's environment as the kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
 * plain values with $(VAR) expansion, secretKeyRef / configMapKeyRef read from the store, and the
 * downward API's fieldRef. A missing object or key is CreateContainerConfigError with the kubelet's
 * message, unless the reference is optional.
 */
import type { ContainerSpec, Pod } from '../kube-types';
import type { ObjectStore } from '../store/object-store';
import { CONFIG_MAPS, SECRETS } from '../store/resource-types';

export class ContainerConfigError extends Error {}

export function containerEnvironment(store: ObjectStore, pod: Pod, container: ContainerSpec, podIP: string, hostIP: string): string[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const values = new Map<string, string>();
  for (const variable of container.env ?? []) {
    const source = variable.valueFrom;
    if (!source) {
      values.set(variable.name, expand(variable.value ?? '', values));
      continue;
    }
    if (source.secretKeyRef) {
      const ref = source.secretKeyRef;
      const secret = store.get(SECRETS, namespace, ref.name) as { data?: Record<string, string>; stringData?: Record<string, string> } | undefined;
      if (!secret) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`secret "${ref.name}" not found`);
      }
      const encoded = secret.data?.[ref.key];
      if (encoded === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`);
      }
      values.set(variable.name, Buffer.from(encoded, 'base64').toString('utf8'));
    } else if (source.configMapKeyRef) {
      const ref = source.configMapKeyRef;
      const map = store.get(CONFIG_MAPS, namespace, ref.name) as { data?: Record<string, string> } | undefined;
      if (!map) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`configmap "${ref.name}" not found`);
      }
      const value = map.data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}`);
      }
      values.set(variable.name, value);
    } else if (source.fieldRef) {
      values.set(variable.name, fieldValue(pod, source.fieldRef.fieldPath, podIP, hostIP));
    }
  }
  return [...values].map(([name, value]) => `${name}=${value}`);
}

function fieldValue(pod: Pod, path: string, podIP: string, hostIP: string): string {
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
      return podIP;
    case 'status.hostIP':
      return hostIP;
    default: {
      const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
      if (label) return pod.metadata.labels?.[label[1] ?? ''] ?? '';
      const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(path);
      if (annotation) return pod.metadata.annotations?.[annotation[1] ?? ''] ?? '';
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
    }
  }
}

/** $(VAR) refers to an earlier variable; $$ escapes; unknown references stay as written. */
function expand(value: string, defined: ReadonlyMap<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && defined.has(name) ? (defined.get(name) ?? '') : match;
  });
}
