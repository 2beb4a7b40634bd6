/**
 * Structured JSON logs (one line each), as CloudWatch Logs and the local cloud's console read
 * them. Never log personal ID numbers: callers pass masked values only.
 */
type Fields = Record<string, unknown>;

const LEVELS = { info: 1, warn: 2, error: 3, silent: 4 } as const;

function write(level: 'info' | 'warn' | 'error', message: string, fields: Fields): void {
  // LOG_LEVEL=warn (the local cloud's default) keeps per-request lines out of the console.
  const threshold = LEVELS[(process.env.LOG_LEVEL ?? 'info') as keyof typeof LEVELS] ?? LEVELS.info;
  if (LEVELS[level] < threshold) return;
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}

export const log = {
  info: (message: string, fields: Fields = {}) => write('info', message, fields),
  warn: (message: string, fields: Fields = {}) => write('warn', message, fields),
  error: (message: string, fields: Fields = {}) => write('error', message, fields),
};
