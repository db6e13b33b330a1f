/**
 * The audit log on a real PostgreSQL: append-only in the database itself,
 * hash-chained so that an edit made with the triggers disabled (as a
 * superuser could) is found by the verify command.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { auditHash } from '../../libs/audit/src/audit-chain';
import { AuditEntry } from '../../libs/audit/src/audit-entry.entity';
import { AuditService } from '../../libs/audit/src/audit.service';
import { SYSTEM_ACTOR } from '../../libs/audit/src/audit.types';
import { verifyAuditChain } from '../../libs/audit/src/verify';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { TestDatabase, createTestDatabase } from '../support/db';

const run = promisify(execFile);
let db: TestDatabase;
let audit: AuditService;

beforeAll(async () => {
  db = await createTestDatabase('audit');
  audit = new AuditService(db.ds);
  const person = { kind: 'person' as const, id: '11111111-1111-4111-8111-111111111111', name: '项目办戊' };
  for (let i = 0; i < 5; i++) {
    await db.ds.transaction((em) =>
      audit.record(em, {
        actor: person,
        action: 'project.create',
        targetType: 'project',
        targetId: `p${i}`,
        after: { name: `项目${i}`, nested: { b: 1, a: [1, 2] } },
        requestId: `r${i}`,
      }),
    );
  }
  // Concurrent writers still make one linear chain.
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      db.ds.transaction((em) =>
        audit.record(em, { actor: SYSTEM_ACTOR, action: 'blocker.escalate', targetType: 'blocker', targetId: `b${i}`, before: { rung: 'unit' }, after: { rung: 'liaison' } }),
      ),
    ),
  );
});

afterAll(() => db?.drop());

const verifyCli = () =>
  run(process.execPath, [join(PROJECT_ROOT, 'dist/libs/audit/src/verify-main.js')], { env: { ...process.env, DATABASE_URL: db.url } }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr }),
  );

test('a chain written by sequential and concurrent transactions verifies', async () => {
  const report = await verifyAuditChain(db.ds);
  expect(report).toEqual({ ok: true, rows: 25, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  const cli = await verifyCli();
  expect(cli).toEqual({ code: 0, out: `audit chain OK: 25 rows, head ${report.headHash}\n` });
});

test('record() refuses to run outside a transaction', async () => {
  await expect(audit.record(db.ds.manager, { actor: SYSTEM_ACTOR, action: 'x', targetType: 'x', targetId: null })).rejects.toThrow(/inside the transaction/);
});

test('UPDATE, DELETE and TRUNCATE on the audit log fail, whoever asks', async () => {
  await expect(db.ds.query(`UPDATE audit_log SET actor_name = '别人' WHERE seq = 1`)).rejects.toThrow(/append-only: UPDATE refused/);
  await expect(db.ds.query(`DELETE FROM audit_log WHERE seq = 2`)).rejects.toThrow(/append-only: DELETE refused/);
  await expect(db.ds.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
  expect(Number((await db.ds.query(`SELECT count(*) FROM audit_log WHERE actor_name = '项目办戊'`))[0].count)).toBe(5);
});

test('the project office’s query filters by target, actor, action and time', async () => {
  expect((await audit.query({ targetType: 'blocker', page: 1, pageSize: 100 })).total).toBe(20);
  expect((await audit.query({ targetId: 'p3', page: 1, pageSize: 100 })).items.map((r) => r.requestId)).toEqual(['r3']);
  expect((await audit.query({ actorId: '11111111-1111-4111-8111-111111111111', page: 1, pageSize: 2 })).total).toBe(5);
  expect((await audit.query({ action: 'project.create', from: new Date(Date.now() + 1000), page: 1, pageSize: 10 })).total).toBe(0);
  const newestFirst = (await audit.query({ page: 1, pageSize: 3 })).items.map((r) => Number(r.seq));
  expect(newestFirst).toEqual([25, 24, 23]);
});

/** As a superuser could: disable the triggers, change history, enable them again. */
async function tamper(sql: string): Promise<void> {
  await db.ds.query(`ALTER TABLE audit_log DISABLE TRIGGER USER`);
  try {
    await db.ds.query(sql);
  } finally {
    await db.ds.query(`ALTER TABLE audit_log ENABLE TRIGGER USER`);
  }
}

test('an edit made with the triggers disabled is found by the verify command', async () => {
  await tamper(`UPDATE audit_log SET after = '{"name":"改过的项目"}' WHERE seq = 3`);
  const report = await verifyAuditChain(db.ds);
  expect(report).toMatchObject({ ok: false, firstBrokenSeq: 3, rows: 2 });
  expect(report.problem).toMatch(/changed after it was written/);
  const cli = await verifyCli();
  expect(cli.code).toBe(1);
  expect(cli.out).toMatch(/BROKEN at seq 3/);
});

test('an edit that also recomputes its own hash breaks the link to the next row; a deleted row is found too', async () => {
  // Putting row 3 back as it was makes the chain whole again (jsonb key order does not matter).
  await tamper(`UPDATE audit_log SET after = '{"nested":{"b":1,"a":[1,2]},"name":"项目2"}' WHERE seq = 3`);
  expect((await verifyAuditChain(db.ds)).ok).toBe(true);
  const [{ hash, actor_name }] = await db.ds.query(`SELECT hash, actor_name FROM audit_log WHERE seq = 7`);
  // A forger who recomputes row 7's hash from its new content still cannot make row 8 point at it.
  const row7 = await db.ds.getRepository(AuditEntry).findOneByOrFail({ seq: '7' });
  const forged = auditHash(row7.prevHash, { ...row7, actorName: '冒名' });
  await tamper(`UPDATE audit_log SET actor_name = '冒名', hash = '${forged}' WHERE seq = 7`);
  expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: false, firstBrokenSeq: 8 });
  await tamper(`UPDATE audit_log SET actor_name = '${actor_name}', hash = '${hash}' WHERE seq = 7`);
  expect((await verifyAuditChain(db.ds)).ok).toBe(true);
  await tamper(`DELETE FROM audit_log WHERE seq = 10`);
  expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: false, firstBrokenSeq: 11 });
});
