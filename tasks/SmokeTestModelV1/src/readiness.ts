import { classifyAnswer, classifyTransportError, describeStatus, describeTransportError, judgeRefusal, refusalOf } from './classify';
import { detectionProbes, detectProtocol, type ProbeId, type ProbeOutcome } from './detect';
import { chooseModel, checkAgainstProtocol, inferenceRequest, metadataRequest, presetOf, readinessLayers, type InferenceRequest } from './plan';
import { type Attempt, pollUntilReady, type StageResult } from './poll';
import type { Judgement, ModelContext, Preset, ProbeAnswer, ProbeRequest, Protocol, ReadinessLayer } from './presets/types';
import { notJsonReason, probe, type Outcome, type Session } from './session';

/** Everything known once the model is ready: the protocol, the model, and the request to send. */
export interface Target {
  readonly protocol: Protocol;
  readonly preset: Preset;
  readonly model: ModelContext;
  readonly detection?: string;
  readonly request: InferenceRequest;
}

/** Readiness in layers under one deadline: detect (auto), find the model, each readiness layer, metadata. */
export async function prepareTarget(session: Session): Promise<StageResult<Target>> {
  const { inputs, log } = session;
  let protocol: Protocol;
  let detection: string | undefined;
  if (inputs.protocol === 'auto') {
    log.info('Detecting the protocol (protocol: auto)...');
    const detected = await detect(session);
    if (!detected.ok) return detected;
    protocol = detected.value.protocol;
    detection = detected.value.evidence;
    log.info(`  Detected ${presetOf(inputs, protocol).title}: ${detection}.`);
    checkAgainstProtocol(inputs, protocol);
  } else {
    protocol = inputs.protocol;
  }
  const preset = presetOf(inputs, protocol);
  let model = inputs.model;
  // Whether the server is known to be up: then a model list that is not there (404) never will be.
  let serverUp = detection !== undefined;
  const waited = new Set<string>();
  if (preset.modelName === 'discoverable' && model.modelName === undefined) {
    // Server-wide layers name no model: wait for them before asking the server for its models.
    for (const layer of readinessLayers(inputs, preset, model).filter((candidate) => candidate.scope === 'server')) {
      const ready = await waitForLayer(session, preset, layer);
      if (!ready.ok) return ready;
      waited.add(layer.name);
      serverUp = true;
    }
    const found = await discoverModel(session, preset, true, serverUp);
    if (!found.ok) return found;
    model = { ...model, modelName: found.value };
  }
  for (const layer of readinessLayers(inputs, preset, model).filter((candidate) => !waited.has(candidate.name))) {
    const ready = await waitForLayer(session, preset, layer);
    if (!ready.ok) return ready;
  }
  if (preset.modelName === 'optional' && model.modelName === undefined && preset.discovery !== undefined) {
    const found = await discoverModel(session, preset, false, true);
    if (found.ok) model = { ...model, modelName: found.value };
  }
  const metadata = metadataRequest(inputs, preset, model);
  let metadataJson: unknown;
  if (metadata !== undefined) {
    const fetched = await fetchJson(session, preset, metadata, 'model metadata');
    if (!fetched.ok) return fetched.timedOut ? fetched : { ...fetched, message: `${fetched.message}. Set 'requestBody' (a request is built from the model's metadata only when no body is given).` };
    metadataJson = fetched.value;
  }
  const request = inferenceRequest(inputs, preset, model, metadataJson);
  if (request.origin !== 'input') log.info(`  No request body given: built a ${request.origin === 'metadata' ? "request from the model's metadata" : `default ${preset.title} request`}.`);
  return { ok: true, attempts: 1, value: { protocol, preset, model, request, ...(detection === undefined ? {} : { detection }) } };
}

function describe(request: ProbeRequest): string {
  return `${request.method} ${request.path}`;
}

function judgeOutcome(session: Session, outcome: Outcome, preset: Preset, judge?: (answer: ProbeAnswer) => Judgement | undefined): Judgement {
  if ('error' in outcome) return classifyTransportError(outcome.error.code, outcome.error.message);
  return classifyAnswer(outcome.answer, {
    stage: 'readiness',
    expected: session.inputs.expectedStatus,
    ...(judge === undefined ? {} : { judge }),
    ...(preset.authRefusal === undefined ? {} : { authRefusal: preset.authRefusal }),
    authHint: preset.authHint,
    nowInMs: session.clock.now(),
  });
}

