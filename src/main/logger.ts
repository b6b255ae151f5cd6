// Structured logs as JSON lines: info to stdout, warnings and errors to stderr.
import type { Logger } from '../api/services.js';

export function createLogger(options: { quiet?: boolean } = {}): Logger {
  const write = (stream: NodeJS.WriteStream, level: string, message: string, fields?: Record<string, unknown>) => {
    stream.write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + '\n');
  };
  return {
    info: (message, fields) => { if (!options.quiet) write(process.stdout, 'info', message, fields); },
    warn: (message, fields) => write(process.stderr, 'warn', message, fields),
    error: (message, fields) => write(process.stderr, 'error', message, fields),
  };
}
