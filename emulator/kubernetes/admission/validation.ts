/**
 * Semantic validation (what k8s.io/kubernetes/pkg/apis/<group>/validation checks after decoding), with
 * the causes the API server returns in a 422 Invalid Status: names, labels, Deployment and ReplicaSet
 * selectors, replicas, strategies and templates, containers (names, images, ports, probes, resources,
 * env), Services, HPAs and PDBs, and immutable fields on update.
 */
import { isObject, text } from '../json-values';
import type { StatusCause } from '../status-errors';
import { requirementsOf, matchesRequirements } from '../store/label-selector';
import { Causes, DNS1123_LABEL, ENV_NAME, LABEL_MESSAGE, intOrPercentIsZero, nonNegative, validateIntOrPercent, validateLabels, validateName, validatePort } from './field-checks';

type Obj = Record<string, unknown>;
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function quantityValue(value: unknown): number | undefined {
  const match = /^([+-]?[0-9.]+)([a-zA-Z]*)$/.exec(text(value));
  if (!match) return undefined;
  const number = Number(match[1]);
  const factors: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  const factor = factors[match[2] ?? ''];
  return factor === undefined ? undefined : number * factor;
}

function validateProbe(causes: Causes, probe: unknown, field: string): void {
  if (!isObject(probe)) return;
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((handler) => probe[handler] !== undefined);
  if (handlers.length === 0) causes.required(field, 'must specify a handler type');
  if (handlers.length > 1) causes.forbidden(`${field}.${handlers[1] ?? ''}`, 'may not specify more than 1 handler type');
  for (const key of ['timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'initialDelaySeconds']) nonNegative(causes, probe[key], `${field}.${key}`);
}

function validateContainers(causes: Causes, containers: unknown, field: string, required: boolean): void {
  const list = asArray(containers);
  if (required && list.length === 0) {
    causes.required(field);
    return;
  }
  const names = new Set<string>();
  list.forEach((raw, index) => {
    const container = isObject(raw) ? raw : {};
    const path = `${field}[${index}]`;
    const name = container.name;
    if (typeof name !== 'string' || name === '') causes.required(`${path}.name`);
    else if (!DNS1123_LABEL.test(name)) causes.invalid(`${path}.name`, name, LABEL_MESSAGE);
    else if (names.has(name)) causes.duplicate(`${path}.name`, name);
    if (typeof name === 'string') names.add(name);
    if (typeof container.image !== 'string' || container.image.trim() === '') causes.required(`${path}.image`);
    const ports = new Set<string>();
    asArray(container.ports).forEach((rawPort, portIndex) => {
      const port = isObject(rawPort) ? rawPort : {};
      if (port.containerPort === undefined) causes.required(`${path}.ports[${portIndex}].containerPort`);
      validatePort(causes, port.containerPort, `${path}.ports[${portIndex}].containerPort`);
      const protocol = port.protocol ?? 'TCP';
      if (!['TCP', 'UDP', 'SCTP'].includes(text(protocol))) causes.notSupported(`${path}.ports[${portIndex}].protocol`, protocol, ['SCTP', 'TCP', 'UDP']);
      const key = `${text(port.containerPort)}/${text(protocol)}`;
      if (ports.has(key)) causes.duplicate(`${path}.ports[${portIndex}]`, key);
      ports.add(key);
    });
    asArray(container.env).forEach((rawVariable, envIndex) => {
      const variable = isObject(rawVariable) ? rawVariable : {};
      if (typeof variable.name !== 'string' || variable.name === '') causes.required(`${path}.env[${envIndex}].name`);
      else if (!ENV_NAME.test(variable.name)) {
        causes.invalid(`${path}.env[${envIndex}].name`, variable.name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
      }
      if (variable.value !== undefined && variable.valueFrom !== undefined) causes.invalid(`${path}.env[${envIndex}].valueFrom`, '', 'may not be specified when `value` is not empty');
    });
    validateProbe(causes, container.livenessProbe, `${path}.livenessProbe`);
    validateProbe(causes, container.readinessProbe, `${path}.readinessProbe`);
    if (isObject(container.livenessProbe) && typeof container.livenessProbe.successThreshold === 'number' && container.livenessProbe.successThreshold !== 1) {
      causes.invalid(`${path}.livenessProbe.successThreshold`, container.livenessProbe.successThreshold, 'must be 1');
    }
    const resources = isObject(container.resources) ? container.resources : {};
    const limits = isObject(resources.limits) ? resources.limits : {};
    const requests = isObject(resources.requests) ? resources.requests : {};
    for (const [resource, request] of Object.entries(requests)) {
      const limit = limits[resource];
      const requestValue = quantityValue(request);
      const limitValue = quantityValue(limit);
      if (limit !== undefined && requestValue !== undefined && limitValue !== undefined && requestValue > limitValue) {
        causes.invalid(`${path}.resources.requests`, request, `must be less than or equal to ${resource} limit of ${text(limit)}`);
      }
    }
  });
}

function validatePodSpec(causes: Causes, spec: unknown, field: string, allowedRestartPolicies?: string[]): void {
  const podSpec = isObject(spec) ? spec : {};
  validateContainers(causes, podSpec.containers, `${field}.containers`, true);
  validateContainers(causes, podSpec.initContainers, `${field}.initContainers`, false);
  const restartPolicy = podSpec.restartPolicy;
  const supported = allowedRestartPolicies ?? ['Always', 'OnFailure', 'Never'];
  if (restartPolicy !== undefined && !supported.includes(text(restartPolicy))) causes.notSupported(`${field}.restartPolicy`, restartPolicy, supported);
  nonNegative(causes, podSpec.terminationGracePeriodSeconds, `${field}.terminationGracePeriodSeconds`);
}

function validateSelectorAndTemplate(causes: Causes, spec: Obj, kind: string): void {
  const selector = spec.selector;
  if (!isObject(selector)) {
    causes.required('spec.selector');
  } else if (Object.keys(selector.matchLabels ?? {}).length === 0 && asArray(selector.matchExpressions).length === 0) {
    causes.invalid('spec.selector', selector, 'empty selector is invalid for deployment');
  }
  const template = isObject(spec.template) ? spec.template : {};
  const templateMeta = isObject(template.metadata) ? template.metadata : {};
  const labels = isObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : {};
  validateLabels(causes, labels, 'spec.template.metadata.labels');
  if (isObject(selector)) {
    try {
      if (!matchesRequirements(requirementsOf(selector), labels)) causes.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`');
    } catch (error) {
      causes.invalid('spec.selector.matchExpressions', selector.matchExpressions, error instanceof Error ? error.message : String(error));
    }
  }
  validatePodSpec(causes, template.spec, 'spec.template.spec', kind === 'Pod' ? undefined : ['Always']);
  nonNegative(causes, spec.replicas, 'spec.replicas');
  nonNegative(causes, spec.minReadySeconds, 'spec.minReadySeconds');
  nonNegative(causes, spec.revisionHistoryLimit, 'spec.revisionHistoryLimit');
}

function validateDeployment(causes: Causes, object: Obj): void {
  const spec = isObject(object.spec) ? object.spec : {};
  validateSelectorAndTemplate(causes, spec, 'Deployment');
  const strategy = isObject(spec.strategy) ? spec.strategy : {};
  const type = strategy.type ?? 'RollingUpdate';
  if (!['RollingUpdate', 'Recreate'].includes(text(type))) causes.notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']);
  if (type === 'Recreate' && strategy.rollingUpdate !== undefined) causes.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'");
  if (type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) {
    const { maxSurge, maxUnavailable } = strategy.rollingUpdate;
    validateIntOrPercent(causes, maxSurge, 'spec.strategy.rollingUpdate.maxSurge');
    validateIntOrPercent(causes, maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable');
    if (intOrPercentIsZero(maxSurge) && intOrPercentIsZero(maxUnavailable)) causes.invalid('spec.strategy.rollingUpdate.maxUnavailable', maxUnavailable, 'may not be 0 when `maxSurge` is 0');
  }
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number') {
    nonNegative(causes, deadline, 'spec.progressDeadlineSeconds');
    if (typeof spec.minReadySeconds === 'number' && deadline <= spec.minReadySeconds) causes.invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds');
  }
}

function validateService(causes: Causes, object: Obj): void {
  const spec = isObject(object.spec) ? object.spec : {};
  const type = spec.type ?? 'ClusterIP';
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (!types.includes(text(type))) causes.notSupported('spec.type', type, types);
  const ports = asArray(spec.ports);
  if (type !== 'ExternalName' && ports.length === 0 && spec.clusterIP !== 'None') causes.required('spec.ports');
  const names = new Set<string>();
  ports.forEach((raw, index) => {
    const port = isObject(raw) ? raw : {};
    const path = `spec.ports[${index}]`;
    if (ports.length > 1 && (typeof port.name !== 'string' || port.name === '')) causes.required(`${path}.name`);
    if (typeof port.name === 'string' && port.name !== '') {
      if (names.has(port.name)) causes.duplicate(`${path}.name`, port.name);
      names.add(port.name);
    }
    if (port.port === undefined) causes.required(`${path}.port`);
    validatePort(causes, port.port, `${path}.port`);
    if (typeof port.targetPort === 'number') validatePort(causes, port.targetPort, `${path}.targetPort`);
    const protocol = port.protocol ?? 'TCP';
    if (!['TCP', 'UDP', 'SCTP'].includes(text(protocol))) causes.notSupported(`${path}.protocol`, protocol, ['SCTP', 'TCP', 'UDP']);
    if (port.nodePort !== undefined && type === 'ClusterIP') causes.forbidden(`${path}.nodePort`, 'may not be used when `type` is \'ClusterIP\'');
  });
  const affinity = spec.sessionAffinity ?? 'None';
  if (!['ClientIP', 'None'].includes(text(affinity))) causes.notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']);
}

function validateHorizontalPodAutoscaler(causes: Causes, object: Obj): void {
  const spec = isObject(object.spec) ? object.spec : {};
  const target = isObject(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  if (typeof target.kind !== 'string' || target.kind === '') causes.required('spec.scaleTargetRef.kind');
  if (typeof target.name !== 'string' || target.name === '') causes.required('spec.scaleTargetRef.name');
  const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
  if (min < 1) causes.invalid('spec.minReplicas', min, 'must be greater than or equal to 1');
  if (typeof spec.maxReplicas !== 'number') causes.required('spec.maxReplicas');
  else if (spec.maxReplicas < min) causes.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`');
  asArray(spec.metrics).forEach((raw, index) => {
    const metric = isObject(raw) ? raw : {};
    const path = `spec.metrics[${index}]`;
    const types = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
    if (!types.includes(String(metric.type))) causes.notSupported(`${path}.type`, metric.type, types);
    if (metric.type === 'Resource') {
      const resource = isObject(metric.resource) ? metric.resource : {};
      if (typeof resource.name !== 'string' || resource.name === '') causes.required(`${path}.resource.name`);
      const metricTarget = isObject(resource.target) ? resource.target : {};
      const targetTypes = ['AverageValue', 'Utilization', 'Value'];
      if (!targetTypes.includes(String(metricTarget.type))) causes.notSupported(`${path}.resource.target.type`, metricTarget.type, targetTypes);
      if (metricTarget.type === 'Utilization' && (typeof metricTarget.averageUtilization !== 'number' || metricTarget.averageUtilization <= 0)) {
        causes.required(`${path}.resource.target.averageUtilization`, 'must set either a target raw value or a target utilization');
      }
    }
  });
}

function validatePodDisruptionBudget(causes: Causes, object: Obj): void {
  const spec = isObject(object.spec) ? object.spec : {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) causes.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set');
  if (spec.minAvailable !== undefined) validateIntOrPercent(causes, spec.minAvailable, 'spec.minAvailable');
  if (spec.maxUnavailable !== undefined) validateIntOrPercent(causes, spec.maxUnavailable, 'spec.maxUnavailable');
}

function validateSecretOrConfigMap(causes: Causes, object: Obj): void {
  for (const field of ['data', 'stringData', 'binaryData']) {
    const data = object[field];
    if (!isObject(data)) continue;
    for (const key of Object.keys(data)) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) causes.invalid(`${field}[${key}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }
  }
}

const NAME_STYLE: Record<string, 'subdomain' | 'label' | 'dns1035'> = { Namespace: 'label', Service: 'dns1035' };

export function validateObject(group: string, kind: string, object: Obj): StatusCause[] {
  const causes = new Causes();
  const metadata = isObject(object.metadata) ? object.metadata : {};
  if (kind !== 'Event') validateName(causes, metadata, NAME_STYLE[kind] ?? 'subdomain');
  validateLabels(causes, metadata.labels, 'metadata.labels');
  const key = `${group}/${kind}`;
  if (key === 'apps/Deployment') validateDeployment(causes, object);
  if (key === 'apps/ReplicaSet') validateSelectorAndTemplate(causes, isObject(object.spec) ? object.spec : {}, 'ReplicaSet');
  if (key === '/Pod') validatePodSpec(causes, object.spec, 'spec');
  if (key === '/Service') validateService(causes, object);
  if (key === 'autoscaling/HorizontalPodAutoscaler') validateHorizontalPodAutoscaler(causes, object);
  if (key === 'policy/PodDisruptionBudget') validatePodDisruptionBudget(causes, object);
  if (key === '/Secret' || key === '/ConfigMap') validateSecretOrConfigMap(causes, object);
  return causes.list;
}

/** Fields an update may not change (422 `field is immutable`). */
export function validateUpdate(group: string, kind: string, before: Obj, after: Obj): StatusCause[] {
  const causes = new Causes();
  const spec = (object: Obj): Obj => (isObject(object.spec) ? object.spec : {});
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if ((group === 'apps' && (kind === 'Deployment' || kind === 'ReplicaSet')) || (group === 'policy' && kind === 'PodDisruptionBudget')) {
    if (kind !== 'PodDisruptionBudget' && !same(spec(before).selector, spec(after).selector)) causes.invalid('spec.selector', spec(after).selector, 'field is immutable');
  }
  if (group === '' && kind === 'Service') {
    const oldIp = spec(before).clusterIP;
    const newIp = spec(after).clusterIP;
    if (oldIp !== undefined && newIp !== undefined && oldIp !== newIp) causes.invalid('spec.clusterIPs[0]', newIp, 'may not change once set');
  }
  if (group === '' && kind === 'Pod') {
    const strip = (object: Obj): unknown => {
      const copy = structuredClone(spec(object));
      for (const container of asArray(copy.containers)) if (isObject(container)) delete container.image;
      delete copy.activeDeadlineSeconds;
      delete copy.tolerations;
      return copy;
    };
    if (!same(strip(before), strip(after))) causes.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
  }
  if (group === '' && kind === 'Secret' && before.immutable === true && (!same(before.data, after.data) || after.immutable !== true)) causes.forbidden('data', 'field is immutable when `immutable` is set');
  return causes.list;
}
