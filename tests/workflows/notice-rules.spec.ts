/**
 * The rules of who is told what, when (shared/design/notices.md) on the
 * time-skipping server, with the real activities (escalation, outbox, digest),
 * a real PostgreSQL, the relay's LISTEN and the local DingTalk receiver:
 *   - quiet hours: a normal notice at 23:00 is sent at 07:30, an urgent one at once;
 *   - the digest: at 08:30 of the next working day of the calendar (a day off skipped),
 *     one message listing the unread notices grouped by matter, nothing when empty;
 *   - delegation (代理): the deputy's copy goes to the deputy during the period, the
 *     person gets theirs after it, and a deputy's deputy is not reached.
 * Instants are workflow time (the server's skipped clock), read from histories.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { startReceivers, type Receivers } from '../../libs/channels/src/receivers';
import type { BlockerWorkflowInput } from '../../libs/domain/src/blocker';
import { blockerWorkflowId } from '../../libs/domain/src/blocker';
import { openedUpdate } from '../../libs/domain/src/blocker.contract';
import { DEFAULT_LADDER_RUNGS } from '../../libs/domain/src/ladder';
import { nextDigestAt } from '../../libs/domain/src/notice-rules';
import { deliveryWorkflowId, DeliveryDispatcher } from '../../libs/notices/src/delivery-dispatcher';
import { planDeliveries } from '../../libs/notices/src/delivery-planner';
import { DeliveryRelay } from '../../libs/notices/src/delivery-relay';
import { NOTICE_DIGEST_WORKFLOW_ID } from '../../libs/notices/src/digest.activities';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { seedSmallCounty, type SmallCounty } from '../support/fixtures';
import { eventually } from '../support/stack';
import { createTimeSkippingEnv } from '../support/temporal';
import { startTestWorker, type TestWorker } from '../support/worker';

const ZONE = 'Asia/Shanghai';
const MIN = 60_000;
const H = 60 * MIN;
const taskQueue = 'test-notice-rules';

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let county: SmallCounty;
let worker: TestWorker;
let receivers: Receivers;
let relay: DeliveryRelay;

beforeAll(async () => {
  db = await createTestDatabase('notice_rules');
  county = await seedSmallCounty(db.ds);
  env = await createTimeSkippingEnv();
  worker = await startTestWorker(db, env, taskQueue, ZONE);
  receivers = await startReceivers();
  await db.ds.query(`INSERT INTO notice_channel (kind, name, settings) VALUES ('dingtalk_work', '政务钉钉工作通知', $1)`, [JSON.stringify(receivers.settingsFor('dingtalk_work'))]);
  relay = new DeliveryRelay(new DeliveryDispatcher(db.ds, env.client, worker.cfg), env.client, worker.cfg);
  await relay.startListening();
}, 180_000);

afterAll(async () => {
  await relay?.onModuleDestroy();
  await worker?.stop();
  await receivers?.close();
  await env?.teardown();
  await db?.drop();
});

async function person(name: string, dingtalk: string | null, unitId = county.committeeId): Promise<string> {
  const [p] = await db.ds.query(`INSERT INTO person (name, org_unit_id, roles, dingtalk_user_id) VALUES ($1,$2,'{}',$3) RETURNING id`, [name, unitId, dingtalk]);
  return p.id;
}

/** A notice as an activity writes one (lifecycle-style, keyed by source), planned in its transaction. */
async function notify(recipientId: string, kind: string, title: string, at: number, rung = 'county'): Promise<string> {
  return db.ds.transaction(async (em) => {
    const [n] = await em.query(
      `INSERT INTO notice (project_id, source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
       VALUES ($1,$2,$3,'inbox',$4,$5,$6,$7,$6,$7,$8) RETURNING id`,
      [county.projectId, `test:${randomUUID()}`, recipientId, kind, rung, title, `${title}：请及时处理。`, new Date(at).toISOString()],
    );
    await planDeliveries(em, [n.id], worker.cfg);
    return n.id as string;
  });
}

