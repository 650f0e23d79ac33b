/**
 * A secret scanner for end-to-end tests of the bundled tasks: after a run, no secret may appear in
 * anything the run showed or left behind. Generic: give it the TaskRun, the secrets the run was given
 * and the folders to search.
 *
 * What is searched, for every secret (the ones given plus every value the task registered with
 * `##vso[task.setsecret]`, e.g. the Entra ID and registry tokens it created):
 *   the log as the agent shows it, the result message, issues, summaries, attachments, published test
 *   results, the values of non-secret variables, the raw stdout (except the `setsecret` commands that
 *   register the secrets) and stderr, and every file under `folders`.
 * A secret is also found base64-encoded (as in a Docker config's `auth`) and URL-encoded. Messages name where a secret
 * was found and its length, never the secret itself.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskRun } from '../../scripts/agent/task-run';

export interface SecretScanOptions {
  /** Secrets the run was given: connection secrets, secret variables, the job's access token. */
  secrets: readonly string[];
  /** Folders whose files must hold no secret (the agent's temp folder, the sources...). */
  folders?: readonly string[];
  /**
   * Given secrets that reached the task as literal input values. azure-pipelines-task-lib echoes inputs
   * in `##vso[task.debug]` lines, which the agent masks like every line; those lines are not searched
   * for these values (they are for every other secret).
   */
  echoedAsInputs?: readonly string[];
  /** Values shorter than this are not searched for (they occur by chance). Default 6. */
  minLength?: number;
}

/** Where secrets appear: one description per (place, secret), without the secret. Empty when clean. */
export function findSecretLeaks(run: TaskRun, options: SecretScanOptions): string[] {
  const minLength = options.minLength ?? 6;
  // The secrets given plus those the task registered; not everything the agent masks as a precaution
  // (it masks every endpoint parameter but a few, service principal ids and user names among them).
  const all = [...new Set([...options.secrets, ...run.registeredSecrets])].filter((secret) => secret.length >= minLength);
  const echoed = new Set(options.echoedAsInputs ?? []);
  const stdoutLines = run.stdout.split(/\r?\n/).filter((line) => !line.startsWith('##vso[task.setsecret]'));
  const withoutDebug = stdoutLines.filter((line) => !line.startsWith('##vso[task.debug]')).join('\n');
  const withDebug = stdoutLines.join('\n');

  const places: [where: string, text: string, secrets: readonly string[]][] = [
    ['the log', run.log, all],
    ['the result message', run.message ?? '', all],
    ...run.issues.map((issue, i): [string, string, readonly string[]] => [`issue ${i + 1} (${issue.type})`, issue.message, all]),
    ...run.summaries.map((summary): [string, string, readonly string[]] => [`summary '${summary.name}'`, summary.content, all]),
    ...run.attachments.map((a): [string, string, readonly string[]] => [`attachment '${a.name}'`, a.content, all]),
    ...run.testResults.flatMap((r) => r.contents.map((content, i): [string, string, readonly string[]] => [`test results ${r.files[i] ?? i}`, content, all])),
    ...Object.entries(run.variables)
      .filter(([, variable]) => !variable.isSecret)
      .map(([name, variable]): [string, string, readonly string[]] => [`variable ${name}`, variable.value, all]),
    ['stdout', withoutDebug, all],
    ['stdout debug lines', withDebug, all.filter((secret) => !echoed.has(secret))],
    ['stderr', run.stderr, all],
    ...(options.folders ?? []).flatMap(filesUnder).map((file): [string, string, readonly string[]] => [`file ${file}`, fs.readFileSync(file, 'latin1'), all]),
  ];

  const leaks: string[] = [];
  for (const [where, text, secrets] of places) {
    for (const secret of secrets) {
      const urlEncoded = encodeURIComponent(secret);
      const xmlEscaped = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
      const forms = [secret, ...(urlEncoded !== secret ? [urlEncoded] : []), ...(xmlEscaped !== secret ? [xmlEscaped] : []), ...base64Forms(secret)];
      const found = forms.map((form) => text.indexOf(form)).find((at) => at >= 0);
      if (found !== undefined) {
        const before = text.slice(Math.max(0, found - 60), found).replace(/\s+/g, ' ');
        const how = text.startsWith(secret, found) ? '' : text.startsWith(urlEncoded, found) ? ' (URL-encoded)' : text.startsWith(xmlEscaped, found) ? ' (XML-escaped)' : ' (base64-encoded)';
        leaks.push(`a secret (${secret.length} characters) appears in ${where}${how}: ...${before}<SECRET>`);
      }
    }
  }
  return leaks;
}

/**
 * The base64 text of `secret` wherever it sits in encoded data (a Docker config's `auth` is
 * base64('user:password')): for each of the 3 alignments, the characters that depend on the secret alone.
 */
export function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    if (end - start >= 8) forms.push(encoded.slice(start, end));
  }
  return forms;
}

/** Fails with every place a secret appears (see findSecretLeaks). */
export function assertNoSecretsLeft(run: TaskRun, options: SecretScanOptions): void {
  const leaks = findSecretLeaks(run, options);
  assert.deepEqual(leaks, [], `secrets leaked:\n${leaks.join('\n')}`);
}

/** Every regular file under `folder` (none when it does not exist). */
export function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Files and folders under `folder` whose name contains `part` (e.g. a temporary Docker config left behind). */
export function entriesNamed(folder: string, part: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.name.includes(part))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
