import { torchServeTokenRefusal } from './presets/torchserve';
import { type ModelContext, type ProbeAnswer, type ProbeRequest, type Protocol, isRecord } from './presets/types';
import { isKserveV1ModelList, isOpenAiModelList, V1_MODELS } from './presets/v1-model-lists';

/**
 * `protocol: auto`. Each round sends these probes and reads the answers in a fixed order; the first
 * rule whose answer has the protocol's own shape wins (a status alone never decides, because many
 * servers answer 200 to any path):
 *   1. GET /v2               Open Inference Protocol server metadata {"name", "version", ...}
 *   2. GET /v1/models        {"object": "list", "data": [...]}  -> OpenAI-compatible
 *                            503 {"error": {"type": ...}}       -> OpenAI-compatible, loading (llama.cpp)
 *   3. GET /v1/models        {"models": [...]}                  -> KServe V1
 *   4. GET /v1/models/{m}    {"model_version_status": [...]}    -> TensorFlow Serving
 *                            {"ready": true|false}              -> KServe V1   (only with a model name)
 *   5. GET /ping             {"status": "..."}                  -> TorchServe
 *                            400 {"type": "InvalidKeyException"} -> TorchServe, token authorization on
 *                            200 with any other body            -> MLflow
 *   6. GET /                 200 "Healthy"                      -> Azure ML inference server
 * When no rule matches, the round is repeated with backoff until the readiness deadline (a server
 * that is still starting often answers nothing or 503); `http` is never guessed.
 */
export type ProbeId = 'oipServer' | 'v1Models' | 'v1Model' | 'ping' | 'root';

export interface DetectionProbe {
  readonly id: ProbeId;
  readonly request: ProbeRequest;
}

export type ProbeOutcome = { readonly answer: ProbeAnswer } | { readonly error: string };

export type Detection =
  | { readonly protocol: Protocol; readonly evidence: string }
  | { readonly protocol: undefined; readonly reachable: boolean; readonly summary: string };

export function detectionProbes(model: ModelContext): DetectionProbe[] {
  return [
    { id: 'oipServer', request: { method: 'GET', path: '/v2' } },
    { id: 'v1Models', request: V1_MODELS },
    ...(model.modelName === undefined
      ? []
      : [{ id: 'v1Model' as const, request: { method: 'GET' as const, path: `/v1/models/${encodeURIComponent(model.modelName)}` } }]),
    { id: 'ping', request: { method: 'GET', path: '/ping' } },
    { id: 'root', request: { method: 'GET', path: '/' } },
  ];
}

export function detectProtocol(probes: readonly DetectionProbe[], outcomes: ReadonlyMap<ProbeId, ProbeOutcome>): Detection {
  const answer = (id: ProbeId): ProbeAnswer | undefined => {
    const outcome = outcomes.get(id);
    return outcome !== undefined && 'answer' in outcome ? outcome.answer : undefined;
  };
  const oip = answer('oipServer');
  if (oip?.status === 200 && isRecord(oip.json) && typeof oip.json.name === 'string' && typeof oip.json.version === 'string') {
    return { protocol: 'openInference', evidence: 'GET /v2 answered Open Inference Protocol server metadata' };
  }
  const models = answer('v1Models');
  if (models?.status === 200 && isRecord(models.json)) {
    if (isOpenAiModelList(models.json) && models.json.object === 'list') {
      return { protocol: 'openai', evidence: 'GET /v1/models answered an OpenAI model list' };
    }
    if (isKserveV1ModelList(models.json)) return { protocol: 'kserveV1', evidence: 'GET /v1/models answered a KServe V1 model list' };
  }
  if (models?.status === 503 && isRecord(models.json) && isRecord(models.json.error) && typeof models.json.error.type === 'string') {
    return { protocol: 'openai', evidence: 'GET /v1/models answered an OpenAI-style error while loading (503)' };
  }
  const model = answer('v1Model');
  if (model !== undefined && isRecord(model.json)) {
    if (Array.isArray(model.json.model_version_status)) {
      return { protocol: 'tfServing', evidence: 'GET /v1/models/{model} answered a TensorFlow Serving model status' };
    }
    if (typeof model.json.ready === 'boolean') return { protocol: 'kserveV1', evidence: 'GET /v1/models/{model} answered a KServe V1 model status' };
  }
  const ping = answer('ping');
  if (ping !== undefined && isRecord(ping.json) && typeof ping.json.status === 'string') {
    return { protocol: 'torchServe', evidence: `GET /ping answered a TorchServe status ('${ping.json.status}')` };
  }
  if (ping !== undefined && torchServeTokenRefusal(ping) !== undefined) {
    return { protocol: 'torchServe', evidence: "GET /ping answered TorchServe's InvalidKeyException (token authorization is on)" };
  }
  if (ping?.status === 200) return { protocol: 'mlflow', evidence: 'GET /ping answered 200 (MLflow scoring server)' };
  const root = answer('root');
  if (root?.status === 200 && root.bodyText.trim().replace(/^"|"$/g, '').toLowerCase() === 'healthy') {
    return { protocol: 'azureml', evidence: "GET / answered 'Healthy' (Azure ML inference server)" };
  }
  const reachable = probes.some((probe) => answer(probe.id) !== undefined);
  const summary = probes
    .map((probe) => {
      const outcome = outcomes.get(probe.id);
      const text = outcome === undefined ? 'not sent' : 'answer' in outcome ? String(outcome.answer.status) : outcome.error;
      return `${probe.request.method} ${probe.request.path} -> ${text}`;
    })
    .join('; ');
  return { protocol: undefined, reachable, summary };
}
