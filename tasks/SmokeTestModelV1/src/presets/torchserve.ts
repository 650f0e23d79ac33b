import { type Preset, isRecord } from './types';

/** TorchServe's inference API (port 8080 by default). */
export const torchServe: Preset = {
  protocol: 'torchServe',
  title: 'TorchServe',
  modelName: 'required',
  readiness: () => [
    {
      name: 'healthy',
      requests: [{ method: 'GET', path: '/ping' }],
      judge: (answer) => {
        const status = isRecord(answer.json) && typeof answer.json.status === 'string' ? answer.json.status : undefined;
        if (status === 'Healthy') return { state: 'ready' };
        if (status !== undefined) return { state: 'notReady', reason: `the server says '${status}'` };
        return answer.status === 200 ? { state: 'notReady', reason: 'the server did not say {"status": "Healthy"}' } : undefined;
      },
    },
  ],
  inference: (model) => ({
    method: 'POST',
    path: `/predictions/${encodeURIComponent(model.modelName ?? '')}${model.modelVersion === undefined ? '' : `/${encodeURIComponent(model.modelVersion)}`}`,
  }),
  bodyExample: 'the raw input your handler expects, e.g. {"data": [1, 2, 3]} in requestBody or an image in requestBodyFile',
  protocolAssertions: () => [],
  authHint:
    "TorchServe turns token authorization on by default (0.11 and later): set authentication to 'bearerToken' with the inference key from key_file.json, or start TorchServe with --disable-token-auth.",
};