/**
 * The delivery once its workflow (started by the relay) has finished, and
 * when the send was scheduled in workflow time (the history's own timestamp).
 * It polls rather than awaiting the result: awaiting would let the server skip
 * on past the send to the next timer of every other workflow.
 */
async function delivered(deliveryId: string): Promise<{ status: string; sentAt: number }> {
  const [d] = await eventually('delivery done', async () =>
    db.ds
      .query(`SELECT status FROM delivery WHERE id = $1 AND dispatched_at IS NOT NULL AND status IN ('sent', 'dead', 'skipped')`, [deliveryId])
      .then((r) => (r.length ? r : null)),
  );
  const history = await env.client.workflow.getHandle(deliveryWorkflowId(deliveryId)).fetchHistory();
  const scheduled = history.events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendDelivery')!;
  const t = scheduled.eventTime!;
  return { status: d.status, sentAt: Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) };
}

async function deliveriesOf(noticeId: string): Promise<{ id: string; recipient_id: string; address: string; not_before: Date; urgent: boolean }[]> {
  return db.ds.query(`SELECT id, recipient_id, address, not_before, urgent FROM delivery WHERE notice_id = $1 ORDER BY created_at`, [noticeId]);
}

const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE });

describe('quiet hours (22:00–07:30): normal notices wait, urgent ones pierce', () => {
  test('an escalation at 23:00 reaches the liaison leader at 07:30 the next morning; an urgent-severity one at once', async () => {
    await db.ds.query(`UPDATE person SET dingtalk_user_id = 'leader-bing' WHERE id = $1`, [county.leader]);
    const now = await env.currentTimeMs();
    // The next 23:00 at least an hour away: each matter escalates from the unit to the liaison leader then.
    let at2300 = local(now).set({ hour: 23, minute: 0, second: 0, millisecond: 0 });
    if (at2300.toMillis() < now + H) at2300 = at2300.plus({ days: 1 });
    // Whole seconds, rounded up with a margin: the matter's clock starts a moment after `now` was read.
    const seconds = Math.ceil((at2300.toMillis() - now) / 1000) + 5;
    const start = async (severity: 'normal' | 'urgent', title: string) => {
      const input: BlockerWorkflowInput = {
        blockerId: randomUUID(),
        projectId: county.projectId,
        responsibleUnitId: county.unitId,
        category: 'relocation',
        severity,
        title,
        description: '补偿标准存在争议',
        reportedBy: county.unitStaff[1],
        reporterName: '联络员乙',
        policyId: null,
        rungs: [
          { rung: 'unit', responseTime: `PT${seconds}S` },
          { rung: 'liaison', responseTime: 'P5D' },
          { rung: 'county', responseTime: 'P5D' },
        ],
        ladder: DEFAULT_LADDER_RUNGS,
        repeatEvery: 'P30D',
        reopenWithin: 'P10D',
      };
      const h = await env.client.workflow.start('blockerEscalation', { workflowId: blockerWorkflowId(input.blockerId), taskQueue, args: [input] });
      await h.executeUpdate(openedUpdate);
      return input.blockerId;
    };
    const normal = await start('normal', '城南片区3户拆迁补偿未谈妥');
    const urgent = await start('urgent', '施工便道被阻断');
    await env.sleep(seconds * 1000 + MIN);

    const escalationTo = async (blockerId: string) =>
      eventually(`escalation notice of ${blockerId}`, async () => {
        const [n] = await db.ds.query(`SELECT id, urgent, created_at FROM notice WHERE blocker_id = $1 AND kind = 'escalation' AND recipient_id = $2`, [blockerId, county.leader]);
        return n as { id: string; urgent: boolean; created_at: Date } | undefined;
      });
    const n1 = await escalationTo(normal);
    const n2 = await escalationTo(urgent);
    expect([n1.urgent, n2.urgent]).toEqual([false, true]);
    const created = new Date(n1.created_at).getTime();
    expect(local(created).hour).toBe(23);

    const [d2] = await deliveriesOf(n2.id);
    const sentUrgent = await delivered(d2.id);
    expect(sentUrgent.status).toBe('sent');
    expect(local(sentUrgent.sentAt).hour).toBe(23); // within quiet hours: at once

    // Another normal notice in the night that the leader reads in the inbox before morning: its message is skipped.
    const readInTime = await notify(county.leader, 'reminder', '【催办】夜间提醒，已在站内阅读', await env.currentTimeMs(), 'liaison');
    await db.ds.query(`UPDATE notice SET read_at = created_at WHERE id = $1`, [readInTime]);
    const [skipped] = await deliveriesOf(readInTime);

    const [d1] = await deliveriesOf(n1.id);
    expect(local(new Date(d1.not_before).getTime()).toFormat('HH:mm')).toBe('07:30');
    const morning = local(created).plus({ days: 1 }).set({ hour: 7, minute: 30, second: 0, millisecond: 0 }).toMillis();
    expect((await db.ds.query(`SELECT status FROM delivery WHERE id = $1`, [d1.id]))[0].status).toBe('pending');
    await env.sleep(morning - (await env.currentTimeMs()) + MIN);
    const sentNormal = await delivered(d1.id);
    expect(sentNormal.status).toBe('sent');
    expect(sentNormal.sentAt).toBeGreaterThanOrEqual(morning);
    expect(sentNormal.sentAt).toBeLessThan(morning + MIN);

    expect((await delivered(skipped.id)).status).toBe('skipped');

    const toLeader = receivers.delivered('dingtalk_work').filter((m) => m.to === 'leader-bing');
    expect(toLeader.filter((m) => m.text.includes('城南片区3户拆迁补偿未谈妥'))).toHaveLength(1);
    expect(toLeader.filter((m) => m.text.includes('施工便道被阻断'))).toHaveLength(1);
    expect(toLeader.filter((m) => m.text.includes('已在站内阅读'))).toHaveLength(0);

    // The unit's people have no DingTalk id: the project office is told, once per person and day, though each got several notices.
    const told: { source_key: string; n: number }[] = await db.ds.query(
      `SELECT source_key, count(*)::int AS n FROM notice WHERE kind = 'unreachable' AND recipient_id = $1 GROUP BY source_key`,
      [county.officer],
    );
    for (const staff of county.unitStaff) expect(told.filter((t) => t.source_key.endsWith(`:${staff}`)).length).toBeGreaterThan(0);
    expect(told.every((t) => t.n === 1)).toBe(true);
    expect(told.some((t) => t.source_key.endsWith(`:${county.leader}`))).toBe(false);
  }, 180_000);
});

