import { z } from 'zod';

/**
 * The application's configuration, read from the environment once at boot and validated.
 * This is the only module that reads `process.env` (an eslint rule enforces it).
 * Every key has a documented default; README.md lists them all.
 */

const DEVELOPMENT_ENCRYPTION_KEY = 'development-only-key-never-use-in-production-0001';

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: `${name} must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { message: `${name} must be at least ${min}` })
        .max(max, { message: `${name} must be at most ${max}` }),
    );

/** True for a time zone the runtime's Intl knows ('Europe/Paris', 'UTC', 'America/Montreal'…). */
function isKnownTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

const environmentSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'], { message: 'must be development, test or production' })
      .default('development'),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: integer('PORT', 0, 65535).default(3000),
    PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://pix-lti.example.org' }).optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional(),
    MONGODB_URI: z
      .string()
      .trim()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, {
        message: 'must be a mongodb:// or mongodb+srv:// connection string',
      })
      .optional(),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    LTI_ENCRYPTION_KEY: z.string().min(32, { message: 'must be at least 32 characters long' }).optional(),
    ADMIN_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters long' }).optional(),
    LTI_DYNREG_AUTO_ACTIVATE: booleanFlag.default(false),
    EXPIRY_JOB_INTERVAL_SECONDS: integer('EXPIRY_JOB_INTERVAL_SECONDS', 1, 86_400).default(60),
    GRADE_WORKER_INTERVAL_SECONDS: integer('GRADE_WORKER_INTERVAL_SECONDS', 1, 3600).default(5),
    TRUST_PROXY: booleanFlag.default(false),
    TLS_CERT_FILE: z.string().trim().min(1).optional(),
    TLS_KEY_FILE: z.string().trim().min(1).optional(),
    DEMO_LMS: booleanFlag.optional(),
    DEMO_LMS_PORT: integer('DEMO_LMS_PORT', 0, 65535).default(3001),
    MAX_REACHABLE_LEVEL: integer('MAX_REACHABLE_LEVEL', 1, 8).default(6),
    IMPROVE_AFTER_DAYS: integer('IMPROVE_AFTER_DAYS', 0, 3650).default(4),
    RESET_AFTER_DAYS: integer('RESET_AFTER_DAYS', 0, 3650).default(7),
    EXPORT_TIME_ZONE: z
      .string()
      .trim()
      .refine(isKnownTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })
      .default('Europe/Paris'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.LTI_ENCRYPTION_KEY) {
        ctx.addIssue({ code: 'custom', path: ['LTI_ENCRYPTION_KEY'], message: 'is required in production' });
      }
      if (!env.MONGODB_URI) {
        ctx.addIssue({
          code: 'custom',
          path: ['MONGODB_URI'],
          message: 'is required in production (the embedded engine is for development and tests)',
        });
      }
      if (!env.PUBLIC_URL) {
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production' });
      }
      if (env.DEMO_LMS) {
        ctx.addIssue({ code: 'custom', path: ['DEMO_LMS'], message: 'cannot be on in production' });
      }
    }
    if ((env.TLS_CERT_FILE === undefined) !== (env.TLS_KEY_FILE === undefined)) {
      const missing = env.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'is needed too: give both TLS files or neither',
      });
    }
  });

export type Environment = 'development' | 'test' | 'production';

export interface Config {
  readonly env: Environment;
  readonly host: string;
  readonly port: number;
  /** The tool's public base URL, without a trailing slash. */
  readonly publicUrl: string;
  readonly logLevel: string;
  /** Unset means: start the embedded engine. */
  readonly mongodbUri: string | undefined;
  readonly dataDir: string;
  readonly lti: { readonly encryptionKey: string; readonly usesDevelopmentKey: boolean };
  /** HTTP Basic password of /admin; unset means no admin pages (404). */
  readonly adminPassword: string | undefined;
  /** LTI Dynamic Registration: activate new registrations at once (otherwise an admin does). */
  readonly dynamicRegistration: { readonly autoActivate: boolean };
  readonly expiryJobIntervalMs: number;
  readonly gradeWorkerIntervalMs: number;
  readonly trustProxy: boolean;
  /** Serve HTTPS directly (development and browser tests); production usually terminates TLS in a proxy. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** The local demo LMS (development only). */
  readonly demoLms: { readonly enabled: boolean; readonly port: number };
  readonly scoring: {
    readonly maxReachableLevel: number;
    readonly improveAfterDays: number;
    readonly resetAfterDays: number;
  };
  /** The time zone of the dates in the instructors' CSV exports (IANA name). */
  readonly exportTimeZone: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Their values can hold credentials: an error names them but never prints them. */
const SECRET_VARIABLES = new Set(['MONGODB_URI', 'LTI_ENCRYPTION_KEY', 'ADMIN_PASSWORD']);

type RawEnvironment = Readonly<Record<string, string | undefined>>;

/** Validates the environment; throws a ConfigError listing one line per bad variable. */
export function parseConfig(raw: RawEnvironment): Config {
  // An empty variable means "not set", as in most twelve-factor apps.
  const cleaned = Object.fromEntries(
    Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = environmentSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const given = typeof issue.path[0] === 'string' ? cleaned[issue.path[0]] : undefined;
      const secret = typeof issue.path[0] === 'string' && SECRET_VARIABLES.has(issue.path[0]);
      const shown = given === undefined || secret ? '' : ` (got ${JSON.stringify(given)})`;
      const message = issue.message.startsWith(name)
        ? issue.message.slice(name.length).trim()
        : issue.message;
      return `${name}: ${message}${shown}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  const env = result.data;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl,
    logLevel:
      env.LOG_LEVEL ??
      (env.NODE_ENV === 'test' ? 'silent' : env.NODE_ENV === 'production' ? 'info' : 'debug'),
    mongodbUri: env.MONGODB_URI,
    dataDir: env.DATA_DIR,
    lti: Object.freeze({
      encryptionKey: env.LTI_ENCRYPTION_KEY ?? DEVELOPMENT_ENCRYPTION_KEY,
      usesDevelopmentKey: env.LTI_ENCRYPTION_KEY === undefined,
    }),
    expiryJobIntervalMs: env.EXPIRY_JOB_INTERVAL_SECONDS * 1000,
    gradeWorkerIntervalMs: env.GRADE_WORKER_INTERVAL_SECONDS * 1000,
    trustProxy: env.TRUST_PROXY,
    adminPassword: env.ADMIN_PASSWORD,
    dynamicRegistration: Object.freeze({ autoActivate: env.LTI_DYNREG_AUTO_ACTIVATE }),
    ...(env.TLS_CERT_FILE &&
      env.TLS_KEY_FILE && { tls: { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE } }),
    demoLms: { enabled: env.DEMO_LMS ?? env.NODE_ENV === 'development', port: env.DEMO_LMS_PORT },
    scoring: Object.freeze({
      maxReachableLevel: env.MAX_REACHABLE_LEVEL,
      improveAfterDays: env.IMPROVE_AFTER_DAYS,
      resetAfterDays: env.RESET_AFTER_DAYS,
    }),
    exportTimeZone: env.EXPORT_TIME_ZONE,
  });
}

/** Reads the process environment. Call once, at boot. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}
