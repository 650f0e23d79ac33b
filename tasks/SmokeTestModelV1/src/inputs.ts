/** Reads and validates every input in one place (names in input-names.ts, types in input-types.ts). */
import * as fs from 'node:fs';
import { InputError, invalidInput, messageOf, missingInput } from '../../common/errors';
import { type InputContext, InputReader, type InputSource } from '../../common/input-reader';
import { parseAssertion, type Assertion } from './assertions/parse';
import { CHAINED_VARIABLE } from '../../common/chained-variables';
import { AUTHENTICATIONS, DEFAULT_ENTRA_SCOPE, HTTP_METHODS, INPUT, type InputName } from './input-names';
import type { Authentication, RequestBody, SmokeTestInputs } from './input-types';
import { checkSecret, contentTypeOf, parseHeaders, parsePath, parseRate, parseStatuses, parseTargetUrl } from './input-values';
import { checkExpectedStatuses } from './expectation';
import { checkAgainstProtocol } from './plan';
import { PROTOCOLS, type ProtocolChoice } from './presets/types';

export { AUTHENTICATIONS, DEFAULT_ENTRA_SCOPE, HTTP_METHODS, INPUT, type InputName } from './input-names';
export type { Authentication, RequestBody, SmokeTestInputs } from './input-types';

/** File access for filePath inputs (the agent sets a blank filePath input to the sources folder). */
export interface InputFiles {
  isDirectory(path: string): boolean;
  read(path: string): Buffer;
}

export const nodeInputFiles: InputFiles = {
  isDirectory: (path) => fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false,
  read: (path) => fs.readFileSync(path),
};

/** What readInputs gets beside the raw inputs. */
export interface SmokeInputContext extends InputContext {
  /** The value of AiModelDeploy.ModelUrl, set by a deploy task earlier in the job. */
  readonly modelUrlFromEarlierStep?: string;
  /** Default: the agent's file system. */
  readonly files?: InputFiles;
}

/** Reads and validates every input; throws an InputError before any request. Secret inputs are masked as they are read. */
export function readInputs(source: InputSource, context: SmokeInputContext): SmokeTestInputs {
  const reader = new InputReader<InputName>(source, context);
  const files = context.files ?? nodeInputFiles;
  const urlInput = reader.string(INPUT.url);
  const urlText = urlInput ?? context.modelUrlFromEarlierStep?.trim();
  if (urlText === undefined || urlText === '') {
    throw missingInput(INPUT.url, `Give the model's base URL, or run DeployToAci earlier in the same job (it sets the variable ${CHAINED_VARIABLE.modelUrl}).`);
  }
  const protocol = reader.enumValue<ProtocolChoice>(INPUT.protocol, ['auto', ...PROTOCOLS], 'auto');
  const modelName = reader.string(INPUT.modelName);
  const modelVersion = reader.string(INPUT.modelVersion);
  const readinessPath = optional(reader.string(INPUT.readinessPath), (value) => parsePath(INPUT.readinessPath, value));
  const method = reader.enumValue(INPUT.method, HTTP_METHODS, 'POST');
  const requestPath = parsePath(INPUT.requestPath, reader.string(INPUT.requestPath) ?? '/');
  const body = readBody(reader, files, protocol);
  if (body !== undefined && (method === 'GET' || method === 'HEAD') && protocol === 'http') {
    throw new InputError(INPUT.method, `Input '${INPUT.method}' is ${method}, which sends no body, but a request body is set. Use POST or clear the body.`);
  }
  const headers = parseHeaders(INPUT.headers, reader.lines(INPUT.headers));
  const authentication = readAuthentication(reader);
  if (authentication.kind !== 'none' && headers.some((header) => header.name.toLowerCase() === 'authorization')) {
    throw new InputError(INPUT.headers, `Input '${INPUT.headers}' sets Authorization while 'authentication' is '${authentication.kind}'; use one or the other.`);
  }
  const requests = reader.integer(INPUT.requests, { min: 1, max: 100_000 }, 10);
  const concurrency = reader.integer(INPUT.concurrency, { min: 1, max: 1000 }, 1);
  if (concurrency > requests) {
    throw new InputError(INPUT.concurrency, `Input '${INPUT.concurrency}' (${concurrency}) must not be more than 'requests' (${requests}).`);
  }
  const latency = { min: 0, max: 3_600_000 };
  const expectedStatus = parseStatuses(INPUT.expectedStatus, reader.string(INPUT.expectedStatus) ?? '200');
  checkExpectedStatuses(INPUT.expectedStatus, expectedStatus);
  const inputs: SmokeTestInputs = {
    url: parseTargetUrl(INPUT.url, urlText),
    urlSource: urlInput === undefined ? 'earlierStep' : 'input',
    protocol,
    model: { ...(modelName === undefined ? {} : { modelName }), ...(modelVersion === undefined ? {} : { modelVersion }) },
    ...(readinessPath === undefined ? {} : { readinessPath }),
    method,
    requestPath,
    ...(body === undefined ? {} : { body }),
    headers,
    authentication,
    expectedStatus,
    assertions: readAssertions(reader),
    readinessTimeoutInMs: reader.integer(INPUT.readinessTimeoutInSeconds, { min: 1, max: 86_400 }, 600) * 1000,
    timeoutInMs: Math.round(reader.number(INPUT.timeoutInMinutes, { min: 0.25, max: 1440 }, 20) * 60_000),
    warmupRequests: reader.integer(INPUT.warmupRequests, { min: 0, max: 1000 }, 1),
    requests,
    concurrency,
    gates: {
      ...optionalKey('maxLatencyP50Ms', reader.number(INPUT.maxLatencyP50Ms, latency)),
      ...optionalKey('maxLatencyP95Ms', reader.number(INPUT.maxLatencyP95Ms, latency)),
      ...optionalKey('maxLatencyP99Ms', reader.number(INPUT.maxLatencyP99Ms, latency)),
      maxErrorRate: parseRate(INPUT.maxErrorRate, reader.string(INPUT.maxErrorRate) ?? '0'),
    },
    ...optionalKey('caCertificatePem', readCaCertificate(reader, files)),
    publishTestResults: reader.boolean(INPUT.publishTestResults, true),
    ...optionalKey('testRunTitle', reader.string(INPUT.testRunTitle)),
  };
  if (protocol !== 'auto') checkAgainstProtocol(inputs, protocol);
  return inputs;
}

