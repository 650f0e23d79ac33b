/**
 * Literals of the assertion language: JSON, plus strings in single quotes ('text', with \' inside).
 * Returns the value and how many characters were read.
 */
export function parseLiteral(text: string): { value: unknown; length: number } {
  const parser = new LiteralParser(text);
  const value = parser.value();
  return { value, length: parser.at };
}

class LiteralParser {
  at = 0;
  constructor(private readonly text: string) {}

  value(): unknown {
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '[') return this.array();
    if (char === '{') return this.object();
    if (char === '"' || char === "'") return this.string();
    const word = /^(true|false|null)\b/.exec(this.text.slice(this.at))?.[0];
    if (word !== undefined) {
      this.at += word.length;
      return word === 'true' ? true : word === 'false' ? false : null;
    }
    const number = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.at))?.[0];
    if (number !== undefined) {
      this.at += number.length;
      return Number(number);
    }
    throw new Error(`expected a value (number, 'text', "text", true, false, null, [..] or {..}) at '${this.text.slice(this.at, this.at + 20)}'`);
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) throw new Error(`expected '${char}' at '${this.text.slice(this.at, this.at + 20)}'`);
    this.at++;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.at];
  }

  private array(): unknown[] {
    this.expect('[');
    const items: unknown[] = [];
    if (this.peek() === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      if (this.peek() === ',') {
        this.at++;
        continue;
      }
      this.expect(']');
      return items;
    }
  }

  private object(): Record<string, unknown> {
    this.expect('{');
    const result: Record<string, unknown> = {};
    if (this.peek() === '}') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.expect(':');
      result[key] = this.value();
      if (this.peek() === ',') {
        this.at++;
        continue;
      }
      this.expect('}');
      return result;
    }
  }

  private string(): string {
    const quote = this.text[this.at];
    if (quote !== '"' && quote !== "'") throw new Error(`expected a quoted string at '${this.text.slice(this.at, this.at + 20)}'`);
    let end = this.at + 1;
    while (end < this.text.length && this.text[end] !== quote) end += this.text[end] === '\\' ? 2 : 1;
    if (end >= this.text.length) throw new Error(`unterminated string starting at '${this.text.slice(this.at, this.at + 20)}'`);
    const body = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    if (quote === '"') return JSON.parse(`"${body}"`) as string;
    return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  }
}
