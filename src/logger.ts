import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys that may hold secrets anywhere in a logged object. */
const REDACT_PATHS = [
  'community',
  'authKey',
  'privKey',
  'token',
  'authorization',
  '*.community',
  '*.authKey',
  '*.privKey',
  '*.token',
  '*.authorization',
  '*.*.authKey',
  '*.*.privKey',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'netprobe' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export type { Logger };
