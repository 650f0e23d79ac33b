/**
 * The agent's logging-command format: `##vso[area.event key=value;key=value]message`, found anywhere
 * in a line, with the agent's escaping (%3B ; %0D \r %0A \n %5D ] and %AZP25 or %25 for %).
 */
export interface LoggingCommand {
  /** e.g. 'task' */
  area: string;
  /** e.g. 'setvariable' */
  event: string;
  /** Keys lower-cased (the agent compares them case-insensitively). */
  properties: Record<string, string>;
  message: string;
}

const PREFIX = '##vso[';
const ESCAPES: Record<string, string> = { '%AZP25': '%', '%25': '%', '%0D': '\r', '%0A': '\n', '%5D': ']', '%3B': ';' };
const ESCAPE_PATTERN = /%(?:AZP25|25|0D|0A|5D|3B)/gi;

/** One pass, so that an escaped '%' never starts a second escape. */
export function unescapeValue(text: string): string {
  return text.replace(ESCAPE_PATTERN, (match) => ESCAPES[match.toUpperCase()] ?? match);
}

export function escapeValue(text: string): string {
  return text.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/]/g, '%5D').replace(/;/g, '%3B');
}

/** The command in a line, or undefined when the line holds none (or a malformed one, which the agent ignores). */
export function parseLoggingCommand(line: string): LoggingCommand | undefined {
  const start = line.indexOf(PREFIX);
  if (start < 0) return undefined;
  const end = line.indexOf(']', start + PREFIX.length);
  if (end < 0) return undefined;
  const info = line.slice(start + PREFIX.length, end).trim();
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const part of info.slice(space + 1).split(';')) {
      const trimmed = part.trim();
      if (trimmed === '') continue;
      const equals = trimmed.indexOf('=');
      if (equals <= 0) return undefined;
      properties[trimmed.slice(0, equals).trim().toLowerCase()] = unescapeValue(trimmed.slice(equals + 1));
    }
  }
  return {
    area: name.slice(0, dot).toLowerCase(),
    event: name.slice(dot + 1).toLowerCase(),
    properties,
    message: unescapeValue(line.slice(end + 1)),
  };
}

/** `##vso[...]` as task-lib writes it (used by tests that play a task's part). */
export function formatLoggingCommand(command: string, properties: Record<string, string>, message = ''): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeValue(value)};`)
    .join('');
  const escapedMessage = message.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return `${PREFIX}${command}${props === '' ? '' : ` ${props}`}]${escapedMessage}`;
}
