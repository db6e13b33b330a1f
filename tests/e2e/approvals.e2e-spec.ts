/**
 * The approval green channel over HTTP on the real stack: the catalogue and
 * its edits, a project's approval plan, items processed one after another off
 * the green channel and in parallel on it, departments acting only on their
 * own items, commitment-based approval, the views (item clock, lanes and
 * critical item, department figures), and the last approval completing the
 * project's approval stage.
 */
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, createAccounts, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';
import { DateTime } from 'luxon';

jest.setTimeout(180_000);

let db: TestDatabase;
let county: SmallCounty;
let stack: RealStack;
const tokens: Record<string, string> = {};
const items: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('approvals_e2e');
  county = await seedSmallCounty(db.ds);
  await smallCountyAccounts(db.ds, county); // 'approval': a clerk of 县住建局
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_PER_MINUTE: '100000' } });
  for (const u of ['staff', 'office', 'other', 'approval', 'liaison']) tokens[u] = await loginAs(stack.api, u, TEST_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const call = (user: string, method: string, path: string, body?: unknown) => http(method, `${stack.api}${path}`, body, tokens[user]);
const P = () => county.projectId; // 城南污水处理厂扩建工程, infrastructure, unit 县自然资源局

async function clerkOf(unitName: string, username: string, create: boolean) {
  const unitId = create
    ? (await db.ds.query(`INSERT INTO org_unit (name, kind) VALUES ($1,'department') RETURNING id`, [unitName]))[0].id
    : (await db.ds.query(`SELECT id FROM org_unit WHERE name = $1`, [unitName]))[0].id;
  const [{ id }] = await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1,$2,'{approval_staff}') RETURNING id`, [`${unitName}审批员`, unitId]);
  await createAccounts(db.ds, { [username]: id });
  tokens[username] = await loginAs(stack.api, username, TEST_PASSWORD);
}

test('the catalogue: seeded with limits and their sources, the office edits it (audited), nobody else', async () => {
  const list = (await call('staff', 'GET', '/approval-catalogue')).body as { code: string; statutoryDays: number; promisedDays: number; source: string; id: string }[];
  expect(list.map((c) => [c.code, c.statutoryDays, c.promisedDays])).toEqual([
    ['energy-review', 20, 10],
    ['engineering-planning-permit', 13, 7],
    ['environmental-impact', 30, 15],
    ['land-preexam-siting', 21, 10],
    ['land-use-planning-permit', 13, 7],
    ['project-approval', 20, 10],
    ['construction-permit', 7, 3],
  ]);
  expect(list.every((c) => c.source.length > 5)).toBe(true);
  const pa = list.find((c) => c.code === 'project-approval')!;
  expect((await call('staff', 'PATCH', `/approval-catalogue/${pa.id}`, { promisedDays: 8, reason: 'x' })).status).toBe(403);
  const tooLong = await call('office', 'PATCH', `/approval-catalogue/${pa.id}`, { promisedDays: 25, reason: '调整' });
  expect([tooLong.status, tooLong.body.message]).toEqual([422, '承诺时限（25个工作日）不得长于法定时限（20个工作日）']);
  const ok = await call('office', 'PATCH', `/approval-catalogue/${pa.id}`, { promisedDays: 8, reason: '县政府承诺压缩时限' });
  expect([ok.status, ok.body.promisedDays]).toEqual([200, 8]);
  expect((await db.ds.query(`SELECT reason FROM audit_log WHERE action = 'approval_catalogue.update'`))[0].reason).toBe('县政府承诺压缩时限');
  // A change names only what it changes: the rest stays as it was.
  const after = (await call('staff', 'GET', '/approval-catalogue')).body.find((c: { code: string }) => c.code === 'project-approval');
  expect({ ...after, promisedDays: 10, updatedAt: null }).toEqual({ ...pa, updatedAt: null });
});

test('a project’s approval plan: departments must exist; off the green channel items go one at a time; a department acts only on its own items', async () => {
  const missing = await call('office', 'PUT', `/projects/${P()}/approval-plan`, { reason: '按项目类别' });
  expect([missing.status, missing.body.message]).toEqual([422, expect.stringContaining('审批部门尚未登记')]);
  expect(missing.body.message).toContain('县发改局');
  await clerkOf('县发改局', 'ndrc-clerk', true);
  await clerkOf('县生态环境局', 'eco-clerk', true);
  await clerkOf('县自然资源局', 'nr-clerk', false);
  expect((await call('staff', 'PUT', `/projects/${P()}/approval-plan`, { reason: 'x' })).status).toBe(403);
  const plan = await call('office', 'PUT', `/projects/${P()}/approval-plan`, { reason: '按项目类别' });
  expect(plan.status).toBe(200);
  const lanes = plan.body.stages.flatMap((s: { lanes: { id: string; name: string; status: string }[] }) => s.lanes);
  expect(plan.body.stages.map((s: { stage: string; lanes: unknown[] }) => [s.stage, s.lanes.length])).toEqual([
    ['approval', 6],
    ['start', 1],
  ]);
  for (const l of lanes) items[l.name] = l.id;

  const first = await call('staff', 'POST', `/approval-items/${items['用地预审与选址意见书']}/submit`, {});
  expect([first.status, first.body.status, first.body.limitDays]).toEqual([201, 'submitted', 10]);
  const second = await call('staff', 'POST', `/approval-items/${items['建设工程规划许可证']}/submit`, {});
  expect([second.status, second.body.message]).toEqual([409, '非绿色通道并联审批，须逐项报批：用地预审与选址意见书尚在办理中']);
  expect((await call('other', 'POST', `/approval-items/${items['建设工程规划许可证']}/submit`, {})).status).toBe(403);

  // 县住建局's clerk on 县自然资源局's item: refused, and nothing changes.
  const wrong = await call('approval', 'POST', `/approval-items/${items['用地预审与选址意见书']}/accept`, {});
  expect(wrong.status).toBe(403);
  expect((await call('nr-clerk', 'GET', `/approval-items/${items['用地预审与选址意见书']}`)).body.status).toBe('submitted');
  const accepted = await call('nr-clerk', 'POST', `/approval-items/${items['用地预审与选址意见书']}/accept`, {});
  expect([accepted.status, accepted.body.status, accepted.body.elapsedDays, accepted.body.holder.zh]).toEqual([201, 'accepted', 0, '县自然资源局']);
  const sup = await call('nr-clerk', 'POST', `/approval-items/${items['用地预审与选址意见书']}/supplement-request`, { missing: ['宗地红线图'], reason: '范围不清' });
  expect([sup.body.status, sup.body.holder.zh, sup.body.dueAt]).toEqual(['supplement_requested', '申请方（补正中）', null]);
  const back = await call('staff', 'POST', `/approval-items/${items['用地预审与选址意见书']}/material`, { note: '已补充' });
  expect([back.body.status, back.body.holder.zh]).toEqual(['under_review', '县自然资源局']);
  expect((await call('nr-clerk', 'POST', `/approval-items/${items['用地预审与选址意见书']}/reject`, { reason: '' })).status).toBe(400);
  expect((await call('nr-clerk', 'POST', `/approval-items/${items['用地预审与选址意见书']}/approve`, { documentNo: '用字第341122202600001号' })).body.status).toBe('approved');
  expect((await db.ds.query(`SELECT count(*)::int AS n FROM notice WHERE kind = 'approval'`))[0].n).toBeGreaterThan(0);
});

test('green channel: compressed limits, a commitment-based item approved at once, the rest in parallel; the last approval completes the approval stage', async () => {
  const day = (k: number) => DateTime.now().setZone('Asia/Shanghai').plus({ days: k }).toISODate()!;
  const stages = ['planning', 'approval', 'land', 'start', 'completion'].map((stage, i) => ({
    stage,
    dueOn: day([30, 60, 90, 120, 400][i]),
    ...(i === 0 && { notApplicable: '已立项' }),
  }));
  expect((await call('office', 'PUT', `/projects/${P()}/plan`, { stages, reason: '倒排工期' })).status).toBe(200);
  expect((await call('office', 'POST', `/projects/${P()}/approval-stages/approval/submit`)).status).toBe(409); // no green channel yet
  expect((await call('staff', 'PUT', `/projects/${P()}/green-channel`, { reason: 'x' })).status).toBe(403);
  expect((await call('office', 'PUT', `/projects/${P()}/green-channel`, { reason: '县重点项目，纳入审批绿色通道' })).status).toBe(200);
  expect((await call('office', 'PUT', `/projects/${P()}/green-channel`, { reason: '再次' })).status).toBe(409);

  const energy = await call('staff', 'POST', `/approval-items/${items['固定资产投资项目节能审查']}/submit`, { commitment: '本单位承诺项目符合节能审查要求' });
  expect([energy.status, energy.body.status, energy.body.verification?.doneAt]).toEqual([201, 'approved', null]);
  const noCommitment = await call('staff', 'POST', `/approval-items/${items['环境影响评价审批（报告表）']}/submit`, { commitment: '承诺' });
  expect([noCommitment.status, noCommitment.body.message]).toEqual([409, '该事项不适用告知承诺制（须为绿色通道项目且目录允许）']);

  const all = await call('staff', 'POST', `/projects/${P()}/approval-stages/approval/submit`);
  expect(all.status).toBe(201);
  expect(all.body.items.map((i: { name: string; limitDays: number }) => [i.name, i.limitDays]).sort()).toEqual(
    [
      ['项目审批（核准/备案）', 4],
      ['建设工程规划许可证', 4],
      ['建设用地规划许可证', 4],
      ['环境影响评价审批（报告表）', 8],
    ].sort(),
  );
  // Accept with deficiencies: the commitment date may not pass the item's limit.
  const late = await call('ndrc-clerk', 'POST', `/approval-items/${items['项目审批（核准/备案）']}/accept`, { deficiencies: { missing: ['银行资信证明'], commitOn: day(60) } });
  expect([late.status, late.body.message]).toEqual([422, '承诺补齐日期不得晚于承诺办理时限（4个工作日）']);
  const withDef = await call('ndrc-clerk', 'POST', `/approval-items/${items['项目审批（核准/备案）']}/accept`, { deficiencies: { missing: ['银行资信证明'], commitOn: day(1) } });
  expect([withDef.status, withDef.body.deficiency.missing]).toEqual([201, ['银行资信证明']]);
  expect((await call('eco-clerk', 'POST', `/approval-items/${items['环境影响评价审批（报告表）']}/accept`, { deficiencies: { missing: ['x'], commitOn: day(1) } })).status).toBe(
    409,
  );

  const view = (await call('liaison', 'GET', `/projects/${P()}/approvals`)).body;
  expect(view.greenChannel.reason).toBe('县重点项目，纳入审批绿色通道');
  const lanes = view.stages[0].lanes as { id: string; status: string }[];
  expect(lanes).toHaveLength(6);
  expect(lanes.map((l) => l.id)).toContain(view.stages[0].criticalItemId);
  expect(view.stages[0].done).toBe(false);

  const who: Record<string, string> = {
    '项目审批（核准/备案）': 'ndrc-clerk',
    建设工程规划许可证: 'nr-clerk',
    建设用地规划许可证: 'nr-clerk',
    '环境影响评价审批（报告表）': 'eco-clerk',
  };
  for (const [name, clerk] of Object.entries(who)) {
    if (name !== '项目审批（核准/备案）') expect((await call(clerk, 'POST', `/approval-items/${items[name]}/accept`, {})).status).toBe(201);
    expect((await call(clerk, 'POST', `/approval-items/${items[name]}/approve`, { documentNo: `${name}-1` })).body.status).toBe('approved');
  }
  await eventually('the approval stage done', async () => (await call('office', 'GET', `/projects/${P()}/plan`)).body.stages[1].state === 'done');
  const plan = (await call('office', 'GET', `/projects/${P()}/plan`)).body;
  expect(plan.stages[1].evidence).toHaveLength(6);
  expect(plan.stages[2].state).toBe('active');

  const figures = (await call('office', 'GET', '/approvals/departments')).body.departments as {
    department: string;
    green: { decided: number; onTime: number; onTimeRate: number } | null;
    normal: { decided: number } | null;
  }[];
  const nr = figures.find((d) => d.department === '县自然资源局')!;
  expect([nr.normal?.decided, nr.green?.decided, nr.green?.onTimeRate]).toEqual([1, 2, 100]);
  expect((await call('other', 'GET', '/approvals/departments')).status).toBe(403);
});
