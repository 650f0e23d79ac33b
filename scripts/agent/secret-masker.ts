/** Replaces every registered secret with '***', as the agent does in the log it shows. */
export class SecretMasker {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value === undefined) return;
    // The agent masks each line of a multi-line secret (a PEM, for example) on its own.
    for (const part of value.split(/\r?\n/)) {
      const trimmed = part.trim();
      if (trimmed.length > 0 && !/^-----(BEGIN|END) [A-Z ]+-----$/.test(trimmed)) this.values.add(trimmed);
    }
    if (value.trim().length > 0) this.values.add(value);
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
}