describe('the morning digest: 08:30 on the next working day, grouped by matter, nothing when empty', () => {
  test('two unread notices are listed once, on the working day after a local day off; a later empty round sends nothing', async () => {
    const reader = await person('住建局长庚', 'head-geng', county.unitId);
    await db.ds.query(`INSERT INTO notice_preference (person_id, kind, channels, digest) VALUES ($1, 'stage_warning', '{dingtalk_work}', true)`, [reader]);
    const now = await env.currentTimeMs();
    const cal = await worker.calendar.current(true);
    const first = nextDigestAt(now, '08:30', ZONE, (d) => cal.isWorkingDay(d));
    // The office declares that working day a local day off: the digest waits for the next one.
    await db.ds.query(`INSERT INTO calendar_amendment (date, kind, note) VALUES ($1, 'off', '防汛调休')`, [local(first).toISODate()]);
    const cal2 = await worker.calendar.current(true);
    const due = nextDigestAt(now, '08:30', ZONE, (d) => cal2.isWorkingDay(d));
    expect(due).toBeGreaterThan(first);

    const a = await notify(reader, 'stage_warning', '【阶段预警】城南污水处理厂扩建工程：用地预审临期', now);
    const b = await notify(reader, 'stage_warning', '【阶段预警】城南污水处理厂扩建工程：环评批复临期', now + 1000);
    const read = await notify(reader, 'stage_warning', '【阶段预警】已读的一条', now + 2000);
    await db.ds.query(`UPDATE notice SET read_at = now() WHERE id = $1`, [read]);
    const flags = await db.ds.query(`SELECT digest FROM notice WHERE id = ANY($1::uuid[])`, [[a, b]]);
    expect(flags).toEqual([{ digest: true }, { digest: true }]);
    expect(await deliveriesOf(a)).toEqual([]);

    await env.client.workflow.start('noticeDigest', { workflowId: NOTICE_DIGEST_WORKFLOW_ID, taskQueue, args: [], workflowIdConflictPolicy: 'USE_EXISTING' });
    await env.sleep(due - now + MIN);
    const digest = await eventually('the digest delivery', async () => {
      const [d] = await db.ds.query(`SELECT id, dedupe_key, not_before FROM delivery WHERE dedupe_key LIKE 'd:%' AND recipient_id = $1`, [reader]);
      return d as { id: string; dedupe_key: string; not_before: Date } | undefined;
    });
    expect(digest.dedupe_key).toBe(`d:${local(due).toISODate()}:${reader}:dingtalk_work`);
    const sent = await delivered(digest.id);
    expect(sent.sentAt).toBeGreaterThanOrEqual(due);
    expect(sent.sentAt).toBeLessThan(due + MIN);
    const msgs = receivers.delivered('dingtalk_work').filter((m) => m.to === 'head-geng');
    expect(msgs).toHaveLength(1);
    expect(msgs[0].text).toContain('汇总提醒');
    expect(msgs[0].text).toContain('城南污水处理厂扩建工程');
    expect(msgs[0].text).toContain('用地预审临期');
    expect(msgs[0].text).toContain('环评批复临期');
    expect(msgs[0].text).not.toContain('已读的一条');

    // The next working day's round finds nothing unread and undigested: nothing is sent.
    const next = nextDigestAt(due, '08:30', ZONE, (d) => cal2.isWorkingDay(d));
    await env.sleep(next - (await env.currentTimeMs()) + MIN);
    await eventually('the next round', async () => {
      const d = await env.client.workflow.getHandle(NOTICE_DIGEST_WORKFLOW_ID).describe();
      return d.startTime.getTime() >= next;
    });
    expect(await db.ds.query(`SELECT count(*)::int AS n FROM delivery WHERE dedupe_key LIKE 'd:%'`)).toEqual([{ n: 1 }]);
    expect(receivers.delivered('dingtalk_work').filter((m) => m.to === 'head-geng')).toHaveLength(1);
  }, 180_000);
});

