/**
 * The idempotency_key table's rules on a real PostgreSQL: a key is run once,
 * replayed when done, refused for another request, held while in flight,
 * taken over once its holder's lease ran out (same request only), free again
 * after the retention period or a failure; the migration's down().
 */
import { IdempotencyStore, KeyedRequest } from '../../apps/api/src/idempotency/idempotency.store';
import type { DubanConfig } from '../../libs/config/src';
import { IdempotencyKey1764120000000 } from '../../libs/persistence/src/migrations/1764120000000-idempotency-key';
import { TestDatabase, createTestDatabase } from '../support/db';

let db: TestDatabase;
let store: IdempotencyStore;

beforeAll(async () => {
  db = await createTestDatabase('idempotency');
  store = new IdempotencyStore(db.ds, { IDEMPOTENCY_TTL_HOURS: 24, IDEMPOTENCY_LEASE_SECONDS: 30 } as DubanConfig);
});
afterAll(() => db?.drop());

let n = 0;
const request = (over: Partial<KeyedRequest> = {}): KeyedRequest => ({ actor: 'person:a', key: `key-${++n}`, method: 'POST', route: '/api/x', requestHash: 'h1', ...over });
const age = (r: KeyedRequest, set: string) => db.ds.query(`UPDATE idempotency_key SET ${set} WHERE actor = $1 AND key = $2`, [r.actor, r.key]);

test('run once, then in flight with a wait, then the stored answer', async () => {
  const r = request();
  expect(await store.claim(r)).toEqual({ kind: 'run' });
  const held = await store.claim(r);
  expect(held.kind).toBe('in_flight');
  expect(held.kind === 'in_flight' && held.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  await store.complete(r, 201, { id: 'm1', at: '2026-01-01T00:00:00.000Z' });
  expect(await store.claim(r)).toEqual({ kind: 'replay', status: 201, body: { id: 'm1', at: '2026-01-01T00:00:00.000Z' } });
});

test('another request under the key is refused, in flight or done; another actor has keys of its own', async () => {
  const r = request();
  await store.claim(r);
  expect(await store.claim({ ...r, requestHash: 'h2', route: '/api/y' })).toEqual({ kind: 'mismatch', method: 'POST', route: '/api/x' });
  await store.complete(r, 200, null);
  expect((await store.claim({ ...r, requestHash: 'h2' })).kind).toBe('mismatch');
  expect(await store.claim({ ...r, actor: 'person:b', requestHash: 'h2' })).toEqual({ kind: 'run' });
});

test('a dead holder’s key is taken over after its lease, by the same request only', async () => {
  const r = request();
  await store.claim(r);
  await age(r, `locked_until = now() - interval '1 second'`);
  expect((await store.claim({ ...r, requestHash: 'other' })).kind).toBe('mismatch');
  expect(await store.claim(r)).toEqual({ kind: 'run' });
  expect((await store.claim(r)).kind).toBe('in_flight'); // the new holder has a fresh lease
});

test('a failure frees the key; after the retention period the key is new again', async () => {
  const failed = request();
  await store.claim(failed);
  await store.release(failed);
  expect(await store.claim({ ...failed, requestHash: 'other' })).toEqual({ kind: 'run' });

  const old = request();
  await store.claim(old);
  await store.complete(old, 201, { id: 'old' });
  await age(old, `created_at = now() - interval '25 hours'`);
  expect(await store.claim({ ...old, requestHash: 'new' })).toEqual({ kind: 'run' });
});

test('the migration’s down() removes the table and up() restores it', async () => {
  const qr = db.ds.createQueryRunner();
  try {
    await new IdempotencyKey1764120000000().down(qr);
    expect(await qr.hasTable('idempotency_key')).toBe(false);
    await new IdempotencyKey1764120000000().up(qr);
    expect(await qr.hasTable('idempotency_key')).toBe(true);
  } finally {
    await qr.release();
  }
});
