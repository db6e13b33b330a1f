/**
 * The audit log's edges on a real PostgreSQL: what record() stores and
 * hashes for awkward input, gaps left by rolled-back transactions, the
 * isolation it needs, exact time windows, tampering with the first row or an
 * actor, the CLI without DATABASE_URL, and the migration's down().
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AuditService } from '../../libs/audit/src/audit.service';
import { AuditActor, SYSTEM_ACTOR } from '../../libs/audit/src/audit.types';
import { verifyAuditChain } from '../../libs/audit/src/verify';
import { AuditLog1763960000000 } from '../../libs/persistence/src/migrations/1763960000000-audit-log';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { TestDatabase, createTestDatabase } from '../support/db';

const run = promisify(execFile);
let db: TestDatabase;
let audit: AuditService;

const clerk: AuditActor = { kind: 'person', id: '22222222-2222-4222-8222-222222222222', name: '项目办己' };
const key: AuditActor = { kind: 'api_key', id: '33333333-3333-4333-8333-333333333333', name: '审批系统' };
const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const hour = 3600_000;

beforeAll(async () => {
  db = await createTestDatabase('audit_record');
  audit = new AuditService(db.ds);
});
afterAll(() => db?.drop());

const count = async (where = 'true') => Number((await db.ds.query(`SELECT count(*) FROM audit_log WHERE ${where}`))[0].count);

async function tamper(sql: string): Promise<void> {
  await db.ds.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`);
  try {
    await db.ds.query(sql);
  } finally {
    await db.ds.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete`);
  }
}

test('text PostgreSQL cannot keep as given (NUL, lone surrogates) is stored as U+FFFD and hashed as stored', async () => {
  const entry = await db.ds.transaction((em) =>
    audit.record(em, {
      actor: { kind: 'anonymous', id: null, name: 'adm\u0000in' },
      action: 'auth.login_failed',
      targetType: 'account',
      targetId: null,
      after: { ['k\udc00']: 'v\ud800', when: new Date(T0), skipped: undefined, list: [1, undefined, 'x\u0000'] },
      reason: 'a\ud800b',
      at: new Date(T0 + 123),
    }),
  );
  const [row] = await db.ds.query(`SELECT actor_name, after, reason, at FROM audit_log WHERE seq = $1`, [entry.seq]);
  expect(row).toEqual({
    actor_name: 'adm\ufffdin',
    after: { 'k\ufffd': 'v\ufffd', when: '2025-03-03T08:00:00.000Z', list: [1, null, 'x\ufffd'] },
    reason: 'a\ufffdb',
    at: new Date(T0 + 123),
  });
  expect(await verifyAuditChain(db.ds)).toEqual({ ok: true, rows: 1, headHash: entry.hash });
});

test('a rolled-back write leaves no audit row and no break in the chain (rows are chained only at commit)', async () => {
  await expect(
    db.ds.transaction(async (em) => {
      await audit.record(em, { actor: clerk, action: 'project.create', targetType: 'project', targetId: 'lost', after: { name: '撤回' } });
      throw new Error('the write failed after its audit row');
    }),
  ).rejects.toThrow(/the write failed/);
  const next = await db.ds.transaction((em) => audit.record(em, { actor: clerk, action: 'project.create', targetType: 'project', targetId: 'kept', after: { name: '保留' } }));
  expect(next.seq).toBe('2'); // the rolled-back row never took a seq
  expect(await count(`target_id = 'lost'`)).toBe(0);
  expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: true, rows: 2, headHash: next.hash });
});

test('a savepoint rolled back takes its audit rows with it; one released keeps them', async () => {
  await db.ds.transaction(async (em) => {
    await audit.record(em, { actor: clerk, action: 'x.outer', targetType: 'sp', targetId: 'outer' });
    await em.transaction((inner) => audit.record(inner, { actor: clerk, action: 'x.kept', targetType: 'sp', targetId: 'kept' }));
    await expect(
      em.transaction(async (inner) => {
        await audit.record(inner, { actor: clerk, action: 'x.dropped', targetType: 'sp', targetId: 'dropped' });
        throw new Error('inner failed');
      }),
    ).rejects.toThrow(/inner failed/);
  });
  expect((await db.ds.query(`SELECT target_id FROM audit_log WHERE target_type = 'sp' ORDER BY seq`)).map((r: { target_id: string }) => r.target_id)).toEqual(['outer', 'kept']);
  expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: true, rows: 4 });
});

test('a long audited transaction does not hold the chain: other audited writes commit while it is still open', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let recorded!: () => void;
  const hasRecorded = new Promise<void>((r) => (recorded = r));
  const long = db.ds.transaction(async (em) => {
    await audit.record(em, { actor: clerk, action: 'ledger.import', targetType: 'long', targetId: 'import' });
    recorded();
    await gate; // the rest of a long import
  });
  await hasRecorded;
  // With the lock held from the first record() to the commit (as before), this would wait for `long` forever.
  const other = await db.ds.transaction((em) => audit.record(em, { actor: clerk, action: 'auth.login', targetType: 'long', targetId: 'login' }));
  release();
  await long;
  const rows = await db.ds.query(`SELECT target_id, seq::text FROM audit_log WHERE target_type = 'long' ORDER BY seq`);
  expect(rows).toEqual([
    { target_id: 'login', seq: other.seq },
    { target_id: 'import', seq: expect.any(String) },
  ]); // chained in commit order
  expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: true, rows: 6 });
});

test('record() refuses a REPEATABLE READ or SERIALIZABLE transaction, whose snapshot could miss the last row', async () => {
  for (const level of ['REPEATABLE READ', 'SERIALIZABLE'] as const) {
    await expect(db.ds.transaction(level, (em) => audit.record(em, { actor: SYSTEM_ACTOR, action: 'x', targetType: 'x', targetId: null }))).rejects.toThrow(
      new RegExp(`needs a READ COMMITTED transaction, not ${level}`),
    );
  }
  expect(await count()).toBe(6);
});

test('interleaved transactions, several rows each, still make one linear chain', async () => {
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      db.ds.transaction(async (em) => {
        await audit.record(em, { actor: SYSTEM_ACTOR, action: 'blocker.escalate', targetType: 'blocker', targetId: `c${i}`, after: { step: 1 } });
        await em.query('SELECT pg_sleep(0.01)');
        await audit.record(em, { actor: SYSTEM_ACTOR, action: 'blocker.notify', targetType: 'blocker', targetId: `c${i}`, after: { step: 2 } });
      }),
    ),
  );
  expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: true, rows: 26 });
  // Each transaction's two rows are adjacent: they are chained together at its commit.
  const rows: { target_id: string }[] = await db.ds.query(`SELECT target_id FROM audit_log WHERE target_type = 'blocker' ORDER BY seq`);
  for (let i = 0; i < rows.length; i += 2) expect(rows[i + 1].target_id).toBe(rows[i].target_id);
  expect(await count(`prev_hash IS NULL`)).toBe(1);
  expect(Number((await db.ds.query(`SELECT count(DISTINCT prev_hash) FROM audit_log`))[0].count)).toBe(25);
});

test('query: exact time windows (from inclusive, to exclusive), with target, actor, action and pages', async () => {
  await db.ds.transaction(async (em) => {
    for (let i = 0; i < 10; i++) {
      await audit.record(em, {
        actor: i % 2 ? key : clerk,
        action: i < 5 ? 'project.update' : 'project.report',
        targetType: 'project',
        targetId: i < 7 ? 'P1' : 'P2',
        at: new Date(T0 + i * hour),
      });
    }
  });
  const q = (x: Omit<Parameters<AuditService['query']>[0], 'page' | 'pageSize'>, page = 1, pageSize = 100) => audit.query({ ...x, page, pageSize });
  const hours = (p: { items: { at: Date }[] }) => p.items.map((r) => (r.at.getTime() - T0) / hour);

  expect(hours(await q({ targetType: 'project', from: new Date(T0 + 2 * hour), to: new Date(T0 + 5 * hour) }))).toEqual([4, 3, 2]);
  expect((await q({ from: new Date(T0 + 2 * hour + 1), to: new Date(T0 + 5 * hour + 1) })).total).toBe(3); // 3, 4, 5
  expect((await q({ to: new Date(T0) })).total).toBe(0); // the first row (T0 + 123 ms) is not before T0
  expect((await q({ to: new Date(T0 + 124) })).total).toBe(2); // T0 + 123 ms and the project row at T0
  expect((await q({ actorId: key.id!, targetId: 'P1' })).total).toBe(3); // i = 1, 3, 5
  expect(hours(await q({ actorId: clerk.id!, action: 'project.report', from: new Date(T0 + 5 * hour) }))).toEqual([8, 6]);
  expect((await q({ targetType: 'project', targetId: 'P2' })).total).toBe(3);
  const page2 = await q({ targetId: 'P1' }, 2, 3);
  expect({ total: page2.total, page: page2.page, pageSize: page2.pageSize, hours: hours(page2) }).toEqual({ total: 7, page: 2, pageSize: 3, hours: [3, 2, 1] });
});

test('an actor changed with the trigger disabled (by name) is found at that seq; so is a removed first row', async () => {
  const [{ seq }] = await db.ds.query(`SELECT seq FROM audit_log WHERE actor_id = $1 ORDER BY seq LIMIT 1 OFFSET 2`, [key.id]);
  await tamper(`UPDATE audit_log SET actor_id = '${clerk.id}', actor_name = '${clerk.name}' WHERE seq = ${seq}`);
  const report = await verifyAuditChain(db.ds);
  expect(report).toMatchObject({ ok: false, firstBrokenSeq: Number(seq) });
  expect(report.problem).toMatch(/changed after it was written/);
  await tamper(`UPDATE audit_log SET actor_id = '${key.id}', actor_name = '${key.name}' WHERE seq = ${seq}`);
  expect((await verifyAuditChain(db.ds)).ok).toBe(true);

  await tamper(`DELETE FROM audit_log WHERE seq = 1`);
  expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: false, rows: 0, firstBrokenSeq: 2, problem: expect.stringMatching(/rows before it were removed/) });
});

test('the verify command without DATABASE_URL says what it needs and exits 2', async () => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const r = await run(process.execPath, [join(PROJECT_ROOT, 'dist/libs/audit/src/verify-main.js')], { env }).then(
    () => ({ code: 0, err: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
  );
  expect(r).toEqual({ code: 2, err: expect.stringMatching(/DATABASE_URL is required/) });
});

test('the migration’s down() removes the table, its triggers and function; up() puts them back', async () => {
  const qr = db.ds.createQueryRunner();
  try {
    await new AuditLog1763960000000().down(qr);
    expect(await qr.query(`SELECT to_regclass('audit_log') AS t, (SELECT count(*)::int FROM pg_proc WHERE proname = 'audit_log_append_only') AS f`)).toEqual([{ t: null, f: 0 }]);
    await new AuditLog1763960000000().up(qr);
    expect((await qr.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass ORDER BY tgname`)).map((r: { tgname: string }) => r.tgname)).toEqual([
      'audit_log_no_truncate',
      'audit_log_no_update_delete',
    ]);
  } finally {
    await qr.release();
  }
  const first = await db.ds.transaction((em) => audit.record(em, { actor: SYSTEM_ACTOR, action: 'x', targetType: 'x', targetId: null }));
  expect(first).toMatchObject({ seq: '1', prevHash: null });
  await expect(db.ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only: DELETE refused/);
});
