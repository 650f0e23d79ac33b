import { type ModelContext, type Preset, isRecord } from './types';
import { kserveV1ModelList } from './v1-model-lists';

function modelUrl(model: ModelContext): string {
  // The v1 protocol has no version in its paths.
  return `/v1/models/${encodeURIComponent(model.modelName ?? '')}`;
}

/** KServe's V1 protocol (also the KFServing and many custom predictors). */
export const kserveV1: Preset = {
  protocol: 'kserveV1',
  title: 'KServe V1',
  modelName: 'discoverable',
  discovery: kserveV1ModelList,
  readiness: (model) => [
    {
      name: 'model ready',
      requests: [{ method: 'GET', path: modelUrl(model) }],
      judge: (answer) => {
        if (answer.status !== 200) return undefined;
        if (isRecord(answer.json) && answer.json.ready === true) return { state: 'ready' };
        return { state: 'notReady', reason: "the model does not say {\"ready\": true} yet" };
      },
    },
  ],
  inference: (model) => ({ method: 'POST', path: `${modelUrl(model)}:predict` }),
  bodyExample: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}',
  protocolAssertions: () => ["$.predictions type == 'array'"],
  authHint: 'Check the authentication inputs: the server (or a gateway in front of it) refused the credentials.',
};
