// A tiny HTTP client for the example server tests.
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export async function call(baseUrl: string, method: string, path: string, body?: unknown, timeoutInMs = 10_000): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    signal: AbortSignal.timeout(timeoutInMs),
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export const IRIS_SAMPLES = {
  name: 'input',
  shape: [3, 4],
  datatype: 'FP32',
  // rows 1, 51 and 101 of the dataset: setosa, versicolor, virginica
  data: [[5.1, 3.5, 1.4, 0.2], [7.0, 3.2, 4.7, 1.4], [6.3, 3.3, 6.0, 2.5]],
} as const;
