import { z } from 'zod';

/**
 * Configuration, validated once at start-up by every process (API, worker,
 * launcher), so a wrong value stops the process with a message naming it.
 */
const schema = z.object({
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is required (postgres://user:pass@host:port/db); `npm start` sets it for the embedded PostgreSQL' })
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'TEMPORAL_ADDRESS must be host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
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
  /** Keys the hashes of access tokens, refresh tokens and API keys; required by the API (see requireAuthSecret). */
  DUBAN_AUTH_SECRET: z.string().min(32, 'DUBAN_AUTH_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(7 * 86_400),
  /** Comma-separated origins allowed to call the API from a browser; empty: none (same origin only). */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), 'CORS_ORIGINS must be a comma-separated list of origins such as https://duban.example.gov.cn'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** A flood guard on login and refresh requests per client address, successes included: high enough for a county behind one NAT. */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  /** Wrong passwords in a row an account may have before each further attempt must wait (a growing delay, not a lock). */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** The longest wait the growing delay reaches (2 s, 4 s, 8 s, … up to this). */
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Failed logins (any account, unknown names included) one client address may have in 15 minutes before it must wait. */
  LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(30),
  /**
   * Reverse proxies whose X-Forwarded-For is believed (Express `trust proxy`): empty (default) believes none and
   * takes the socket's address; a number is the count of proxy hops in front of the API; otherwise a comma-separated
   * list of addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v): false | number | string[] => {
      const t = v.trim();
      if (!t) return false;
      if (/^\d+$/.test(t)) return Number(t);
      return t
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
    })
    .refine(
      (v) => v === false || typeof v === 'number' || v.every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(p)),
      'TRUSTED_PROXIES must be empty, a number of proxy hops, or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    ),
  /** How long the answer to a request with an Idempotency-Key is kept for its retries (at least a day). */
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(24)
    .max(24 * 30)
    .default(24),
  /** How long a request with a key holds it; after that a retry may take it over (its process is presumed dead). */
  IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** The deadline of one call to Temporal (an update waiting for its workflow included); read by libs/temporal/src/calls.ts. */
  TEMPORAL_CALL_DEADLINE_MS: z.coerce.number().int().min(1000).max(120_000).default(30_000),
  /**
   * Sizing (README, "Where one machine is not enough"). Connections each API or
   * worker process keeps to PostgreSQL; all processes together must stay under
   * the server's max_connections.
   */
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(500).default(20),
  /** Workflow tasks one worker process runs at once (Temporal's maxConcurrentWorkflowTaskExecutions). */
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(2000).default(40),
  /** Activities one worker process runs at once (maxConcurrentActivityTaskExecutions): deliveries, exports, imports. */
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(2000).default(100),
  /** Local activities at once (maxConcurrentLocalActivityExecutions): every recorded event of a matter is one. */
  WORKER_LOCAL_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(2000).default(100),
  /** Long polls a worker keeps open on the workflow and on the activity task queue (raise with task queue partitions). */
  WORKER_WORKFLOW_POLLERS: z.coerce.number().int().min(2).max(200).default(10),
  WORKER_ACTIVITY_POLLERS: z.coerce.number().int().min(1).max(200).default(10),
  /** Workflows kept in a worker's memory between their tasks (0: the SDK's default, from the heap size); an evicted one is replayed from its history. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /**
   * How long a cached matter's workflow task may wait for its worker (Temporal's sticky queue) before
   * it is handed to any worker, which replays the whole history. The SDK's 10 s is shorter than an
   * 18:00 burst on a small machine (every task past it costs the work twice), but a longer wait also
   * holds a killed worker's tasks that long (README, "Why the burst goals are not met here").
   */
  WORKER_STICKY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /** A stage turns yellow this many days before its due day ends (the plan may say otherwise). */
  DUBAN_STAGE_WARNING_DAYS: z.coerce.number().int().min(0).max(90).default(10),
  /** The weekly ranking and bulletin (一周一排序), a cron in DUBAN_TIME_ZONE: Monday 08:30 by default. */
  DUBAN_BULLETIN_CRON: z.string().min(9).default('30 8 * * MON'),
  /** The monthly investment check, a cron in DUBAN_TIME_ZONE: the 5th at 09:00 (after units report the month). */
  DUBAN_INVESTMENT_CHECK_CRON: z.string().min(9).default('0 9 5 * *'),
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

/** The API cannot run without its secret; the embedded stack generates one, a real deployment must set it. */
export function requireAuthSecret(cfg: DubanConfig): string {
  if (!cfg.DUBAN_AUTH_SECRET) {
    throw new ConfigError([
      'DUBAN_AUTH_SECRET: required by the API (at least 32 random characters, e.g. `openssl rand -hex 32`); ' +
        '`npm start` on embedded defaults generates one in .data/auth-secret',
    ]);
  }
  return cfg.DUBAN_AUTH_SECRET;
}

/** Nest provider token for the validated configuration. */
export const DUBAN_CONFIG = 'DUBAN_CONFIG';
