/**
 * One blocker event's notices planned in one batch, on PostgreSQL: two notice
 * plans of one escalation (the new rung's escalation and the previous rung's
 * copy), a recipient on leave whose deputy gets the copy, a digest preference
 * over the office default, someone reachable only in the inbox (the office is
 * told), a person on both plans (the first plan's notice only), group robots
 * (one summary per event, the first notice in plan order that the scope
 * takes) and quiet hours. The rows are those the per-notice planner wrote.
 */
import { Client } from 'pg';
import { AuditService } from '../../libs/audit/src/audit.service';
import { CalendarStore } from '../../libs/calendar-store/src/calendar-store.service';
import { loadConfig } from '../../libs/config/src';
import type { BlockerEventType } from '../../libs/domain/src/blocker';
import { DEFAULT_LADDER_RUNGS } from '../../libs/domain/src/ladder';
import { EscalationActivities, type BlockerEventRecord } from '../../libs/escalation/src/escalation.activities';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, seedSmallCounty } from '../support/fixtures';

let db: TestDatabase;
let county: SmallCounty;
let activities: EscalationActivities;
let deputy: string;
const blockerId = '0b1c0000-0000-4000-8000-000000000001';
const REPORTED = '2026-11-30T06:00:00.000Z';
// 22:30 in Asia/Shanghai: inside the quiet hours, so a normal notice waits until 07:30.
const ESCALATED = '2026-12-01T14:30:00.000Z';
const TO_COUNTY = '2026-12-02T14:30:00.000Z';
const OVERDUE = '2026-12-03T02:00:00.000Z';
const REPEAT = '2026-12-03T03:00:00.000Z';

beforeAll(async () => {
  db = await createTestDatabase('notice_batch');
  county = await seedSmallCounty(db.ds);
  const cfg = loadConfig({ DATABASE_URL: db.url });
  const audit = new AuditService(db.ds);
  activities = new EscalationActivities(db.ds, cfg, audit, new CalendarStore(db.ds, audit, cfg));
  const q = (sql: string, params: unknown[] = []) => db.ds.query(sql, params);
  deputy = (await q(`INSERT INTO person (name, org_unit_id, roles, phone) VALUES ('副县长壬',$1,'{county_leader}','13900000009') RETURNING id`, [county.committeeId]))[0].id;
  // 联络员乙 (county.unitStaff[1]) has no contact point: reachable only in the inbox.
  const [head] = county.unitStaff;
  await q(`UPDATE person SET email = 'jia@county.gov.cn', phone = '13900000001' WHERE id = $1`, [head]);
  await q(`UPDATE person SET email = 'bing@county.gov.cn' WHERE id = $1`, [county.leader]);
  await q(`UPDATE person SET phone = '13900000004' WHERE id = $1`, [county.countyLeaders[1]]);
  await q(`UPDATE person SET email = 'wu@county.gov.cn' WHERE id = $1`, [county.officer]);
  await q(
    `INSERT INTO notice_channel (kind, name, settings, scope, created_at) VALUES
       ('sms','短信','{}','{}', now()), ('email','邮件','{}','{}', now() + interval '1 s'),
       ('dingtalk_robot','督办群','{}','{}', now() + interval '2 s'), ('wecom_robot','单位群','{}','{"rungs":["unit"]}', now() + interval '3 s')`,
  );
  await q(`INSERT INTO notice_preference (person_id, kind, channels, digest) VALUES (NULL,'copy','{sms}',false), ($1,'copy','{email}',true)`, [head]);
  await q(`INSERT INTO delegation (person_id, deputy_id, starts_at, ends_at, reason) VALUES ($1,$2,$3,$4,'学习')`, [
    county.leader,
    deputy,
    '2026-12-01T00:00:00Z',
    '2026-12-10T00:00:00Z',
  ]);
});
afterAll(() => db?.drop());