describe('delegation (代理): the deputy is told during the period, the person after it, and it does not chain', () => {
  test('a leader on leave: the deputy gets the copy marked 代; the deputy’s own deputy does not; after the end the leader gets theirs', async () => {
    const leader = await person('县长丁二', 'county-ding');
    const deputy = await person('常务副县长戊', 'deputy-wu');
    const deputysDeputy = await person('副县长己', 'deputy-ji');
    const now = await env.currentTimeMs();
    const period = [new Date(now - H).toISOString(), new Date(now + 24 * H).toISOString()];
    await db.ds.query(`INSERT INTO delegation (person_id, deputy_id, starts_at, ends_at, reason) VALUES ($1,$2,$3,$4,'出差')`, [leader, deputy, ...period]);
    await db.ds.query(`INSERT INTO delegation (person_id, deputy_id, starts_at, ends_at, reason) VALUES ($1,$2,$3,$4,'学习')`, [deputy, deputysDeputy, ...period]);

    // Overdue at the top: urgent, so quiet hours do not hold it (whatever the hour the test runs at).
    const own = await notify(leader, 'overdue', '【逾期督办】施工用电迟迟未接入', now);
    const copies = await db.ds.query(`SELECT id, recipient_id, deputy_for, channel, title FROM notice WHERE deputy_for IS NOT NULL`);
    expect(copies).toEqual([
      { id: expect.any(String), recipient_id: deputy, deputy_for: leader, channel: `deputy:${leader}`, title: '【代县长丁二】【逾期督办】施工用电迟迟未接入' },
    ]);
    expect(await deliveriesOf(own)).toEqual([]); // the leader's own notice stays in their inbox only
    const [toDeputy] = await deliveriesOf(copies[0].id);
    expect(toDeputy).toMatchObject({ recipient_id: deputy, address: 'deputy-wu' });
    expect((await delivered(toDeputy.id)).status).toBe('sent');

    // The deputy's own notice goes to their deputy: delegation works for them, but the leader's copy did not travel on.
    const deputysOwn = await notify(deputy, 'overdue', '【逾期督办】围挡施工许可未办结', now + 1000);
    const [copy2] = await db.ds.query(`SELECT id FROM notice WHERE deputy_for = $1`, [deputy]);
    expect(await deliveriesOf(deputysOwn)).toEqual([]);
    expect((await delivered((await deliveriesOf(copy2.id))[0].id)).status).toBe('sent');
    const toJi = receivers.delivered('dingtalk_work').filter((m) => m.to === 'deputy-ji');
    expect(toJi).toHaveLength(1);
    expect(toJi[0].text).toContain('代常务副县长戊');
    const toWu = receivers.delivered('dingtalk_work').filter((m) => m.to === 'deputy-wu');
    expect(toWu).toHaveLength(1);
    expect(toWu[0].text).toContain('代县长丁二');
    expect(receivers.delivered('dingtalk_work').filter((m) => m.to === 'county-ding')).toHaveLength(0);

    // After the period the leader is told directly, and no copy is made.
    await env.sleep(25 * H);
    const after = await env.currentTimeMs();
    const back = await notify(leader, 'overdue', '【逾期督办】征迁补偿资金未拨付', after);
    expect(await db.ds.query(`SELECT count(*)::int AS n FROM notice WHERE deputy_for = $1`, [leader])).toEqual([{ n: 1 }]);
    const [toLeader] = await deliveriesOf(back);
    expect(toLeader).toMatchObject({ recipient_id: leader, address: 'county-ding' });
    expect((await delivered(toLeader.id)).status).toBe('sent');
    expect(receivers.delivered('dingtalk_work').filter((m) => m.to === 'county-ding')).toHaveLength(1);
  }, 180_000);
});

