/**
 * The `command` input: the container's command in exec form (no shell runs it). Written either as a
 * JSON array (`["python", "-m", "server", "--port", "80"]`, exactly as in a Dockerfile) or as
 * shell-like words (`python -m server --port 80`) with POSIX quoting: '...' is literal, "..." allows
 * \" and \\, a backslash outside quotes escapes white space, a quote, a backslash or an operator
 * character (and is kept before anything else, so Windows paths work), new lines separate words like
 * spaces. Nothing is expanded ($VAR, globs). Pure.
 */
import { invalidInput } from '../../common/errors';

/** What a backslash outside quotes escapes: white space, quotes, itself and the shell's operator characters. */
const ESCAPABLE = /[\s'"\\|&;<>`$]/;
const SHELL_OPERATORS = new Set(['|', '||', '&&', '&', ';', '>', '>>', '<', '2>', '2>&1', '$(', '`']);

export function parseCommand(input: string, value: string | undefined): string[] {
  const text = value?.trim() ?? '';
  if (text === '') return [];
  return text.startsWith('[') ? parseJsonArray(input, text) : parseWords(input, text);
}

function parseJsonArray(input: string, text: string): string[] {
  const accepts = 'a JSON array of strings (e.g. ["python", "-m", "server"]) or words as in a shell (e.g. python -m server)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidInput(input, accepts, `${text.slice(0, 80)} (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((item): item is string => typeof item === 'string')) {
    throw invalidInput(input, `${accepts}; a JSON array must hold at least one string and only strings`, text.slice(0, 80));
  }
  return parsed;
}

function parseWords(input: string, text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quotedWord = false;
  const end = (): void => {
    if (inWord) {
      if (!quotedWord && SHELL_OPERATORS.has(word)) {
        throw invalidInput(
          input,
          `a command without shell syntax: it runs without a shell, so '${word}' would be passed to the program as an argument. ` +
            "To use a shell, write e.g. sh -c 'python serve.py && echo done', or quote the character",
          text.slice(0, 80),
        );
      }
      words.push(word);
    }
    word = '';
    inWord = false;
    quotedWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      end();
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw unterminated(input, "'", text);
      word += text.slice(i + 1, close);
      inWord = quotedWord = true;
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text.charAt(j) !== '"'; j++) {
        const d = text.charAt(j);
        if (d === '\\' && (text.charAt(j + 1) === '"' || text.charAt(j + 1) === '\\')) {
          word += text.charAt(j + 1);
          j++;
        } else {
          word += d;
        }
      }
      if (j >= text.length) throw unterminated(input, '"', text);
      inWord = quotedWord = true;
      i = j;
    } else if (c === '\\') {
      const next = text.charAt(i + 1);
      if (next === '\n') {
        i++;
      } else if (next === '\r' && text.charAt(i + 2) === '\n') {
        i += 2;
      } else if (next !== '' && ESCAPABLE.test(next)) {
        word += next;
        inWord = quotedWord = true;
        i++;
      } else {
        // Elsewhere a backslash is kept, so that Windows paths (C:\models) need no doubling.
        word += c;
        inWord = true;
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  end();
  return words;
}

function unterminated(input: string, quote: string, text: string): Error {
  return invalidInput(input, `words with balanced quotes (a ${quote} is not closed)`, text.slice(0, 80));
}
