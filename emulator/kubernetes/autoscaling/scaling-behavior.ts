/**
 * autoscaling/v2 behavior, as horizontal.go applies it: stabilisation windows over past
 * recommendations (stabilizeRecommendationWithBehaviors) and scale rate policies over past scale
 * events (convertDesiredReplicasWithBehaviorRate). One instance per controller keeps the history
 * per HPA, like the controller's recommendations / scaleUpEvents / scaleDownEvents maps.
 */
import type { HpaScalingRules } from '../kube-types';

export interface ResolvedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }[];
}

/** autoscaling/v2 defaults (GenerateHPAScaleUpRules / GenerateHPAScaleDownRules). */
export function resolveRules(direction: 'up' | 'down', rules: HpaScalingRules | undefined): ResolvedRules {
  const defaults: ResolvedRules =
    direction === 'up'
      ? { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] }
      : { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: rules?.policies && rules.policies.length > 0 ? rules.policies : defaults.policies,
  };
}

export interface NormalizationInput {
  key: string;
  scaleUp: ResolvedRules;
  scaleDown: ResolvedRules;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
}

export interface ConditionResult {
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  /** AbleToScale condition (True) */
  ableToScale: ConditionResult;
  /** ScalingLimited condition: status True when limited */
  scalingLimited: ConditionResult & { limited: boolean };
}

interface Recommendation {
  replicas: number;
  atInMs: number;
}

interface ScaleEvent {
  change: number;
  atInMs: number;
  outdated: boolean;
}

export class ScalingHistory {
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly upEvents = new Map<string, ScaleEvent[]>();
  private readonly downEvents = new Map<string, ScaleEvent[]>();

  constructor(private readonly now: () => number = Date.now) {}

  forget(key: string): void {
    this.recommendations.delete(key);
    this.upEvents.delete(key);
    this.downEvents.delete(key);
  }

  /** normalizeDesiredReplicasWithBehaviors */
  normalize(input: NormalizationInput): Normalized {
    this.initScaleDownWindow(input);
    const stabilized = this.stabilize(input);
    const ableToScale =
      stabilized.replicas !== input.desiredReplicas
        ? { reason: stabilized.reason, message: stabilized.message }
        : { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
    const limited = this.applyRate({ ...input, desiredReplicas: stabilized.replicas });
    return {
      replicas: limited.replicas,
      ableToScale,
      scalingLimited: { reason: limited.reason, message: limited.message, limited: limited.replicas !== stabilized.replicas },
    };
  }

  /** storeScaleEvent */
  recordScale(key: string, scaleUp: ResolvedRules, scaleDown: ResolvedRules, previous: number, next: number): void {
    const now = this.now();
    const up = next > previous;
    const rules = up ? scaleUp : scaleDown;
    const map = up ? this.upEvents : this.downEvents;
    const longest = Math.max(0, ...rules.policies.map((policy) => policy.periodSeconds)) * 1000;
    const events = (map.get(key) ?? []).map((event) => ({ ...event, outdated: event.outdated || event.atInMs <= now - longest }));
    const change = Math.abs(next - previous);
    const reuse = events.findIndex((event) => event.outdated);
    if (reuse >= 0) events[reuse] = { change, atInMs: now, outdated: false };
    else events.push({ change, atInMs: now, outdated: false });
    map.set(key, events);
  }

  private initScaleDownWindow(input: NormalizationInput): void {
    if (!this.recommendations.has(input.key)) {
      this.recommendations.set(input.key, [{ replicas: input.currentReplicas, atInMs: this.now() }]);
    }
  }

  private stabilize(input: NormalizationInput): { replicas: number; reason: string; message: string } {
    const now = this.now();
    const up = input.desiredReplicas >= input.currentReplicas;
    const delay = (up ? input.scaleUp : input.scaleDown).stabilizationWindowSeconds * 1000;
    const better = up ? Math.min : Math.max;
    const reason = up ? 'ScaleUpStabilized' : 'ScaleDownStabilized';
    const message = up
      ? 'recent recommendations were lower than current one, applying the lowest recent recommendation'
      : 'recent recommendations were higher than current one, applying the highest recent recommendation';
    const obsoleteCutoff = now - Math.max(input.scaleUp.stabilizationWindowSeconds, input.scaleDown.stabilizationWindowSeconds) * 1000;
    const cutoff = now - delay;
    const list = this.recommendations.get(input.key) ?? [];
    let recommendation = input.desiredReplicas;
    let oldIndex = -1;
    list.forEach((entry, index) => {
      if (entry.atInMs > cutoff) recommendation = better(entry.replicas, recommendation);
      if (entry.atInMs < obsoleteCutoff) oldIndex = index;
    });
    const entry = { replicas: input.desiredReplicas, atInMs: now };
    if (oldIndex >= 0) list[oldIndex] = entry;
    else list.push(entry);
    this.recommendations.set(input.key, list);
    return { replicas: recommendation, reason, message };
  }

  private changeInPeriod(events: readonly ScaleEvent[] | undefined, periodSeconds: number): number {
    const cutoff = this.now() - periodSeconds * 1000;
    return (events ?? []).filter((event) => event.atInMs > cutoff).reduce((total, event) => total + event.change, 0);
  }

  private applyRate(input: NormalizationInput): { replicas: number; reason: string; message: string } {
    const up = this.upEvents.get(input.key);
    const down = this.downEvents.get(input.key);
    if (input.desiredReplicas > input.currentReplicas) {
      let limit = this.scaleUpLimit(input.currentReplicas, up, down, input.scaleUp);
      if (limit < input.currentReplicas) limit = input.currentReplicas;
      let maximum = input.maxReplicas;
      let reason = 'TooManyReplicas';
      let message = 'the desired replica count is more than the maximum replica count';
      if (maximum > limit) {
        maximum = limit;
        reason = 'ScaleUpLimit';
        message = 'the desired replica count is increasing faster than the maximum scale rate';
      }
      if (input.desiredReplicas > maximum) return { replicas: maximum, reason, message };
    } else if (input.desiredReplicas < input.currentReplicas) {
      let limit = this.scaleDownLimit(input.currentReplicas, up, down, input.scaleDown);
      if (limit > input.currentReplicas) limit = input.currentReplicas;
      let minimum = input.minReplicas;
      let reason = 'TooFewReplicas';
      let message = 'the desired replica count is less than the minimum replica count';
      if (minimum < limit) {
        minimum = limit;
        reason = 'ScaleDownLimit';
        message = 'the desired replica count is decreasing faster than the maximum scale rate';
      }
      if (input.desiredReplicas < minimum) return { replicas: minimum, reason, message };
    }
    return { replicas: input.desiredReplicas, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
  }

  private scaleUpLimit(current: number, up: ScaleEvent[] | undefined, down: ScaleEvent[] | undefined, rules: ResolvedRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
    let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
    for (const policy of rules.policies) {
      const start = current - this.changeInPeriod(up, policy.periodSeconds) + this.changeInPeriod(down, policy.periodSeconds);
      const proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }

  private scaleDownLimit(current: number, up: ScaleEvent[] | undefined, down: ScaleEvent[] | undefined, rules: ResolvedRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
    let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
    for (const policy of rules.policies) {
      const start = current - this.changeInPeriod(up, policy.periodSeconds) + this.changeInPeriod(down, policy.periodSeconds);
      const proposed = policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }
}
