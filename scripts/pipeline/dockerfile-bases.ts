/**
 * Which images a Dockerfile's FROM lines pull, with its build arguments applied, so that a build which
 * would pull from a public registry (Docker Hub, mcr.microsoft.com, ...) is refused before the run: the
 * local run reaches only the local Azure's registries. The runner's `$(baseImage)` (a Node.js base image
 * built from this machine's Node.js) is the way out: `ARG BASE_IMAGE=node:20-slim` /
 * `FROM ${BASE_IMAGE}` with `buildArguments: BASE_IMAGE=$(baseImage)`. Pure.
 */
import { parseImageReference } from '../../emulator/docker/image-reference';

export interface BaseImageUse {
  /** 1-based line of the FROM instruction. */
  line: number;
  /** The image as written, e.g. `${BASE_IMAGE}`. */
  written: string;
  /** After build arguments, e.g. `node:20-slim`. */
  image: string;
}

/** Joins continuation lines, drops comments; returns instructions with their first line. */
function instructions(text: string): { line: number; text: string }[] {
  const result: { line: number; text: string }[] = [];
  let current: { line: number; text: string } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (current === undefined && /^\s*#/.test(raw)) return;
    const continued = /\\\s*$/.test(raw);
    const part = raw.replace(/\\\s*$/, '');
    current = current === undefined ? { line: index + 1, text: part } : { ...current, text: `${current.text} ${part}` };
    if (!continued) {
      if (current.text.trim() !== '') result.push({ line: current.line, text: current.text.trim() });
      current = undefined;
    }
  });
  if (current !== undefined && current.text.trim() !== '') result.push(current);
  return result;
}

function substitute(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced?: string, operator?: string, word?: string, bare?: string) => {
    const value = values.get(braced ?? bare ?? '');
    if (operator === '-') return value !== undefined && value !== '' ? value : (word ?? '');
    if (operator === '+') return value !== undefined && value !== '' ? (word ?? '') : '';
    return value ?? '';
  });
}

/** The images the FROM lines pull (not `scratch`, not an earlier stage), build arguments over ARG defaults. */
export function baseImagesOf(dockerfile: string, buildArguments: ReadonlyMap<string, string>): BaseImageUse[] {
  const globals = new Map<string, string>();
  const stages = new Set<string>();
  const uses: BaseImageUse[] = [];
  let seenFrom = false;
  for (const { line, text } of instructions(dockerfile)) {
    const [keyword = '', ...rest] = text.split(/\s+/);
    if (/^arg$/i.test(keyword) && !seenFrom) {
      for (const declaration of rest) {
        const [name = '', ...value] = declaration.split('=');
        const given = buildArguments.get(name);
        globals.set(name, given ?? (value.length > 0 ? substitute(value.join('=').replace(/^["']|["']$/g, ''), globals) : ''));
      }
    } else if (/^from$/i.test(keyword)) {
      seenFrom = true;
      const words = rest.filter((word) => !word.startsWith('--'));
      const written = words[0] ?? '';
      const image = substitute(written, globals);
      const alias = words[1]?.toLowerCase() === 'as' ? words[2] : undefined;
      if (image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase())) uses.push({ line, written, image });
      if (alias) stages.add(alias.toLowerCase());
    }
  }
  return uses;
}

/** True for an image served by a registry on this machine (the local Azure's are on 127.0.0.1). */
export function isLocalRegistryImage(image: string): boolean {
  return /^(127(\.\d{1,3}){3}|localhost|\[::1\])(:\d+)?$/.test(parseImageReference(image).registry);
}
