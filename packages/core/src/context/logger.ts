// pino, with every line passed through the redactor before it is written.
import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';
import type { Redactor } from './redact.js';

export type { Logger };

export interface LoggerOptions {
  level?: LevelWithSilent;
  redactor: Redactor;
  /** where lines go (default: stderr) */
  destination?: DestinationStream | { write(line: string): void };
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination(2);
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: {
        paths: ['*.accessToken', '*.token', '*.refreshToken', '*.clientSecret', '*.apiKey', '*.password', '*.authorization', 'headers.authorization', '*.headers.authorization', 'config.*'],
        censor: '[REDACTED]',
      },
      hooks: {
        // the last line of defence: any resolved secret value anywhere in the line
        streamWrite: (line) => options.redactor.text(line),
      },
    },
    destination as DestinationStream,
  );
}
