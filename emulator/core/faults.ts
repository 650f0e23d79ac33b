/** The fault-injection registry shared by the https fronts (HTTP faults) and the services (scenario faults). */
import type { FaultRegistry, HttpFault, ScenarioFault, ScenarioFaultKind } from './service-context';

interface Armed<T> {
  fault: T;
  remaining: number | undefined;
}

function routeMatches(pattern: string, routeName: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return routeName.toLowerCase().startsWith(pattern.slice(0, -1).toLowerCase());
  return pattern.toLowerCase() === routeName.toLowerCase();
}

function take<T extends { count?: number; probability?: number }>(
  armed: Armed<T>[],
  matches: (fault: T) => boolean,
  random: () => number,
): T | undefined {
  for (let index = 0; index < armed.length; index++) {
    const entry = armed[index];
    if (!entry || !matches(entry.fault)) continue;
    const probability = entry.fault.probability;
    if (probability !== undefined && random() >= probability) continue;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) armed.splice(index, 1);
    }
    return entry.fault;
  }
  return undefined;
}

/** `random` is injectable so that probability faults are deterministic in tests. */
export function createFaultRegistry(random: () => number = Math.random): FaultRegistry {
  const httpFaults: Armed<HttpFault>[] = [];
  const scenarioFaults: Armed<ScenarioFault>[] = [];
  return {
    addHttpFault(fault) {
      if (fault.kind === 'status' && fault.status === undefined) throw new Error("An HTTP fault of kind 'status' needs a status.");
      httpFaults.push({ fault: { ...fault }, remaining: fault.count });
    },
    addScenarioFault(fault) {
      scenarioFaults.push({ fault: { ...fault }, remaining: fault.count });
    },
    clear() {
      httpFaults.length = 0;
      scenarioFaults.length = 0;
    },
    takeHttpFault(routeName) {
      return take(httpFaults, (fault) => routeMatches(fault.route, routeName), random);
    },
    takeScenarioFault(kind: ScenarioFaultKind, containerGroupName: string) {
      return take(
        scenarioFaults,
        (fault) =>
          fault.kind === kind &&
          (fault.containerGroupName === undefined || fault.containerGroupName.toLowerCase() === containerGroupName.toLowerCase()),
        random,
      );
    },
  };
}
