/**
 * The shape of the client secrets Entra ID issues for an app registration (the portal's "New client
 * secret", `az ad app credential reset`): 40 characters, three of [A-Za-z0-9_~.], a digit, `Q~`, then
 * 34 of [A-Za-z0-9_~.-] (secret scanners match `[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}`). A real
 * secret never starts with `-`, so tools that take it as an argument (`az login -p @file`) never read it
 * as an option; plain base64url would, one time in 64.
 */
import { randomInt } from 'node:crypto';

const HEAD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.';
const BODY = `${HEAD}-`;

const pick = (alphabet: string, count: number): string => Array.from({ length: count }, () => alphabet[randomInt(alphabet.length)]).join('');

export function newClientSecret(): string {
  return `${pick(HEAD, 3)}${randomInt(10)}Q~${pick(BODY, 34)}`;
}
