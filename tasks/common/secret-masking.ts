/**
 * Masks secrets in text a task writes to files (summaries, JUnit results): the agent masks the log, not
 * the files a task uploads. Like the agent's secret masker, each secret is also masked in the forms it
 * takes when echoed: base64 (at each of the three byte alignments, as inside a Basic header or a
 * Docker config), URL-encoded, JSON-escaped and XML-escaped (JUnit files). Pure.
 */

/** Shorter values are not masked (they would mask ordinary text by chance). */
const MIN_SECRET_LENGTH = 3;
export const MASK = '***';

/** The forms a secret may take in an echoed answer, longest first. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), xmlEscaped(secret), xmlEscaped(JSON.stringify(secret).slice(1, -1))]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    // The secret preceded by `shift` bytes of anything: only the base64 characters that depend on the secret alone.
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = Math.ceil((shift * 4) / 3);
    const wholeGroups = Math.floor((shift + bytes.length) / 3) * 4;
    const core = encoded.slice(start, wholeGroups);
    if (core.length >= 8) forms.add(core);
  }
  forms.add(bytes.toString('base64'));
  forms.add(bytes.toString('base64').replace(/=+$/, ''));
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** As XML and HTML files write it (a JUnit failure message). */
function xmlEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) masked = masked.split(form).join(MASK);
  }
  return masked;
}

const PEM_ARMOUR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;

/**
 * Registers a secret for masking. The agent masks line by line and refuses multi-line secrets, so a
 * multi-line value (a PEM) is registered line by line, without its `-----BEGIN ...-----` armour.
 */
export function registerSecret(value: string, setSecret: (value: string) => void): void {
  for (const line of value.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed !== '' && !PEM_ARMOUR.test(trimmed)) setSecret(trimmed);
  }
}