describe('group channels carry one summary per event, for the rungs or units in their scope', () => {
  test('a county-rung robot gets one summary of an event sent to two people; a robot scoped to another unit gets nothing', async () => {
    const settings = JSON.stringify(receivers.settingsFor('webhook'));
    const [robot] = await db.ds.query(`INSERT INTO notice_channel (kind, name, settings, scope) VALUES ('webhook', '县委督办群', $1, '{"rungs":["county"]}') RETURNING id`, [
      settings,
    ]);
    const [other] = await db.ds.query(`INSERT INTO notice_channel (kind, name, settings, scope) VALUES ('webhook', '他局工作群', $1, $2) RETURNING id`, [
      settings,
      JSON.stringify({ orgUnitIds: [randomUUID()] }),
    ]);
    const now = await env.currentTimeMs();
    const source = `test:group:${randomUUID()}`;
    const ids = await db.ds.transaction(async (em) => {
      const rows = await em.query(
        `INSERT INTO notice (project_id, source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
         SELECT $1, $2, r, 'inbox', 'overdue', 'county', '【逾期督办】城南污水处理厂扩建工程：管网征迁', '请县委县政府协调。', 'Overdue', 'Overdue', $3
           FROM unnest($4::uuid[]) AS r RETURNING id`,
        [county.projectId, source, new Date(now).toISOString(), county.countyLeaders],
      );
      await planDeliveries(em, rows, worker.cfg);
      return rows.map((r: { id: string }) => r.id);
    });
    const groups = await db.ds.query(`SELECT dedupe_key, channel_id, recipient_id FROM delivery WHERE notice_id = ANY($1::uuid[]) AND dedupe_key LIKE 'g:%'`, [ids]);
    expect(groups).toEqual([{ dedupe_key: `g:${source}:${robot.id}`, channel_id: robot.id, recipient_id: null }]);
    expect(groups.some((g: { channel_id: string }) => g.channel_id === other.id)).toBe(false);
    const [g] = await db.ds.query(`SELECT id FROM delivery WHERE dedupe_key = $1`, [`g:${source}:${robot.id}`]);
    expect((await delivered(g.id)).status).toBe('sent');
    const got = receivers.delivered('webhook').filter((m) => m.text.includes('管网征迁'));
    expect(got).toHaveLength(1);
  });
});
