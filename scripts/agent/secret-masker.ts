/**
 * Replaces every registered secret with '***', as the agent's secret masker does in the log it shows.
 * The agent masks whole values only: a multi-line value is masked where it appears whole, never line by
 * line, so a PEM printed one line at a time shows in the agent's log (a task must not print it).
 */
export class SecretMasker {
  private readonly values = new Set<string>();

  /**
   * SecretMasker.AddValue with the value encoders the agent registers (microsoft/azure-pipelines-agent,
   * src/Microsoft.VisualStudio.Services.Agent/HostContext.cs: JsonStringEscape, UriDataEscape,
   * BackslashEscape): the value and its encoded forms. Blank values are ignored.
   */
  add(value: string | undefined): void {
    if (value === undefined || value.trim() === '') return;
    for (const form of [value, jsonStringEscape(value), encodeURIComponent(value), backslashUnescape(value)]) {
      if (form.trim() !== '') this.values.add(form);
    }
  }

  /**
   * A secret variable of the job (src/Agent.Worker/Worker.cs `InitializeSecretMasker` and
   * `AddUserSuppliedSecret`): the value, quote-trimmed and whitespace-trimmed forms, its logging-command
   * escaped forms, and the same for its base64.
   */
  addSecretVariable(value: string): void {
    if (value.trim() === '') return;
    const base64 = Buffer.from(value, 'utf8').toString('base64');
    for (const form of [value, escapePercentsAndNewlines(value), escapeNewlines(value), base64, escapePercentsAndNewlines(base64), escapeNewlines(base64)]) {
      this.addUserSupplied(form);
    }
  }

  mask(text: string): string {
    let masked = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      masked = masked.split(value).join('***');
    }
    return masked;
  }

  secrets(): string[] {
    return [...this.values];
  }

  private addUserSupplied(value: string): void {
    this.add(value);
    for (const quote of ["'", '"']) {
      if (value.length > 1 && value.startsWith(quote) && value.endsWith(quote)) this.add(value.slice(1, -1));
    }
    this.add(value.replace(/^[\r\n ]+|[\r\n ]+$/g, ''));
  }
}

function escapePercentsAndNewlines(value: string): string {
  return escapeNewlines(value.split('%').join('%AZP25'));
}

function escapeNewlines(value: string): string {
  return value.split('\r').join('%0D').split('\n').join('%0A');
}

/** JSON string escaping without the quotes (how a secret looks inside a JSON document in a log). */
function jsonStringEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** The BackslashEscape encoder: the value as it reads with common backslash escapes undone. */
function backslashUnescape(value: string): string {
  return value.replace(/\\\\/g, '\\').replace(/\\'/g, "'").replace(/\\"/g, '"').replace(/\\t/g, '\t');
}