function event(seq: number, type: BlockerEventType, at: string, from: number | null, to: number): BlockerEventRecord {
  const rung = DEFAULT_LADDER_RUNGS[to].key;
  return {
    blockerId,
    seq,
    type,
    at,
    actor: { kind: 'system', id: null, name: 'system' },
    requestId: null,
    fromRung: from === null ? null : DEFAULT_LADDER_RUNGS[from].key,
    toRung: rung,
    reason: null,
    details: {},
    state: { blockerId, status: 'open', rungIndex: to, rung, dueAt: '2026-12-05T09:00:00.000Z', overdueAtTop: false, responsibleUnitId: county.unitId },
    ladder: DEFAULT_LADDER_RUNGS,
    input:
      type === 'reported'
        ? {
            blockerId,
            projectId: county.projectId,
            responsibleUnitId: county.unitId,
            category: 'relocation',
            severity: 'normal',
            title: '3户拆迁户未签订补偿协议',
            description: '补偿标准存在争议',
            reportedBy: county.unitStaff[1],
            reporterName: '联络员乙',
            policyId: null,
            rungs: [],
            ladder: DEFAULT_LADDER_RUNGS,
          }
        : undefined,
  };
}

/** The pg round trips of one call (BEGIN and COMMIT included). */
async function counted(f: () => Promise<unknown>): Promise<number> {
  const spy = jest.spyOn(Client.prototype, 'query');
  try {
    await f();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

async function rows(since: string) {
  const notices = await db.ds.query(
    `SELECT n.kind, n.channel, n.rung, p.name AS recipient, d.name AS deputy_for, n.urgent, n.ack_required, n.digest, n.title
       FROM notice n JOIN person p ON p.id = n.recipient_id LEFT JOIN person d ON d.id = n.deputy_for
      WHERE n.created_at >= $1 ORDER BY n.kind, p.name, n.channel, n.title`,
    [since],
  );
  const deliveries = await db.ds.query(
    `SELECT split_part(v.dedupe_key, ':', 1) AS key, v.channel, p.name AS recipient, n.kind AS notice_kind,
            CASE WHEN v.recipient_id IS NULL THEN NULL ELSE np.name END AS notice_recipient,
            v.address, v.title, v.urgent, v.not_before
       FROM delivery v JOIN notice n ON n.id = v.notice_id JOIN person np ON np.id = n.recipient_id LEFT JOIN person p ON p.id = v.recipient_id
      WHERE n.created_at >= $1 ORDER BY v.channel, p.name NULLS FIRST, n.kind, v.title`,
    [since],
  );
  return {
    notices: notices.map((n: { channel: string }) => ({ ...n, channel: n.channel.replace(/^deputy:.*/, 'deputy') })),
    deliveries: deliveries.map((d: { not_before: Date }) => ({ ...d, not_before: new Date(d.not_before).toISOString() })),
  };
}

test('an escalation with a deputy, a digest, an inbox-only person and group robots writes the planner’s rows', async () => {
  await activities.recordEvent(event(1, 'reported', REPORTED, null, 0));
  const queries = await counted(() => activities.recordEvent(event(2, 'escalated', ESCALATED, 0, 1)));
  // Planning costs queries per kind of row, not per notice (48 with a query or more per notice; the office's notice is planned too).
  expect(queries).toBeLessThanOrEqual(31);
  expect(await rows(ESCALATED)).toEqual(EXPECTED_TO_LIAISON);
});

test('a person on both plans gets the first plan’s notice only; group summaries once per event', async () => {
  const queries = await counted(() => activities.recordEvent(event(3, 'escalated', TO_COUNTY, 1, 2)));
  expect(queries).toBeLessThanOrEqual(22); // 41 with a query or more per notice
  expect(await rows(TO_COUNTY)).toEqual(EXPECTED_TO_COUNTY);
});

test('two people reachable only in the inbox: the office hears of each, once a day', async () => {
  await db.ds.query(`UPDATE person SET phone = NULL, email = NULL WHERE id = ANY($1::uuid[])`, [[county.countyLeaders[1], county.officer]]);
  await activities.recordEvent(event(4, 'overdue_at_top', OVERDUE, 2, 2));
  expect(await rows(OVERDUE)).toEqual(EXPECTED_OVERDUE);
  await activities.recordEvent(event(5, 'repeat_reminder', REPEAT, 2, 2));
  expect(await rows(REPEAT)).toEqual(EXPECTED_REPEAT);
});

const EXPECTED_TO_LIAISON = {
  notices: [
    {
      kind: 'copy',
      channel: 'inbox',
      rung: 'unit',
      recipient: '局长甲',
      deputy_for: null,
      urgent: false,
      ack_required: false,
      digest: true,
      title: '【抄送】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'copy',
      channel: 'inbox',
      rung: 'unit',
      recipient: '联络员乙',
      deputy_for: null,
      urgent: false,
      ack_required: false,
      digest: false,
      title: '【抄送】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'escalation',
      channel: 'inbox',
      rung: 'liaison',
      recipient: '副县长丙',
      deputy_for: null,
      urgent: false,
      ack_required: true,
      digest: false,
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'escalation',
      channel: 'deputy',
      rung: 'liaison',
      recipient: '副县长壬',
      deputy_for: '副县长丙',
      urgent: false,
      ack_required: true,
      digest: false,
      title: '【代副县长丙】【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'unreachable',
      channel: 'inbox',
      rung: 'county',
      recipient: '项目办戊',
      deputy_for: null,
      urgent: false,
      ack_required: false,
      digest: false,
      title: '【仅站内可达】联络员乙',
    },
  ],
  deliveries: [
    {
      key: 'g',
      channel: 'dingtalk_robot',
      recipient: null,
      notice_kind: 'escalation',
      notice_recipient: null,
      address: null,
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: false,
      not_before: '2026-12-01T23:30:00.000Z',
    },
    {
      key: 'n',
      channel: 'email',
      recipient: '项目办戊',
      notice_kind: 'unreachable',
      notice_recipient: '项目办戊',
      address: 'wu@county.gov.cn',
      title: '【仅站内可达】联络员乙',
      urgent: false,
      not_before: '2026-12-01T23:30:00.000Z',
    },
    {
      key: 'g',
      channel: 'wecom_robot',
      recipient: null,
      notice_kind: 'copy',
      notice_recipient: null,
      address: null,
      title: '【抄送】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: false,
      not_before: '2026-12-01T23:30:00.000Z',
    },
  ],
};
const EXPECTED_TO_COUNTY = {
  notices: [
    {
      kind: 'escalation',
      channel: 'inbox',
      rung: 'county',
      recipient: '副县长丙',
      deputy_for: null,
      urgent: true,
      ack_required: true,
      digest: false,
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'escalation',
      channel: 'deputy',
      rung: 'county',
      recipient: '副县长壬',
      deputy_for: '副县长丙',
      urgent: true,
      ack_required: true,
      digest: false,
      title: '【代副县长丙】【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'escalation',
      channel: 'inbox',
      rung: 'county',
      recipient: '副县长壬',
      deputy_for: null,
      urgent: true,
      ack_required: true,
      digest: false,
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'escalation',
      channel: 'inbox',
      rung: 'county',
      recipient: '县长丁',
      deputy_for: null,
      urgent: true,
      ack_required: true,
      digest: false,
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'escalation',
      channel: 'inbox',
      rung: 'county',
      recipient: '项目办戊',
      deputy_for: null,
      urgent: true,
      ack_required: true,
      digest: false,
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
  ],
  deliveries: [
    {
      key: 'g',
      channel: 'dingtalk_robot',
      recipient: null,
      notice_kind: 'escalation',
      notice_recipient: null,
      address: null,
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-02T14:30:00.000Z',
    },
    {
      key: 'n',
      channel: 'email',
      recipient: '项目办戊',
      notice_kind: 'escalation',
      notice_recipient: '项目办戊',
      address: 'wu@county.gov.cn',
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-02T14:30:00.000Z',
    },
    {
      key: 'n',
      channel: 'sms',
      recipient: '副县长壬',
      notice_kind: 'escalation',
      notice_recipient: '副县长壬',
      address: '13900000009',
      title: '【代副县长丙】【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-02T14:30:00.000Z',
    },
    {
      key: 'n',
      channel: 'sms',
      recipient: '副县长壬',
      notice_kind: 'escalation',
      notice_recipient: '副县长壬',
      address: '13900000009',
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-02T14:30:00.000Z',
    },
    {
      key: 'n',
      channel: 'sms',
      recipient: '县长丁',
      notice_kind: 'escalation',
      notice_recipient: '县长丁',
      address: '13900000004',
      title: '【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-02T14:30:00.000Z',
    },
  ],
};
const EXPECTED_OVERDUE = {
  notices: [
    {
      kind: 'overdue',
      channel: 'inbox',
      rung: 'county',
      recipient: '副县长丙',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'overdue',
      channel: 'deputy',
      rung: 'county',
      recipient: '副县长壬',
      deputy_for: '副县长丙',
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【代副县长丙】【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'overdue',
      channel: 'inbox',
      rung: 'county',
      recipient: '副县长壬',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'overdue',
      channel: 'inbox',
      rung: 'county',
      recipient: '县长丁',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'overdue',
      channel: 'inbox',
      rung: 'county',
      recipient: '项目办戊',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'unreachable',
      channel: 'inbox',
      rung: 'county',
      recipient: '项目办戊',
      deputy_for: null,
      urgent: false,
      ack_required: false,
      digest: false,
      title: '【仅站内可达】县长丁',
    },
    {
      kind: 'unreachable',
      channel: 'inbox',
      rung: 'county',
      recipient: '项目办戊',
      deputy_for: null,
      urgent: false,
      ack_required: false,
      digest: false,
      title: '【仅站内可达】项目办戊',
    },
  ],
  deliveries: [
    {
      key: 'g',
      channel: 'dingtalk_robot',
      recipient: null,
      notice_kind: 'overdue',
      notice_recipient: null,
      address: null,
      title: '【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-03T02:00:00.000Z',
    },
    {
      key: 'n',
      channel: 'sms',
      recipient: '副县长壬',
      notice_kind: 'overdue',
      notice_recipient: '副县长壬',
      address: '13900000009',
      title: '【代副县长丙】【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-03T02:00:00.000Z',
    },
    {
      key: 'n',
      channel: 'sms',
      recipient: '副县长壬',
      notice_kind: 'overdue',
      notice_recipient: '副县长壬',
      address: '13900000009',
      title: '【逾期】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-03T02:00:00.000Z',
    },
  ],
};
const EXPECTED_REPEAT = {
  notices: [
    {
      kind: 'repeat_reminder',
      channel: 'inbox',
      rung: 'county',
      recipient: '副县长丙',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'repeat_reminder',
      channel: 'deputy',
      rung: 'county',
      recipient: '副县长壬',
      deputy_for: '副县长丙',
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【代副县长丙】【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'repeat_reminder',
      channel: 'inbox',
      rung: 'county',
      recipient: '副县长壬',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'repeat_reminder',
      channel: 'inbox',
      rung: 'county',
      recipient: '县长丁',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
    {
      kind: 'repeat_reminder',
      channel: 'inbox',
      rung: 'county',
      recipient: '项目办戊',
      deputy_for: null,
      urgent: true,
      ack_required: false,
      digest: false,
      title: '【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
    },
  ],
  deliveries: [
    {
      key: 'g',
      channel: 'dingtalk_robot',
      recipient: null,
      notice_kind: 'repeat_reminder',
      notice_recipient: null,
      address: null,
      title: '【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-03T03:00:00.000Z',
    },
    {
      key: 'n',
      channel: 'sms',
      recipient: '副县长壬',
      notice_kind: 'repeat_reminder',
      notice_recipient: '副县长壬',
      address: '13900000009',
      title: '【代副县长丙】【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-03T03:00:00.000Z',
    },
    {
      key: 'n',
      channel: 'sms',
      recipient: '副县长壬',
      notice_kind: 'repeat_reminder',
      notice_recipient: '副县长壬',
      address: '13900000009',
      title: '【再次催办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议',
      urgent: true,
      not_before: '2026-12-03T03:00:00.000Z',
    },
  ],
};
