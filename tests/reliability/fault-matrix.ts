/**
 * The fault matrix (pure): for each task, the route families it uses on the local Azure, crossed with
 * 429 (Retry-After 1 s) / 500 / 503 / connection reset / added latency, injected once, three times or
 * always. Once and three times are injected on every family of the task in the same run (each family
 * gets its own count), so one run proves that every family survives that fault; "always" gets a run
 * per family, which must fail within the deadline with a message that names the route, the answer and
 * "retry later" (never credential or role advice). Latency always must still succeed.
 */
import type { HttpFault } from '../../emulator/core/service-context';

export type MatrixTask = 'build' | 'deploy' | 'smoke';
export type FaultKind = '429' | '500' | '503' | 'reset' | 'latency';
export type FaultCount = 'once' | '3 times' | 'always';

export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', '503', 'reset', 'latency'];
export const FAULT_COUNTS: readonly FaultCount[] = ['once', '3 times', 'always'];

export interface RouteFamily {
  /** What the family is, for test titles. */
  title: string;
  /** Emulator route names (or prefixes with '*'); a fault is added for each. */
  routes: readonly string[];
  /** What the failure message must name when this family keeps failing. */
  namedAs: RegExp;
}

/** What each task calls, by family. SmokeTestModel's families are on the model server (hostile-servers) and Entra ID. */
export const ROUTE_FAMILIES: Record<MatrixTask, readonly RouteFamily[]> = {
  build: [
    { title: 'Entra ID token', routes: ['entra.token'], namedAs: /Entra ID .* on POST https:\/\/[^ ]+\/oauth2\/v2\.0\/token/ },
    { title: 'registry listing (Resource Manager)', routes: ['acr.registries.list'], namedAs: /on GET https:\/\/[^ ]+\/providers\/Microsoft\.ContainerRegistry\/registries/ },
    { title: 'ACR token exchange', routes: ['acr.oauth2.exchange'], namedAs: /on POST https:\/\/[^ ]+\/oauth2\/exchange/ },
    { title: 'ACR access token', routes: ['acr.oauth2.token'], namedAs: /registry .*(oauth2\/token|docker push)/ },
    { title: 'blob upload', routes: ['acr.v2.blobUploads'], namedAs: /registry .* on docker push/ },
    { title: 'manifest PUT', routes: ['acr.v2.manifests.put'], namedAs: /registry .* on docker push/ },
  ],
  deploy: [
    { title: 'Entra ID token', routes: ['entra.token'], namedAs: /Entra ID .* on POST https:\/\/[^ ]+\/oauth2\/v2\.0\/token/ },
    { title: 'registry listing (Resource Manager)', routes: ['acr.registries.list'], namedAs: /on GET https:\/\/[^ ]+\/providers\/Microsoft\.ContainerRegistry\/registries/ },
    { title: 'container group GET', routes: ['aci.containerGroups.get'], namedAs: /Reading container group/ },
    { title: 'resource group GET', routes: ['arm.resourceGroups.get'], namedAs: /Reading resource group/ },
    { title: 'location capabilities', routes: ['aci.location.listCapabilities'], namedAs: /capabilities of location/ },
    { title: 'container group PUT', routes: ['aci.containerGroups.createOrUpdate'], namedAs: /Creating or updating container group/ },
  ],
  smoke: [],
};

export interface MatrixCase {
  id: string;
  task: MatrixTask;
  kind: FaultKind;
  count: FaultCount;
  families: readonly RouteFamily[];
  expect: 'succeeds' | 'fails clearly';
}

const COUNT_NUMBER: Record<Exclude<FaultCount, 'always'>, number> = { once: 1, '3 times': 3 };
/** Added latency: long enough to be felt, short enough for the matrix to stay fast. */
export const LATENCY_IN_MS = 1500;

export function matrixCases(tasks: readonly MatrixTask[]): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (const task of tasks) {
    const families = ROUTE_FAMILIES[task];
    if (families.length === 0) continue;
    for (const kind of FAULT_KINDS) {
      for (const count of FAULT_COUNTS) {
        if (count !== 'always' || kind === 'latency') {
          cases.push({ id: `${task} ${kind} ${count} on every route`, task, kind, count, families, expect: 'succeeds' });
          continue;
        }
        for (const family of families) {
          cases.push({ id: `${task} ${kind} always on ${family.title}`, task, kind, count, families: [family], expect: 'fails clearly' });
        }
      }
    }
  }
  return cases;
}

/** The emulator faults of a case. */
export function faultsOf(matrixCase: MatrixCase): HttpFault[] {
  const count = matrixCase.count === 'always' ? {} : { count: COUNT_NUMBER[matrixCase.count] };
  const fault = (route: string): HttpFault => {
    switch (matrixCase.kind) {
      case '429':
        return { route, kind: 'status', status: 429, retryAfterInSeconds: 1, ...count };
      case '500':
        return { route, kind: 'status', status: 500, ...count };
      case '503':
        return { route, kind: 'status', status: 503, ...count };
      case 'reset':
        return { route, kind: 'reset', ...count };
      case 'latency':
        return { route, kind: 'latency', latencyInMs: LATENCY_IN_MS, ...count };
    }
  };
  return matrixCase.families.flatMap((family) => family.routes.map(fault));
}

/** What a failure message must say about the answer. */
export function answerPattern(kind: FaultKind): RegExp {
  return kind === 'reset' ? /closed the connection/ : new RegExp(`answered HTTP ${kind}`);
}

/** Advice that would blame the configuration for an outage. */
export const CREDENTIAL_ADVICE = /has not expired|Reader role|AcrPush role|self-hosted agent that runs on Azure|federated credential|\[object Object\]/;

/**
 * Whether docker itself keeps retrying inside each push attempt (a 5xx or a reset on a layer upload or
 * its token, always): such a case holds the Docker engine's upload slots (max-concurrent-uploads, 5 for
 * the whole engine) for about 50 s per attempt, and every push of the other lanes waits for them.
 */
export function holdsUploadSlots(matrixCase: MatrixCase): boolean {
  return (
    matrixCase.count === 'always' &&
    matrixCase.kind !== '429' &&
    matrixCase.kind !== 'latency' &&
    matrixCase.families.some((family) => family.routes.some((route) => route === 'acr.v2.blobUploads' || route === 'acr.oauth2.token'))
  );
}

/** A rough guess of a case's run time, to schedule the long ones first. */
export function expectedSeconds(matrixCase: MatrixCase): number {
  if (holdsUploadSlots(matrixCase)) return 160;
  if (matrixCase.count === 'always' && matrixCase.kind !== 'latency') return matrixCase.task === 'deploy' ? 18 : matrixCase.kind === '429' ? 60 : 10;
  return matrixCase.count === '3 times' || matrixCase.kind === 'latency' ? 25 : 12;
}
