import { type Preset, isRecord } from './types';

export const MLFLOW_INPUT_KEYS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;

/** MLflow's scoring server accepts exactly one of its four input formats. */
export function checkMlflowBody(body: unknown): string | undefined {
  const keys = isRecord(body) ? MLFLOW_INPUT_KEYS.filter((key) => key in body) : [];
  if (keys.length === 1) return undefined;
  const expected = MLFLOW_INPUT_KEYS.map((key) => `'${key}'`).join(', ');
  return keys.length === 0
    ? `an MLflow request must be a JSON object with one of ${expected}`
    : `an MLflow request must have exactly one of ${expected}; it has ${keys.map((key) => `'${key}'`).join(' and ')}`;
}

/** MLflow models served by `mlflow models serve` (and images built by `mlflow models build-docker`). */
export const mlflow: Preset = {
  protocol: 'mlflow',
  title: 'MLflow scoring server',
  modelName: 'unused',
  readiness: () => [{ name: 'healthy', scope: 'server', requests: [{ method: 'GET', path: '/ping' }, { method: 'GET', path: '/health' }], judge: () => undefined }],
  inference: () => ({ method: 'POST', path: '/invocations' }),
  checkBody: checkMlflowBody,
  bodyExample: '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2]]}}',
  protocolAssertions: () => ['$.predictions exists'],
  authHint: 'MLflow has no authentication of its own: a gateway in front of it refused the credentials. Check the authentication inputs.',
};
