/**
 * Structured JSON logs, one line per event. Callers pass explicit fields; nothing logs a request
 * body, an Authorization header, a token or a code. Errors are reduced to name and message, and the
 * message of an unexpected error stays in the log, never in a response.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

function threshold(): number {
  const configured = process.env.LATCHKEY_LOG_LEVEL;
  return configured !== undefined && configured in ORDER ? ORDER[configured as Level] : ORDER.info;
}

function write(level: Level, message: string, fields: LogFields, error?: unknown): void {
  if (ORDER[level] < threshold()) return;
  const line: Record<string, unknown> = { level, time: new Date().toISOString(), message, ...fields };
  if (error !== undefined) line.error = describeError(error);
  const text = JSON.stringify(line);
  if (level === 'error' || level === 'warn') console.error(text);
  else console.log(text);
}

function describeError(error: unknown): { name: string; message: string; cause?: string } {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
    return cause === undefined
      ? { name: error.name, message: error.message }
      : { name: error.name, message: error.message, cause };
  }
  return { name: 'NonError', message: typeof error };
}

export const logger = {
  debug: (message: string, fields: LogFields = {}) => write('debug', message, fields),
  info: (message: string, fields: LogFields = {}) => write('info', message, fields),
  warn: (message: string, fields: LogFields = {}, error?: unknown) => write('warn', message, fields, error),
  error: (message: string, fields: LogFields = {}, error?: unknown) => write('error', message, fields, error),
};
