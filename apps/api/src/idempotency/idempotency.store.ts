import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../../../libs/config/src';

export interface KeyedRequest {
  actor: string;
  key: string;
  method: string;
  route: string;
  requestHash: string;
}

/** What the table says about a key when a request arrives with it. */
export type Claim =
  { kind: 'run' } | { kind: 'replay'; status: number; body: unknown } | { kind: 'mismatch'; method: string; route: string } | { kind: 'in_flight'; retryAfterSeconds: number };

/**
 * The idempotency_key table. A request claims its (actor, key) row before it
 * runs; the row holds a lease (`locked_until`) so that a request whose process
 * died does not hold its key for ever: once the lease is over a retry takes
 * the key over (the work it repeats is itself keyed, see libs/temporal/src/calls.ts).
 */
@Injectable()
export class IdempotencyStore {
  private lastPurge = 0;

  constructor(
    private readonly ds: DataSource,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  async claim(r: KeyedRequest): Promise<Claim> {
    await this.purgeNowAndThen();
    const ttl = `${this.cfg.IDEMPOTENCY_TTL_HOURS} hours`;
    const lease = `${this.cfg.IDEMPOTENCY_LEASE_SECONDS} seconds`;
    // Insert, or take over a row that has expired or whose holder's lease ran out (same request only).
    const [taken] = await this.ds.query(
      `INSERT INTO idempotency_key AS k (actor, key, method, route, request_hash, status, locked_until)
       VALUES ($1, $2, $3, $4, $5, 'in_flight', now() + $6::interval)
       ON CONFLICT (actor, key) DO UPDATE
         SET method = EXCLUDED.method, route = EXCLUDED.route, request_hash = EXCLUDED.request_hash, status = 'in_flight',
             locked_until = EXCLUDED.locked_until, response_status = NULL, response_body = NULL, created_at = now(), completed_at = NULL
         WHERE k.created_at < now() - $7::interval
            OR (k.status = 'in_flight' AND k.locked_until < now() AND k.request_hash = EXCLUDED.request_hash)
       RETURNING 1 AS ok`,
      [r.actor, r.key, r.method, r.route, r.requestHash, lease, ttl],
    );
    if (taken) return { kind: 'run' };
    const [row] = await this.ds.query(
      `SELECT method, route, request_hash, status, response_status, response_body,
              GREATEST(1, ceil(extract(epoch FROM locked_until - now())))::int AS wait
         FROM idempotency_key WHERE actor = $1 AND key = $2`,
      [r.actor, r.key],
    );
    if (!row) return this.claim(r); // released between the two statements
    if (row.request_hash !== r.requestHash) return { kind: 'mismatch', method: row.method, route: row.route };
    if (row.status === 'done') return { kind: 'replay', status: row.response_status, body: row.response_body };
    return { kind: 'in_flight', retryAfterSeconds: row.wait };
  }

  async complete(r: KeyedRequest, status: number, body: unknown): Promise<void> {
    await this.ds.query(
      `UPDATE idempotency_key SET status = 'done', locked_until = NULL, response_status = $3, response_body = $4::jsonb, completed_at = now()
        WHERE actor = $1 AND key = $2 AND request_hash = $5`,
      [r.actor, r.key, status, JSON.stringify(body ?? null), r.requestHash],
    );
  }

  /** A failed request leaves nothing behind: its retry runs afresh (its keyed Temporal ids still dedupe). */
  async release(r: KeyedRequest): Promise<void> {
    await this.ds.query(`DELETE FROM idempotency_key WHERE actor = $1 AND key = $2 AND status = 'in_flight' AND request_hash = $3`, [r.actor, r.key, r.requestHash]);
  }

  /** Expired rows go at most once every ten minutes per process, in one cheap indexed statement. */
  private async purgeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPurge < 600_000) return;
    this.lastPurge = Date.now();
    await this.ds.query(`DELETE FROM idempotency_key WHERE created_at < now() - $1::interval`, [`${this.cfg.IDEMPOTENCY_TTL_HOURS} hours`]);
  }
}
