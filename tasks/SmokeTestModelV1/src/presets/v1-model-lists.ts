import { type ModelDiscovery, type ProbeRequest, isRecord } from './types';

/**
 * `GET /v1/models`: KServe V1 and OpenAI-compatible servers both list their models at this path, each in
 * its own shape. The one place that knows both shapes, for the presets' model discovery and for
 * protocol detection.
 */
export const V1_MODELS: ProbeRequest = { method: 'GET', path: '/v1/models' };

/** KServe V1: `{"models": ["iris", ...]}`. */
export function isKserveV1ModelList(json: unknown): json is { models: unknown[] } {
  return isRecord(json) && Array.isArray(json.models);
}

/** OpenAI-compatible: `{"object": "list", "data": [{"id": "tiny-llm", ...}]}` (some servers leave out `object`). */
export function isOpenAiModelList(json: unknown): json is { object?: unknown; data: unknown[] } {
  return isRecord(json) && Array.isArray(json.data);
}

export const kserveV1ModelList: ModelDiscovery = {
  request: V1_MODELS,
  names: (json) => (isKserveV1ModelList(json) ? json.models.filter((name): name is string => typeof name === 'string') : []),
};

export const openAiModelList: ModelDiscovery = {
  request: V1_MODELS,
  names: (json) => (isOpenAiModelList(json) ? json.data.flatMap((model) => (isRecord(model) && typeof model.id === 'string' ? [model.id] : [])) : []),
};
