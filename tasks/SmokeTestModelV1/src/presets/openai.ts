import type { Preset } from './types';
import { isOpenAiModelList, openAiModelList, V1_MODELS } from './v1-model-lists';

/** OpenAI-compatible servers: vLLM, llama.cpp server, Ollama, TGI's Messages API. */
export const openai: Preset = {
  protocol: 'openai',
  title: 'OpenAI-compatible',
  modelName: 'optional',
  discovery: openAiModelList,
  readiness: () => [
    {
      name: 'model loaded',
      scope: 'server',
      // vLLM and llama.cpp have /health (llama.cpp: 503 while loading); Ollama has only /v1/models.
      requests: [{ method: 'GET', path: '/health' }, V1_MODELS],
      judge: (answer) => {
        if (answer.status === 503) return { state: 'notReady', reason: 'the server is loading the model (503)' };
        if (answer.status === 200 && isOpenAiModelList(answer.json) && answer.json.data.length === 0) {
          return { state: 'notReady', reason: 'the server lists no model yet' };
        }
        return undefined;
      },
    },
  ],
  inference: () => ({ method: 'POST', path: '/v1/chat/completions' }),
  defaultBody: (model) => ({
    ok: true,
    body: {
      ...(model.modelName === undefined ? {} : { model: model.modelName }),
      messages: [{ role: 'user', content: 'Reply with the single word: ready' }],
      max_tokens: 16,
      temperature: 0,
    },
  }),
  bodyExample: '{"model": "my-model", "messages": [{"role": "user", "content": "Hello"}]}',
  protocolAssertions: () => ['$.choices length >= 1', '$.choices[0].message exists'],
  authHint: "OpenAI-compatible servers take 'Authorization: Bearer <key>' (vLLM --api-key, llama.cpp --api-key): set authentication to 'bearerToken'.",
};
