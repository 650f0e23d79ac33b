import { isObject } from '../json-values';
/**
 * Defaulting, as the API server applies it on create, update and apply (the SetDefaults_* functions of
 * k8s.io/kubernetes/pkg/apis/<group>/v1/defaults.go and the registry strategies): Deployment replicas 1,
 * RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600; pod spec and container
 * defaults; Service type, ports, affinity and policies; HPA minReplicas and the 80% CPU metric; Secret
 * type; Namespace finalizers and phase. Pure: it changes the object it is given.
 */
type Obj = Record<string, unknown>;


function child(parent: Obj, key: string): Obj {
  const existing = parent[key];
  if (isObject(existing)) return existing;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function imageTag(image: string): string | undefined {
  if (image.includes('@')) return 'digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : undefined;
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isObject(probe.httpGet)) setDefault(probe.httpGet, 'scheme', 'HTTP');
}

function defaultContainer(container: unknown): void {
  if (!isObject(container)) return;
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  if (container.imagePullPolicy === undefined && typeof container.image === 'string') {
    const tag = imageTag(container.image);
    container.imagePullPolicy = tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  for (const port of Array.isArray(container.ports) ? container.ports : []) if (isObject(port)) setDefault(port, 'protocol', 'TCP');
  for (const variable of Array.isArray(container.env) ? container.env : []) {
    if (isObject(variable) && isObject(variable.valueFrom) && isObject(variable.valueFrom.fieldRef)) setDefault(variable.valueFrom.fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  const resources = isObject(container.resources) ? container.resources : undefined;
  if (resources && isObject(resources.limits)) {
    const requests = child(resources, 'requests');
    for (const [name, value] of Object.entries(resources.limits)) setDefault(requests, name, value);
  }
  setDefault(container, 'resources', {});
}

export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const container of Array.isArray(spec.containers) ? spec.containers : []) defaultContainer(container);
  for (const container of Array.isArray(spec.initContainers) ? spec.initContainers : []) defaultContainer(container);
  for (const volume of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isObject(volume)) continue;
    if (isObject(volume.secret)) setDefault(volume.secret, 'defaultMode', 420);
    if (isObject(volume.configMap)) setDefault(volume.configMap, 'defaultMode', 420);
  }
}

function defaultTemplate(spec: Obj): void {
  const template = child(spec, 'template');
  const metadata = child(template, 'metadata');
  // The API server serialises a pod template's empty creationTimestamp as null.
  if (!('creationTimestamp' in metadata)) metadata.creationTimestamp = null;
  defaultPodSpec(child(template, 'spec'));
}

function defaultDeployment(object: Obj): void {
  const spec = child(object, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = child(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', '25%');
    setDefault(rolling, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(spec);
}

function defaultReplicaSet(object: Obj): void {
  const spec = child(object, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultTemplate(spec);
}

function defaultPod(object: Obj): void {
  const spec = child(object, 'spec');
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'serviceAccountName', 'default');
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  setDefault(spec, 'priority', 0);
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((toleration) => isObject(toleration) && toleration.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
}

function defaultService(object: Obj): void {
  const spec = child(object, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  }
  if (spec.type === 'LoadBalancer' || spec.type === 'NodePort') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  for (const port of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isObject(port)) continue;
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'targetPort', port.port);
  }
  setDefault(object, 'status', { loadBalancer: {} });
}

function defaultHorizontalPodAutoscaler(object: Obj): void {
  const spec = child(object, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (isObject(spec.behavior)) {
    const behavior = spec.behavior;
    const up = child(behavior, 'scaleUp');
    setDefault(up, 'stabilizationWindowSeconds', 0);
    setDefault(up, 'selectPolicy', 'Max');
    setDefault(up, 'policies', [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    const down = child(behavior, 'scaleDown');
    setDefault(down, 'selectPolicy', 'Max');
    setDefault(down, 'policies', [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  }
}

function defaultNamespace(object: Obj): void {
  const metadata = child(object, 'metadata');
  const labels = child(metadata, 'labels');
  if (typeof metadata.name === 'string') labels['kubernetes.io/metadata.name'] = metadata.name;
  const spec = child(object, 'spec');
  setDefault(spec, 'finalizers', ['kubernetes']);
  const status = child(object, 'status');
  setDefault(status, 'phase', 'Active');
}

/** stringData is write-only: merged into data (base64) and never stored, as the v1 conversion does. */
function defaultSecret(object: Obj): void {
  setDefault(object, 'type', 'Opaque');
  if (isObject(object.stringData)) {
    const data = child(object, 'data');
    for (const [key, value] of Object.entries(object.stringData)) if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  delete object.stringData;
}

const DEFAULTERS: Record<string, (object: Obj) => void> = {
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  '/Pod': defaultPod,
  '/Service': defaultService,
  'autoscaling/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
};

export function applyDefaults(group: string, kind: string, object: Obj): void {
  DEFAULTERS[`${group}/${kind}`]?.(object);
}
