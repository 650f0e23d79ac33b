import { type ProbeAnswer, type Preset, isRecord } from './types';

/**
 * TorchServe's refusal of a missing, wrong or expired token: every request on the inference port,
 * /ping included, answers 400 {"code": 400, "type": "InvalidKeyException", "message": "Token
 * Authorization failed. ..."} (TokenAuthorizationHandler), not 401. Returns what it said.
 */
export function torchServeTokenRefusal(answer: ProbeAnswer): string | undefined {
  if (answer.status !== 400 || !isRecord(answer.json) || answer.json.type !== 'InvalidKeyException') return undefined;
  return typeof answer.json.message === 'string' ? `InvalidKeyException: ${answer.json.message.slice(0, 200)}` : 'InvalidKeyException';
}

/** TorchServe's inference API (port 8080 by default). */
export const torchServe: Preset = {
  protocol: 'torchServe',
  title: 'TorchServe',
  modelName: 'required',
  readiness: () => [
    {
      name: 'healthy',
      scope: 'server',
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
  authRefusal: torchServeTokenRefusal,
  authHint:
    "TorchServe (0.11.1 and later) turns token authorization on by default: set authentication to 'bearerToken' with the inference key from key_file.json " +
    "(keys expire after token_expiration_min, 60 minutes by default), or start TorchServe with --disable-token-auth.",
};
