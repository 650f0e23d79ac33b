import { evaluateAssertion } from './assertions/evaluate';
import { CLASS, type Check, type RequestCounts } from './checks';
import { describeStatus } from './classify';
import { isSuccessStatus } from './expectation';
import type { PlannedAssertion } from './plan';
import type { ProbeAnswer } from './presets/types';
import { answerBody } from './session';

/**
 * How one inference answer fared: its status, and which assertions (by index) did not hold.
 * `modelAnswer`: a 2xx, the only answers the protocol's own assertions are checked on.
 */
export interface AnswerVerdict {
  readonly statusOk: boolean;
  readonly modelAnswer: boolean;
  readonly failedAssertions: ReadonlyArray<{ readonly index: number; readonly detail: string }>;
}

/** The user's assertions hold for every answer with an expected status (error answers too); the protocol's for 2xx answers only. */
export function judgeAnswer(answer: ProbeAnswer, expectedStatus: readonly number[], assertions: readonly PlannedAssertion[]): AnswerVerdict {
  const modelAnswer = isSuccessStatus(answer.status);
  if (!expectedStatus.includes(answer.status)) return { statusOk: false, modelAnswer, failedAssertions: [] };
  const body = answerBody(answer);
  const failedAssertions = assertions.flatMap(({ assertion, origin }, index) => {
    if (origin === 'protocol' && !modelAnswer) return [];
    const outcome = evaluateAssertion(assertion, body);
    return outcome.ok ? [] : [{ index, detail: outcome.detail }];
  });
  return { statusOk: true, modelAnswer, failedAssertions };
}

/** One measured request: a latency and verdict when it was answered, the error otherwise. */
export type RequestRecord =
  | { readonly answered: true; readonly status: number; readonly latencyInMs: number; readonly verdict: AnswerVerdict }
  | { readonly answered: false; readonly error: string; readonly message?: string };

export function isSuccess(record: RequestRecord): boolean {
  return record.answered && record.verdict.statusOk && record.verdict.failedAssertions.length === 0;
}

/** Errors for the error-rate gate: no answer, or an unexpected status. Wrong answers fail their assertion instead. */
export function requestCounts(records: readonly RequestRecord[]): RequestCounts {
  return { total: records.length, errors: records.filter((record) => !record.answered || !record.verdict.statusOk).length };
}

export function latenciesOf(records: readonly RequestRecord[]): number[] {
  return records.flatMap((record) => (record.answered ? [record.latencyInMs] : []));
}

export function successRate(records: readonly RequestRecord[]): number {
  return records.length === 0 ? 0 : records.filter(isSuccess).length / records.length;
}

/** The most frequent failure reasons, for messages: "3 x 503 Service Unavailable, 1 x ECONNRESET". */
export function errorBreakdown(records: readonly RequestRecord[]): string {
  const counts = new Map<string, number>();
  for (const record of records) {
    const reason = !record.answered ? record.error : !record.verdict.statusOk ? describeStatus(record.status) : undefined;
    if (reason !== undefined) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${count} x ${reason}`)
    .join(', ');
}

/**
 * One check per assertion, over the canary answer and every measured answer with the expected status.
 * A wrong answer is never tolerated: one failure fails the assertion.
 */
export function assertionChecks(assertions: readonly PlannedAssertion[], canary: AnswerVerdict | undefined, records: readonly RequestRecord[]): Check[] {
  const verdicts = [...(canary === undefined ? [] : [canary]), ...records.flatMap((record) => (record.answered ? [record.verdict] : []))].filter(
    (verdict) => verdict.statusOk,
  );
  return assertions.map(({ assertion, origin }, index) => {
    const name = origin === 'protocol' ? `${assertion.source} (protocol)` : assertion.source;
    const checked = origin === 'protocol' ? verdicts.filter((verdict) => verdict.modelAnswer) : verdicts;
    if (checked.length === 0) {
      const message = verdicts.length === 0 ? 'no answer with the expected status to check' : 'no 2xx answer to check (the protocol\'s assertions hold for 2xx answers only)';
      return { classname: CLASS.assertions, name, status: 'skipped', durationInMs: 0, message } satisfies Check;
    }
    const failures = checked.flatMap((verdict) => verdict.failedAssertions.filter((failure) => failure.index === index));
    const first = failures[0];
    if (first === undefined) {
      return { classname: CLASS.assertions, name, status: 'passed', durationInMs: 0, output: `held on ${checked.length} of ${checked.length} answers` } satisfies Check;
    }
    return {
      classname: CLASS.assertions,
      name,
      status: 'failed',
      durationInMs: 0,
      failureType: 'AssertionFailed',
      message: `'${assertion.source}' did not hold on ${failures.length} of ${checked.length} answers: ${first.detail}`,
    } satisfies Check;
  });
}
