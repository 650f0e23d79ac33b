/** Starts one local Azure for a test file and stops it afterwards (also when a test fails). */
import { startLocalAzure, type LocalAzure, type StartLocalAzureOptions } from '../../emulator/index';

export function useLocalAzure(options: StartLocalAzureOptions = {}): () => LocalAzure {
  let azure: LocalAzure | undefined;
  before(async function () {
    this.timeout(60_000);
    azure = await startLocalAzure(options);
  });
  after(async function () {
    this.timeout(60_000);
    await azure?.stop();
  });
  return () => {
    if (!azure) throw new Error('The local Azure did not start; see the before-all hook failure.');
    return azure;
  };
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('Not a JWT.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`The seeded connection has no '${name}'.`);
  return value;
}

/** Asserts that `promise` rejects, and returns the error for further checks. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`Rejected with a non-error: ${String(error)}`);
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}
