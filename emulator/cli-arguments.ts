/** The arguments of `npm run local-azure` (pure): what was asked, or an error naming the argument and what it accepts. */

export const USAGE =
  'Usage: npm run local-azure [-- --show-secrets] [--pending-seconds N (realistic timing: container group operations stay Pending N s, as on Azure)] [--help]';

export interface CliArguments {
  help: boolean;
  showSecrets: boolean;
  /** Realistic timing: seconds each container group operation stays Pending (0: at once). */
  pendingInSeconds: number;
}

export function parseCliArguments(args: readonly string[]): CliArguments {
  const parsed: CliArguments = { help: false, showSecrets: false, pendingInSeconds: 0 };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--help') parsed.help = true;
    else if (arg === '--show-secrets') parsed.showSecrets = true;
    else if (arg === '--pending-seconds' || arg.startsWith('--pending-seconds=')) {
      const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[++index] ?? '');
      const seconds = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new Error(`--pending-seconds must be a number of seconds, 0 or more; got '${raw}'. ${USAGE}`);
      parsed.pendingInSeconds = seconds;
    } else throw new Error(`Unknown argument '${arg}'. ${USAGE}`);
  }
  return parsed;
}
