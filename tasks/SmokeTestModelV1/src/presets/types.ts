/** The model-serving protocols this task speaks (DESIGN.md section 6). */
export const PROTOCOLS = ['openInference', 'kserveV1', 'tfServing', 'torchServe', 'mlflow', 'azureml', 'openai', 'http'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type ProtocolChoice = Protocol | 'auto';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface ModelContext {
  readonly modelName?: string;
  readonly modelVersion?: string;
}

/** A request the task sends to learn something (readiness, metadata, model list): small, JSON or empty. */
export interface ProbeRequest {
  readonly method: HttpMethod;
  /** Path relative to the target URL, starting with '/'. */
  readonly path: string;
  readonly jsonBody?: unknown;
}

/** What came back, already read in full. `json` is set when the body parsed as JSON. */
export interface ProbeAnswer {
  readonly status: number;
  readonly bodyText: string;
  readonly json?: unknown;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Set when the answer was larger than the task keeps (4 MB): `bodyText` is its start only. */
  readonly truncatedFromBytes?: number;
}

export type Judgement =
  /** `note`: why an answer that is not the protocol's own "ready" still ends the wait (e.g. an expected refusal). */
  | { readonly state: 'ready'; readonly note?: string }
  | { readonly state: 'notReady'; readonly reason: string; readonly retryAfterInMs?: number }
  | { readonly state: 'failed'; readonly reason: string };

/** One layer of readiness (live, server ready, model ready...). */
export interface ReadinessLayer {
  readonly name: string;
  /** 'server': the layer names no model (checked before the server is asked which models it serves). */
  readonly scope?: 'server';
  /** Alternatives in order: a 404 from one that is not the last moves on to the next for good. */
  readonly requests: readonly ProbeRequest[];
  /** The protocol's reading of an answer; undefined leaves it to the generic rules (200 = ready). */
  judge(answer: ProbeAnswer): Judgement | undefined;
}

/** Lists the models a server serves, for when no model name was given. */
export interface ModelDiscovery {
  readonly request: ProbeRequest;
  names(json: unknown): string[];
}

export interface InferenceEndpoint {
  readonly method: HttpMethod;
  readonly path: string;
}

/** A default request body built by a preset, or why none could be built. */
export type DefaultBody = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly reason: string };

export interface Preset {
  readonly protocol: Protocol;
  readonly title: string;
  /** required: the paths name the model; discoverable: they do, and the server lists its models; optional: only the body names it. */
  readonly modelName: 'required' | 'discoverable' | 'optional' | 'unused';
  readonly discovery?: ModelDiscovery;
  readiness(model: ModelContext): ReadinessLayer[];
  inference(model: ModelContext): InferenceEndpoint;
  /** Fetched once the model is ready, when no body was given, to build a valid default request. */
  metadata?(model: ModelContext): ProbeRequest;
  /** A valid request body when the user gave none; undefined when the protocol has no generic request. */
  defaultBody?(model: ModelContext, metadata: unknown): DefaultBody;
  /** Why a user-given JSON body is not a valid request of this protocol, if it is not. */
  checkBody?(body: unknown): string | undefined;
  /** Shown when a body is needed but none was given. */
  readonly bodyExample: string;
  /** Assertions every answer of this protocol must satisfy, for the request body that is sent. */
  protocolAssertions(body: unknown): string[];
  /** Protocol-specific meaning of an inference answer's status (e.g. Azure ML's 424 and 429). */
  inferenceStatus?(status: number): Judgement | undefined;
  /** Said when the server answers 401/403 (or refuses the credentials its own way). */
  readonly authHint: string;
  /** The protocol's own refusal of missing or wrong credentials, other than 401/403: what the server said. */
  readonly authRefusal?: (answer: ProbeAnswer) => string | undefined;
}

export function modelPath(model: ModelContext, prefix: string, versionSegment = '/versions/'): string {
  const name = encodeURIComponent(model.modelName ?? '');
  const version = model.modelVersion === undefined ? '' : `${versionSegment}${encodeURIComponent(model.modelVersion)}`;
  return `${prefix}${name}${version}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