async function detect(session: Session): Promise<StageResult<{ protocol: Protocol; evidence: string }>> {
  const probes = detectionProbes(session.inputs.model);
  const expected = session.inputs.expectedStatus;
  return pollUntilReady(session, 'protocol detection', async () => {
    const outcomes = new Map<ProbeId, ProbeOutcome>();
    let refusedAsExpected: string | undefined;
    for (const { id, request } of probes) {
      const outcome = await probe(session, request);
      outcomes.set(id, 'error' in outcome ? { error: describeTransportError(outcome.error.code) } : { answer: outcome.answer });
      const refusal = 'answer' in outcome ? refusalOf(outcome.answer) : undefined;
      if (refusal === undefined) continue;
      const judgement = judgeRefusal(refusal, expected, 'Check the authentication inputs.');
      if (judgement.state !== 'ready') return { judgement: { state: 'failed', reason: `${describe(request)}: ${judgement.reason}` } };
      refusedAsExpected ??= `${describe(request)} answered ${describeStatus(refusal.status)}`;
    }
    const detection = detectProtocol(probes, outcomes);
    if (detection.protocol !== undefined) return { judgement: { state: 'ready' }, value: { protocol: detection.protocol, evidence: detection.evidence } };
    if (refusedAsExpected !== undefined) {
      // The server is up and refuses as expected, but a refusal tells no protocol: retrying would only burn the deadline.
      return {
        judgement: {
          state: 'failed',
          reason: `the server refuses the credentials, as expected (${refusedAsExpected}), so its protocol cannot be detected (${detection.summary}): set 'protocol'`,
        },
      };
    }
    const reason = detection.reachable
      ? `no probe answered in a known protocol's shape (${detection.summary}); if the server is up, set 'protocol'`
      : `the server is not reachable (${detection.summary})`;
    return { judgement: { state: 'notReady', reason } };
  });
}

async function waitForLayer(session: Session, preset: Preset, layer: ReadinessLayer): Promise<StageResult<void>> {
  let alternative = 0;
  const label = (): string => `${layer.name} (${describe(layer.requests[alternative] ?? layer.requests[0] as ProbeRequest)})`;
  session.log.info(`Waiting for ${label()}...`);
  const result = await pollUntilReady(session, label, async (): Promise<Attempt<void>> => {
    for (;;) {
      const request = layer.requests[alternative] as ProbeRequest;
      const outcome = await probe(session, request);
      if ('answer' in outcome && outcome.answer.status === 404 && alternative < layer.requests.length - 1) {
        session.log.debug(`${describe(request)} answered 404: trying ${describe(layer.requests[alternative + 1] as ProbeRequest)} instead.`);
        alternative += 1;
        continue;
      }
      return { judgement: judgeOutcome(session, outcome, preset, (answer) => layer.judge(answer)) };
    }
  });
  if (result.ok) session.log.info(`  Ready: ${label()}${result.attempts > 1 ? ` after ${result.attempts} attempts` : ''}${result.note === undefined ? '' : `: ${result.note}`}.`);
  return result;
}

/** Statuses that say a server which is up does not offer a request at all. */
const NOT_OFFERED = new Set([404, 405, 501]);

async function discoverModel(session: Session, preset: Preset, required: boolean, serverUp: boolean): Promise<StageResult<string>> {
  const discovery = preset.discovery;
  if (discovery === undefined) return { ok: false, timedOut: false, message: `Input 'modelName' is required for the ${preset.title} protocol.` };
  const notOffered = serverUp ? (status: number): string | undefined => (NOT_OFFERED.has(status) ? `the server does not list its models (answered ${describeStatus(status)})` : undefined) : undefined;
  const listed = await fetchJson(session, preset, discovery.request, 'model list', required, notOffered);
  if (!listed.ok) {
    return required ? { ok: false, timedOut: listed.timedOut, message: `${listed.message}. Set 'modelName'.` } : listed;
  }
  const chosen = chooseModel(discovery.names(listed.value));
  if (chosen === undefined) return { ok: false, timedOut: false, message: `${describe(discovery.request)} listed no model. Set 'modelName'.` };
  session.log.info(`  Model: '${chosen.name}' (from ${describe(discovery.request)}${chosen.note === undefined ? '' : `; ${chosen.note}`}).`);
  return { ok: true, value: chosen.name, attempts: 1 };
}

/**
 * GETs (or POSTs) a JSON document, retrying what readiness retries; `retried` false: a single attempt.
 * `notOffered` reads a status that means the server will never answer this request.
 */
async function fetchJson(
  session: Session, preset: Preset, request: ProbeRequest, what: string, retried = true, notOffered?: (status: number) => string | undefined,
): Promise<StageResult<unknown>> {
  return pollUntilReady(session, `${what} (${describe(request)})`, async (): Promise<Attempt<unknown>> => {
    const outcome = await probe(session, request);
    const missing = 'answer' in outcome ? notOffered?.(outcome.answer.status) : undefined;
    if (missing !== undefined) return { judgement: { state: 'failed', reason: missing } };
    const judgement = judgeOutcome(session, outcome, preset);
    if (judgement.state === 'ready' && 'answer' in outcome) {
      // An expected refusal or error status: the server is up, but there is no document to read.
      if (judgement.note !== undefined) return { judgement: { state: 'failed', reason: `${judgement.note}, so there is no ${what} to read` } };
      if (!('json' in outcome.answer)) return { judgement: { state: 'failed', reason: notJsonReason(outcome.answer) } };
      return { judgement, value: outcome.answer.json };
    }
    return { judgement: !retried && judgement.state === 'notReady' ? { state: 'failed', reason: judgement.reason } : judgement };
  });
}
