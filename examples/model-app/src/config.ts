// The server's settings, read once from the environment and validated.
import path from 'node:path';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly modelName: string;
  readonly modelDir: string;
  readonly loadDelayInMs: number;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutInMs: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function number(env: Environment, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}; got '${raw}'.`);
  }
  return value;
}

/** defaultModelDir: where model/ sits relative to the running file (src/ in development, dist/ after bundling). */
export function readConfig(env: Environment, defaultModelDir: string): ServerConfig {
  const modelName = nonEmpty(env, 'MODEL_NAME') ?? 'iris';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(modelName)) {
    throw new Error(`MODEL_NAME must be 1 to 63 letters, digits, '.', '_' or '-'; got '${modelName}'.`);
  }
  const logLevel = (nonEmpty(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got '${logLevel}'.`);
  }
  return {
    host: nonEmpty(env, 'HOST') ?? '0.0.0.0',
    port: number(env, 'PORT', 8080, 0, 65535, true),
    modelName,
    modelDir: path.resolve(nonEmpty(env, 'MODEL_DIR') ?? defaultModelDir),
    loadDelayInMs: Math.round(number(env, 'MODEL_LOAD_DELAY_SECONDS', 0, 0, 3600, false) * 1000),
    logLevel: logLevel as LogLevel,
    shutdownTimeoutInMs: 10_000,
  };
}
