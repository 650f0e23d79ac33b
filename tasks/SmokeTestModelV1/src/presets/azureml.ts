import type { Preset } from './types';

/** The Azure Machine Learning inference HTTP server (azureml-inference-server-http) and online endpoints. */
export const azureml: Preset = {
  protocol: 'azureml',
  title: 'Azure Machine Learning inference server',
  modelName: 'unused',
  readiness: () => [{ name: 'live', scope: 'server', requests: [{ method: 'GET', path: '/' }], judge: () => undefined }],
  inference: () => ({ method: 'POST', path: '/score' }),
  inferenceStatus: (status) => {
    if (status === 424) return { state: 'failed', reason: 'the model container failed to answer (424): see the deployment\'s container logs' };
    if (status === 429) return { state: 'notReady', reason: 'too many requests (429): backing off' };
    return undefined;
  },
  bodyExample: '{"data": [[1, 2, 3, 4]]} (whatever your score.py run() expects)',
  protocolAssertions: () => [],
  authHint:
    "Azure ML endpoints take 'Authorization: Bearer <key>': set authentication to 'bearerToken' with the endpoint key from a secret variable, or to 'entraId' with scope https://ml.azure.com/.default.",
};
