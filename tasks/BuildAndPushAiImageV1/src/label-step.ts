/**
 * The legacy builder turns every `--label` into a build step of its own, each with a throwaway
 * container (docker's buildLabelOptions adds one LABEL per label to the last stage). Given instead as
 * one LABEL instruction at the end of a copy of the Dockerfile, they cost one step, with the same result.
 * Pure: the Dockerfile's text in, the copy's text out, or undefined when the labels cannot be written
 * as one instruction (a value with a line break, a Dockerfile that ends inside a continued line).
 */

/** The escape character from a `# escape=` parser directive at the top of the Dockerfile (default '\\'). */
export function escapeCharacter(dockerfile: string): string {
  for (const line of dockerfile.split(/\r?\n/)) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1]?.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) return directive[2];
  }
  return '\\';
}

/** `"key"="value"` with the escape character before `"`, `$` and itself (no variable expansion). */
function quoted(text: string, escape: string): string {
  let result = '';
  for (const character of text) result += character === '"' || character === '$' || character === escape ? `${escape}${character}` : character;
  return `"${result}"`;
}

/** The Dockerfile with one LABEL instruction appended, or undefined when that cannot be done faithfully. */
export function withLabelStep(dockerfile: string, labels: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(labels);
  if (entries.length === 0) return dockerfile;
  if (entries.some(([key, value]) => /[\r\n]/.test(key) || /[\r\n]/.test(value) || key === '')) return undefined;
  const escape = escapeCharacter(dockerfile);
  const lastLine = dockerfile.split(/\r?\n/).filter((line) => line.trim() !== '' && !/^\s*#/.test(line)).pop() ?? '';
  if (lastLine.trimEnd().endsWith(escape)) return undefined;
  const instruction = `LABEL ${entries.map(([key, value]) => `${quoted(key, escape)}=${quoted(value, escape)}`).join(' ')}`;
  return `${dockerfile}${dockerfile.endsWith('\n') ? '' : '\n'}${instruction}\n`;
}
