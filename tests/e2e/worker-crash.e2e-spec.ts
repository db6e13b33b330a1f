/**
 * A worker killed (SIGKILL) in the middle of many ladders, twice, and
 * restarted: every ladder completes, every move keeps its due instant, and
 * no notice is missing or duplicated. Real PostgreSQL, real Temporal dev
 * server, the compiled worker and API processes.
 */
import { join } from 'node:path';
import { NodeChild, spawnNode } from '../../apps/stack/src/processes';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty } from '../support/fixtures';
import { RealStack, eventually, http as rawHttp, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

const BLOCKERS = 20;
let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
let apiUrl: string;
let token: string;
const http = (method: string, url: string, body?: unknown) => rawHttp(method, url, body, token);
const dist = (p: string) => join(PROJECT_ROOT, 'dist', p);

beforeAll(async () => {
  db = await createTestDatabase('crash');
  county = await seedSmallCounty(db.ds);
  await createAccounts(db.ds, { office: county.officer });
  stack = await startRealStack(db.url, { worker: false }); // this test runs its own workers, and kills them
  apiUrl = stack.api;
  token = await loginAs(apiUrl, 'office', TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWorker(): NodeChild {
  return spawnNode('worker', dist('apps/worker/src/main.js'), stack.env);
}

async function kill(worker: NodeChild): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

test('killing the worker mid-ladder loses no timer and duplicates no notice', async () => {
  let worker = startWorker();
  const policy = await http('POST', `${apiUrl}/escalation-policies`, {
    name: 'crash 4s',
    severity: 'urgent',
    automatic: false,
    rungs: [
      { rung: 'unit', responseTime: 'PT4S' },
      { rung: 'liaison', responseTime: 'PT4S' },
      { rung: 'county', responseTime: 'PT4S' },
    ],
  });
  const ids: string[] = [];
  for (let i = 0; i < BLOCKERS; i++) {
    const r = await http('POST', `${apiUrl}/projects/${county.projectId}/blockers`, {
      category: 'relocation',
      title: `拆迁问题 ${i + 1}`,
      policyId: policy.body.id,
    });
    expect(r.status).toBe(201);
    ids.push(r.body.id);
  }

  await sleep(3000);
  await kill(worker); // down across the first due instants
  await sleep(4000);
  worker = startWorker();
  await sleep(3500);
  await kill(worker); // down again, mid-ladder
  await sleep(2500);
  worker = startWorker();

  await eventually('every ladder at the top', async () => Number((await db.ds.query(`SELECT count(*) FROM blocker WHERE overdue_at_top`))[0].count) === BLOCKERS, 90_000);
  await worker.stop();

  for (const id of ids) {
    const ev: { seq: number; type: string; at: Date; due_at: Date | null; id: string }[] = await db.ds.query(
      `SELECT id, seq, type, at, due_at FROM blocker_event WHERE blocker_id = $1 ORDER BY seq`,
      [id],
    );
    expect(ev.map((e) => `${e.seq}:${e.type}`)).toEqual(['1:reported', '2:escalated', '3:escalated', '4:overdue_at_top']);
    // Every move is recorded at the due instant set by the move before, whatever the worker was doing.
    for (let i = 1; i < ev.length; i++) expect(ev[i].at.getTime()).toBe(ev[i - 1].due_at!.getTime());
    const perEvent: { n: string }[] = await db.ds.query(`SELECT count(*) AS n FROM notice WHERE blocker_id = $1 GROUP BY event_id ORDER BY min(created_at)`, [id]);
    // reported: 2 unit people; → liaison: the leader + copies to 2 unit people; → county: 3 (leader, county head, office);
    // overdue: 3 (the liaison leader is also a county leader, so the county copy to him is his escalation notice).
    expect(perEvent.map((r) => Number(r.n))).toEqual([2, 3, 3, 3]);
  }
  const dupes = await db.ds.query(`SELECT event_id, recipient_id, channel, count(*) FROM notice GROUP BY 1,2,3 HAVING count(*) > 1`);
  expect(dupes).toEqual([]);
  // The crash windows were real: some moves were recorded well after their due instant.
  const late = await db.ds.query(`SELECT count(*) FROM blocker_event WHERE recorded_at - at > interval '1 second'`);
  expect(Number(late[0].count)).toBeGreaterThan(0);
});
