/**
 * One real prediction from the deployed model, for the demo's closing lines: an Iris flower's
 * measurements sent over the Open Inference Protocol, the predicted species back.
 */
export const IRIS_SAMPLE = { measurements: [6.3, 3.3, 6.0, 2.5], label: 'sepal 6.3 x 3.3 cm, petal 6.0 x 2.5 cm' } as const;
export const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'] as const;

export interface Prediction {
  request: string;
  species: string;
  probability: number;
  latencyInMs: number;
}

interface InferResponse {
  outputs?: { name?: string; data?: unknown }[];
}

/** Reads the species and its probability out of an infer answer; undefined when the answer has another shape. */
export function readIrisAnswer(body: unknown): { species: string; probability: number } | undefined {
  const outputs = (body as InferResponse | undefined)?.outputs ?? [];
  const label = flatNumbers(outputs.find((output) => output.name === 'label')?.data)[0];
  const probabilities = flatNumbers(outputs.find((output) => output.name === 'probabilities')?.data);
  const species = label === undefined ? undefined : IRIS_CLASSES[label];
  if (label === undefined || species === undefined) return undefined;
  return { species, probability: probabilities[label] ?? Number.NaN };
}

function flatNumbers(data: unknown): number[] {
  if (!Array.isArray(data)) return [];
  return data.flat(3).filter((value): value is number => typeof value === 'number');
}

/** POSTs one sample to `<url>/v2/models/iris/infer`. Throws with what went wrong. */
export async function predictIris(url: string, timeoutInMs = 10_000): Promise<Prediction> {
  const endpoint = `${url.replace(/\/+$/, '')}/v2/models/iris/infer`;
  const startedAt = performance.now();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: IRIS_SAMPLE.measurements }] }),
    signal: AbortSignal.timeout(timeoutInMs),
  });
  const latencyInMs = performance.now() - startedAt;
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${endpoint} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
  const answer = readIrisAnswer(JSON.parse(text) as unknown);
  if (!answer) throw new Error(`POST ${endpoint} answered, but not with an Iris label: ${text.slice(0, 200)}`);
  return { request: `POST ${endpoint}`, ...answer, latencyInMs };
}
