import type { HttpMethod } from './presets/types';

/** Every input of task.json, declared once (a test compares them with task.json). */
export const INPUT = {
  url: 'url',
  protocol: 'protocol',
  modelName: 'modelName',
  modelVersion: 'modelVersion',
  readinessPath: 'readinessPath',
  method: 'method',
  requestPath: 'requestPath',
  requestBody: 'requestBody',
  requestBodyFile: 'requestBodyFile',
  headers: 'headers',
  authentication: 'authentication',
  bearerToken: 'bearerToken',
  apiKey: 'apiKey',
  apiKeyHeader: 'apiKeyHeader',
  azureSubscription: 'azureSubscription',
  entraScope: 'entraScope',
  expectedStatus: 'expectedStatus',
  assertions: 'assertions',
  readinessTimeoutInSeconds: 'readinessTimeoutInSeconds',
  timeoutInMinutes: 'timeoutInMinutes',
  warmupRequests: 'warmupRequests',
  requests: 'requests',
  concurrency: 'concurrency',
  maxLatencyP50Ms: 'maxLatencyP50Ms',
  maxLatencyP95Ms: 'maxLatencyP95Ms',
  maxLatencyP99Ms: 'maxLatencyP99Ms',
  maxErrorRate: 'maxErrorRate',
  caCertificate: 'caCertificate',
  publishTestResults: 'publishTestResults',
  testRunTitle: 'testRunTitle',
} as const;

export type InputName = (typeof INPUT)[keyof typeof INPUT];

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
export const AUTHENTICATIONS = ['none', 'bearerToken', 'apiKey', 'entraId'] as const;
export const DEFAULT_ENTRA_SCOPE = 'https://ml.azure.com/.default';