function optional<T>(value: string | undefined, parse: (value: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

function optionalKey<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function filePath(reader: InputReader<InputName>, files: InputFiles, name: InputName): string | undefined {
  const path = reader.string(name);
  return path === undefined || files.isDirectory(path) ? undefined : path;
}

function readFile(files: InputFiles, name: InputName, path: string): Buffer {
  try {
    return files.read(path);
  } catch (error) {
    throw new InputError(name, `Input '${name}' names the file '${path}', which could not be read: ${messageOf(error)}`);
  }
}

function readBody(reader: InputReader<InputName>, files: InputFiles, protocol: ProtocolChoice): RequestBody | undefined {
  const inline = reader.raw(INPUT.requestBody);
  const path = filePath(reader, files, INPUT.requestBodyFile);
  if (inline !== undefined && path !== undefined) {
    throw new InputError(INPUT.requestBody, `Inputs '${INPUT.requestBody}' and '${INPUT.requestBodyFile}' are both set; give the request body in only one of them.`);
  }
  const rawAllowed = protocol === 'http' || protocol === 'torchServe' || protocol === 'auto';
  if (inline !== undefined) return jsonOrRaw(INPUT.requestBody, Buffer.from(inline, 'utf8'), 'text/plain; charset=utf-8', rawAllowed);
  if (path === undefined) return undefined;
  const bytes = readFile(files, INPUT.requestBodyFile, path);
  const contentType = contentTypeOf(path);
  return jsonOrRaw(INPUT.requestBodyFile, bytes, contentType, rawAllowed && contentType !== 'application/json');
}

function jsonOrRaw(input: InputName, bytes: Buffer, contentType: string, rawAllowed: boolean): RequestBody {
  try {
    return { kind: 'json', value: JSON.parse(bytes.toString('utf8')) as unknown, input };
  } catch (error) {
    if (rawAllowed) return { kind: 'raw', bytes, contentType, input };
    throw new InputError(input, `Input '${input}' must be JSON for this protocol: ${messageOf(error)}.`);
  }
}

function readAuthentication(reader: InputReader<InputName>): Authentication {
  const kind = reader.enumValue(INPUT.authentication, AUTHENTICATIONS, 'none');
  const secretHint = (name: string): string => `Map it from a secret variable, e.g. '${name}: $(endpointKey)'.`;
  switch (kind) {
    case 'none':
      return { kind };
    case 'bearerToken':
      return { kind, token: checkSecret(INPUT.bearerToken, reader.requiredSecret(INPUT.bearerToken, secretHint(INPUT.bearerToken))) };
    case 'apiKey': {
      const header = reader.string(INPUT.apiKeyHeader) ?? 'api-key';
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) throw invalidInput(INPUT.apiKeyHeader, "an HTTP header name such as 'api-key'", header);
      return { kind, header, key: checkSecret(INPUT.apiKey, reader.requiredSecret(INPUT.apiKey, secretHint(INPUT.apiKey))) };
    }
    case 'entraId':
      return {
        kind,
        connectionId: reader.required(INPUT.azureSubscription, "Choose an Azure Resource Manager service connection for the Entra ID token."),
        scope: reader.string(INPUT.entraScope) ?? DEFAULT_ENTRA_SCOPE,
      };
  }
}

function readAssertions(reader: InputReader<InputName>): Assertion[] {
  return reader.lines(INPUT.assertions).map((line, index) => {
    try {
      return parseAssertion(line);
    } catch (error) {
      throw new InputError(INPUT.assertions, `Input '${INPUT.assertions}', assertion ${index + 1} ('${line.slice(0, 120)}'): ${messageOf(error)}. See ASSERTIONS.md for the syntax.`);
    }
  });
}

function readCaCertificate(reader: InputReader<InputName>, files: InputFiles): string | undefined {
  const path = filePath(reader, files, INPUT.caCertificate);
  if (path === undefined) return undefined;
  const pem = readFile(files, INPUT.caCertificate, path).toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InputError(INPUT.caCertificate, `Input '${INPUT.caCertificate}' must name a PEM file with '-----BEGIN CERTIFICATE-----'; '${path}' is not one.`);
  }
  return pem;
}
