/**
 * The agent's logging-command format, `##vso[area.event key=value;key=value]message`, parsed exactly as
 * microsoft/azure-pipelines-agent does it (src/Microsoft.VisualStudio.Services.Agent/Command.cs `TryParse`,
 * src/Agent.Sdk/CommandStringConvertor.cs `Unescape`/`Escape`).
 */
export interface LoggingCommand {
  /** e.g. 'task' (lower-cased: the agent looks areas and events up case-insensitively). */
  area: string;
  /** e.g. 'setvariable' */
  event: string;
  /** Keys lower-cased (Command.Properties is an OrdinalIgnoreCase dictionary) but never trimmed. */
  properties: Record<string, string>;
  message: string;
}

const PREFIX = '##vso[';

/** CommandStringConvertor's mappings, in its order; exact case (String.Replace is ordinal). */
const SPECIAL_SYMBOLS: readonly (readonly [token: string, replacement: string])[] = [
  [';', '%3B'],
  ['\r', '%0D'],
  ['\n', '%0A'],
  [']', '%5D'],
];

/**
 * CommandStringConvertor.Unescape with DECODE_PERCENTS on (the agent's default): each mapping replaced
 * in turn, then `%AZP25` to `%`. `%25` is not decoded, and lower-case `%0a` stays as written.
 */
export function unescapeValue(text: string): string {
  let unescaped = text;
  for (const [token, replacement] of SPECIAL_SYMBOLS) unescaped = unescaped.split(replacement).join(token);
  return unescaped.split('%AZP25').join('%');
}

/** CommandStringConvertor.Escape (what task-lib writes): `%` first, then the special symbols. */
export function escapeValue(text: string): string {
  let escaped = text.split('%').join('%AZP25');
  for (const [token, replacement] of SPECIAL_SYMBOLS) escaped = escaped.split(token).join(replacement);
  return escaped;
}

/**
 * Command.TryParse: the command may start anywhere in the line and ends at the first `]`; the name is
 * exactly two non-empty dot-separated parts; a property without `=`, or with an empty key or value, is
 * skipped and the others kept; a later duplicate key wins. Undefined when the line holds no command.
 */
export function parseLoggingCommand(line: string): LoggingCommand | undefined {
  const start = line.indexOf(PREFIX);
  if (start < 0) return undefined;
  const end = line.indexOf(']', start);
  if (end < 0) return undefined;
  const info = line.slice(start + PREFIX.length, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  const parts = name.split('.').filter((part) => part !== '');
  if (parts.length !== 2) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const property of info.slice(space + 1).split(';')) {
      if (property === '') continue;
      const equals = property.indexOf('=');
      // Split('=', count: 2, RemoveEmptyEntries) yields two parts only for a non-empty key and value.
      if (equals <= 0 || equals === property.length - 1) continue;
      properties[property.slice(0, equals).toLowerCase()] = unescapeValue(property.slice(equals + 1));
    }
  }
  return {
    area: (parts[0] ?? '').toLowerCase(),
    event: (parts[1] ?? '').toLowerCase(),
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
