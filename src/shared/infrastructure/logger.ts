import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

/** JSON logs in production and tests; human-readable ones in development. */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const base = {
    level: config.logLevel,
    base: { service: 'pix-lti' },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        '*.password',
        '*.encryptionKey',
        '*.id_token',
      ],
      censor: '[redacted]',
    },
  };
  if (config.env === 'development') {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' },
      },
    });
  }
  return pino(base);
}
