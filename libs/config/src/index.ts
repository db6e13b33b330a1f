import { z } from 'zod';

/**
 * Configuration, validated once at start-up by every process (API, worker,
 * launcher), so a wrong value stops the process with a message naming it.
 */
const schema = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is required (postgres://user:pass@host:port/db); `npm start` sets it for the embedded PostgreSQL' })
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://'),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'TEMPORAL_ADDRESS must be host:port, e.g. 127.0.0.1:7233').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('duban'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DUBAN_TIME_ZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'DUBAN_TIME_ZONE must be an IANA time zone, e.g. Asia/Shanghai'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

export type DubanConfig = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DubanConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`));
  }
  return parsed.data;
}

/** Nest provider token for the validated configuration. */
export const DUBAN_CONFIG = 'DUBAN_CONFIG';
