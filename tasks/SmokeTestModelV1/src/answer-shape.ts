/**
 * The least a model's answer must look like, whatever the assertions (pure): a JSON protocol answers
 * JSON (by content type, when the server names one), and no protocol answers with an HTML page (a
 * proxy's login or error page, a web app at the wrong address). Without this, an HTML 200 page
 * passes a smoke test that has no assertions.
 */
import type { Protocol, ProbeAnswer } from './presets/types';

/** Protocols whose answers are JSON by definition (DESIGN.md section 6). */
const JSON_PROTOCOLS: ReadonlySet<Protocol> = new Set(['openInference', 'kserveV1', 'tfServing', 'mlflow', 'azureml', 'openai']);

function mediaTypeOf(answer: ProbeAnswer): string | undefined {
  const header = answer.headers['content-type'];
  return header === undefined ? undefined : (header.split(';')[0] ?? '').trim().toLowerCase();
}

function looksLikeHtml(answer: ProbeAnswer): boolean {
  return /^\s*(<!doctype html|<html[\s>])/i.test(answer.bodyText.slice(0, 512));
}

/** Why `answer` cannot be the protocol's answer, or undefined when its shape is plausible. */
export function answerShapeProblem(protocol: Protocol, answer: ProbeAnswer, protocolTitle: string): string | undefined {
  const mediaType = mediaTypeOf(answer);
  if (mediaType === 'text/html' || (mediaType === undefined && looksLikeHtml(answer))) {
    return `the answer is an HTML page (Content-Type ${mediaType ?? 'not set'}), not a model's answer: check that 'url' points at the model server, not at a proxy, sign-in or error page`;
  }
  if (!JSON_PROTOCOLS.has(protocol)) return undefined;
  if (mediaType !== undefined && mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    return `the answer has Content-Type ${mediaType}, but ${protocolTitle} answers JSON (application/json)`;
  }
  if (!('json' in answer) && answer.truncatedFromBytes === undefined) return `the answer is not JSON, but ${protocolTitle} answers JSON`;
  return undefined;
}
