/**
 * Output that came from elsewhere (docker, container logs, HTTP bodies) can contain `##vso[...]` or
 * `##[...]` and would then run pipeline commands. Everything foreign goes through here before it is
 * printed. The streaming form holds back a partial line, so a command split across chunks is caught.
 */
const COMMAND_PATTERN = /##(vso)?\[/gi;

export function neutraliseLine(line: string): string {
  return line.replace(COMMAND_PATTERN, (_match, vso: string | undefined) => (vso ? '##~vso[' : '##~['));
}

export function neutralise(text: string): string {
  return text
    .split(/(\r?\n|\r)/)
    .map((part, index) => (index % 2 === 0 ? neutraliseLine(part) : part))
    .join('');
}

/** Splits chunks into whole lines, neutralised; `end()` flushes the last partial line. */
export class LineNeutraliser {
  private pending = '';
  constructor(private readonly emit: (line: string) => void) {}

  write(chunk: string | Buffer): void {
    this.pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const lines = this.pending.split(/\r?\n|\r/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.emit(neutraliseLine(line));
  }

  end(): void {
    if (this.pending.length > 0) this.emit(neutraliseLine(this.pending));
    this.pending = '';
  }
}
