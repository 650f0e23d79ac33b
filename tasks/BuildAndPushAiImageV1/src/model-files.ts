import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../common/errors';
import { INPUT } from './inputs';

/** One model file, as the `ai.model.files` label records it. */
export interface ModelFile {
  /** Relative to the build context, with '/' separators. */
  path: string;
  sha256: string;
  size: number;
}

/** More than this many files would make a label nobody reads; name the model's files, not a whole tree. */
export const MAX_MODEL_FILES = 500;

/** A glob (`*`, `?`, `**`) over '/'-separated relative paths, as a regular expression. Pure. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  const text = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '*' && text[i + 1] === '*') {
      const followedBySlash = text[i + 2] === '/';
      source += followedBySlash ? '(?:.*/)?' : '.*';
      i += followedBySlash ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** The folder a glob's walk can start from: its components before the first one with a wildcard. */
export function literalPrefix(pattern: string): string {
  const parts = pattern.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
  const literal: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (hasGlob(part)) break;
    literal.push(part);
  }
  return literal.join('/');
}

/**
 * Resolves `patterns` inside `contextDirectory` (a folder means every file under it) and hashes each
 * file as a stream. Sorted by path; a pattern that matches nothing is an error.
 */
export async function collectModelFiles(contextDirectory: string, patterns: readonly string[]): Promise<ModelFile[]> {
  const relativePaths = new Set<string>();
  for (const pattern of patterns) {
    const matches = hasGlob(pattern) ? await matchGlob(contextDirectory, pattern) : await matchLiteral(contextDirectory, pattern);
    if (matches.length === 0) {
      throw new InputError(
        INPUT.modelFiles,
        `Input '${INPUT.modelFiles}': '${pattern}' matches no file inside the build context '${contextDirectory}'. Paths and globs are relative to the build context.`,
      );
    }
    for (const match of matches) relativePaths.add(match);
    if (relativePaths.size > MAX_MODEL_FILES) {
      throw new InputError(
        INPUT.modelFiles,
        `Input '${INPUT.modelFiles}' matches more than ${MAX_MODEL_FILES} files; name the model's own files (weights, tokenizer, config), not a whole tree.`,
      );
    }
  }
  const files: ModelFile[] = [];
  for (const relative of [...relativePaths].sort()) {
    const absolute = path.join(contextDirectory, ...relative.split('/'));
    files.push({ path: relative, ...(await hashFile(absolute)) });
  }
  return files;
}

export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { sha256: hash.digest('hex'), size };
}

async function matchLiteral(contextDirectory: string, pattern: string): Promise<string[]> {
  const relative = pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const absolute = path.join(contextDirectory, ...relative.split('/'));
  const stat = await fs.stat(absolute).catch(() => undefined);
  if (stat?.isFile()) return [relative];
  if (stat?.isDirectory()) return walk(contextDirectory, relative);
  return [];
}

async function matchGlob(contextDirectory: string, pattern: string): Promise<string[]> {
  const regex = globToRegExp(pattern);
  const candidates = await walk(contextDirectory, literalPrefix(pattern));
  return candidates.filter((candidate) => regex.test(candidate));
}

/** Every regular file under `relativeDirectory` (relative, '/'-separated); symbolic links are not followed. */
async function walk(contextDirectory: string, relativeDirectory: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [relativeDirectory];
  while (pending.length > 0) {
    const current = pending.pop() ?? '';
    const entries = await fs.readdir(path.join(contextDirectory, ...current.split('/').filter(Boolean)), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const relative = current === '' ? entry.name : `${current}/${entry.name}`;
      if (entry.isDirectory()) pending.push(relative);
      else if (entry.isFile()) found.push(relative);
    }
    if (found.length > MAX_MODEL_FILES * 20) break;
  }
  return found;
}

/** Files and bytes under a folder (symbolic links not followed), for the log. */
export async function folderSize(folder: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  const walk = async (directory: string): Promise<void> => {
    for (const entry of await fs.readdir(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        files += 1;
        bytes += (await fs.stat(full)).size;
      }
    }
  };
  await walk(folder);
  return { bytes, files };
}
