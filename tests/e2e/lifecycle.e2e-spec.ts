/**
 * A key project's life over HTTP on the real stack (API, worker, Temporal dev
 * server, PostgreSQL): milestone plans, completion and replanning through the
 * API, the battle map with its filters, paging and visibility, and the
 * Temporal Schedules producing the weekly bulletin (checked figure by figure
 * against a known data set, as .xlsx, and as the official .docx and PDF whose
 * text is read back) and the monthly investment check.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DateTime } from 'luxon';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, TEST_PASSWORD, seedSmallCounty, smallCountyAccounts } from '../support/fixtures';
import { pdfText } from '../support/pdf-text';
import { RealStack, eventually, http, loginAs, startRealStack } from '../support/stack';

jest.setTimeout(180_000);

const ZONE = 'Asia/Shanghai';
let db: TestDatabase;
let county: SmallCounty;
let extra: Awaited<ReturnType<typeof smallCountyAccounts>>;
let stack: RealStack;
const tokens: Record<string, string> = {};
const P: Record<string, string> = {};
const today = () => DateTime.now().setZone(ZONE);
const day = (n: number) => today().plus({ days: n }).toISODate()!;

beforeAll(async () => {
  db = await createTestDatabase('lifecycle_e2e');
  county = await seedSmallCounty(db.ds);
  extra = await smallCountyAccounts(db.ds, county);
  stack = await startRealStack(db.url, { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_PER_MINUTE: '100000' } });
  for (const u of ['staff', 'office', 'other', 'liaison', 'county']) tokens[u] = await loginAs(stack.api, u, TEST_PASSWORD);
  const insert = async (code: string, name: string, unit: string, township: string | null, leader: boolean) => {
    const [{ id }] = await db.ds.query(
      `INSERT INTO project (code, name, category, responsible_unit_id, owner, township_id, total_investment) VALUES ($1,$2,'industry',$3,'某公司',$4,9999) RETURNING id`,
      [code, name, unit, township],
    );
    if (leader) await db.ds.query(`INSERT INTO project_liaison_leader (project_id, person_id) VALUES ($1,$2)`, [id, county.leader]);
    return id as string;
  };
  P.one = county.projectId; // 2026-…-000011, 县自然资源局, 城关镇, infrastructure, led by 副县长丙
  P.two = await insert('2026-341122-48-01-000022', '资源局二号项目', county.unitId, null, true);
  P.three = await insert('2026-341122-48-01-000033', '住建局项目', extra.otherUnitId, county.townshipId, true);
  P.four = await insert('2026-341122-48-01-000044', '尚无计划的项目', county.unitId, null, false);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const call = (user: string, method: string, path: string, body?: unknown) => http(method, `${stack.api}${path}`, body, tokens[user]);
const stages = (d: (number | null)[]) =>
  ['planning', 'approval', 'land', 'start', 'completion'].map((stage, i) =>
    d[i] === null ? { stage, dueOn: day(d[3]!), notApplicable: '已取得土地' } : { stage, dueOn: day(d[i]!) },
  );
const codes = (items: { code: string }[]) => items.map((i) => i.code.slice(-2));
/** A piece of WordprocessingML as its text: runs' text, tabs as \t. */
const textOf = (xml: string) =>
  [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)]
    .map((m) => (m[0] === '<w:tab/>' ? '\t' : m[1]))
    .join('')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

test('plans: the office sets them, bad ones are refused with a reason, the unit reports completion, replanning is asked and granted', async () => {
  const good = { stages: stages([-30, 60, 90, 120, 400]), reason: '县重点项目倒排工期' };
  expect((await call('staff', 'PUT', `/projects/${P.one}/plan`, good)).status).toBe(403);
  const backwards = await call('office', 'PUT', `/projects/${P.one}/plan`, { ...good, stages: stages([60, 30, 90, 120, 400]) });
  expect([backwards.status, backwards.body.message]).toEqual([422, '审批阶段的完成时限不能早于前一阶段']);
  const missing = await call('office', 'PUT', `/projects/${P.one}/plan`, { stages: good.stages.slice(0, 4), reason: '' });
  expect(missing.status).toBe(400);
  expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['reason', 'stages']);
  expect(await db.ds.query(`SELECT * FROM project_lifecycle`)).toEqual([]);

  const set = await call('office', 'PUT', `/projects/${P.one}/plan`, good);
  expect(set.status).toBe(200);
  expect(set.body.stages.map((s: { state: string; colour: string | null }) => [s.state, s.colour])).toEqual([
    ['active', 'red'],
    ['pending', null],
    ['pending', null],
    ['pending', null],
    ['pending', null],
  ]);
  expect((await call('office', 'PUT', `/projects/${P.two}/plan`, { stages: stages([5, 60, 90, 120, 400]), reason: '倒排工期' })).status).toBe(200);
  expect((await call('office', 'PUT', `/projects/${P.three}/plan`, { stages: stages([null, null, null, -3, 300]), reason: '倒排工期' })).status).toBe(200);

  const plan = (await call('staff', 'GET', `/projects/${P.one}/plan`)).body;
  expect(plan.stages.map((s: { stage: string; colour: string | null; dueOn: string }) => [s.stage, s.colour, s.dueOn])).toEqual([
    ['planning', 'red', day(-30)],
    ['approval', null, day(60)],
    ['land', null, day(90)],
    ['start', null, day(120)],
    ['completion', null, day(400)],
  ]);
  expect(plan.revisions).toEqual([expect.objectContaining({ revision: 1, kind: 'initial', setByName: '项目办戊', reason: '县重点项目倒排工期' })]);
  expect((await call('other', 'GET', `/projects/${P.one}/plan`)).status).toBe(403);

  // The overdue stage's schedule blocker is on the ladder, and the late start of project three has its explanation matter.
  await eventually(
    'schedule and late-start matters',
    async () => Number((await db.ds.query(`SELECT count(*) FROM blocker WHERE category IN ('schedule','late_start')`))[0].count) === 3,
  );
  const r = await call('staff', 'POST', `/projects/${P.two}/blockers`, { category: 'relocation', title: '2户未签订征收协议' });
  expect(r.status).toBe(201);

  const bad = await call('staff', 'POST', `/projects/${P.one}/stages/planning/completion`, { completedOn: day(0), evidence: [] });
  expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'evidence']);
  expect((await call('staff', 'POST', `/projects/${P.one}/stages/designing/completion`, { completedOn: day(0), evidence: [{ title: 'x' }] })).status).toBe(422);
  expect((await call('liaison', 'POST', `/projects/${P.one}/stages/planning/completion`, { completedOn: day(0), evidence: [{ title: 'x' }] })).status).toBe(403);
  expect((await call('other', 'POST', `/projects/${P.one}/replan-requests`, { stages: stages([30, 60, 90, 120, 400]), reason: '延期' })).status).toBe(403);
  expect((await call('office', 'POST', `/projects/${P.four}/replan-requests`, { stages: stages([30, 60, 90, 120, 400]), reason: '延期' })).status).toBe(409);

  const ask = await call('staff', 'POST', `/projects/${P.two}/replan-requests`, { stages: stages([20, 60, 90, 120, 400]), reason: '规划调整' });
  expect(ask.status).toBe(201);
  expect((await call('staff', 'POST', `/projects/${P.two}/replan-requests/decision`, { grant: true })).status).toBe(403);
  const refuse = await call('liaison', 'POST', `/projects/${P.two}/replan-requests/decision`, { grant: false, reason: '' });
  expect([refuse.status, refuse.body.message]).toEqual([422, '不予批准须说明理由']);
  expect((await call('liaison', 'POST', `/projects/${P.two}/replan-requests/decision`, { grant: false, reason: '前期工作应按期完成' })).status).toBe(201);
  const after = (await call('office', 'GET', `/projects/${P.two}/plan`)).body;
  expect([after.plan.revision, after.replanRequests[0].status, after.replanRequests[0].decidedByName, after.stages[0].colour]).toEqual([1, 'refused', '副县长丙', 'yellow']);
  // Who did what, and why, is in the audit log.
  expect((await db.ds.query(`SELECT actor_name, reason FROM audit_log WHERE action = 'lifecycle.replan_refused'`))[0]).toEqual({
    actor_name: '副县长丙',
    reason: '前期工作应按期完成',
  });
});

test('the battle map: colours red first, filters, paging and only the projects each person may see', async () => {
  const map = async (user: string, q = '') => (await call(user, 'GET', `/battle-map?pageSize=50${q}`)).body;
  const all = await map('office');
  expect(all.summary).toEqual({ red: 2, yellow: 1, green: 0, none: 1 });
  expect(codes(all.items)).toEqual(['11', '33', '22', '44']);
  const one = all.items[0];
  expect(one).toMatchObject({
    name: '城南污水处理厂扩建工程',
    colour: 'red',
    currentStage: 'planning',
    unit: { name: '县自然资源局' },
    township: { name: '城关镇' },
    liaisonLeaders: [{ name: '副县长丙' }],
  });
  expect(one.stages.map((s: { colour: string | null }) => s.colour)).toEqual(['red', null, null, null, null]);
  expect(one.openBlockers.map((b: { category: string }) => b.category)).toEqual(['schedule']);
  expect(all.items[1].openBlockers.map((b: { category: string }) => b.category).sort()).toEqual(['late_start', 'schedule']);
  expect(all.items[3]).toMatchObject({ colour: null, stages: [] });

  expect(codes((await map('office', '&colour=red')).items)).toEqual(['11', '33']);
  expect(codes((await map('office', '&colour=none')).items)).toEqual(['44']);
  expect(codes((await map('office', `&unitId=${extra.otherUnitId}`)).items)).toEqual(['33']);
  expect(codes((await map('office', `&townshipId=${county.townshipId}`)).items)).toEqual(['11', '33']);
  expect(codes((await map('office', `&liaisonLeaderId=${county.leader}`)).items)).toEqual(['11', '33', '22']);
  expect(codes((await map('office', '&category=industry')).items)).toEqual(['33', '22', '44']);
  expect(codes((await map('office', '&stage=start')).items)).toEqual(['33']);
  const page2 = (await call('office', 'GET', '/battle-map?pageSize=1&page=2')).body;
  expect([codes(page2.items), page2.total, page2.page]).toEqual([['33'], 4, 2]);
  // Past the last page the total is still the filter's: a pager shows where the list ends.
  const past = (await call('office', 'GET', '/battle-map?colour=red&pageSize=1&page=5')).body;
  expect([past.items, past.total]).toEqual([[], 2]);

  expect(codes((await map('staff')).items)).toEqual(['11', '22', '44']);
  expect(codes((await map('other')).items)).toEqual(['33']);
  // 副县长丙 is a county leader as well as these projects' liaison leader: county leaders see every project.
  expect(codes((await map('liaison')).items)).toEqual(['11', '33', '22', '44']);
  const bad = await call('office', 'GET', '/battle-map?colour=purple&pageSize=1000');
  expect([bad.status, bad.body.errors.map((e: { field: string }) => e.field).sort()]).toEqual([400, ['colour', 'pageSize']]);
  expect((await http('GET', `${stack.api}/battle-map`)).status).toBe(401);
});

test('the weekly bulletin from its Temporal Schedule, figure by figure, as .xlsx and as the official document (.docx, PDF); the monthly investment check tells the liaison leader', async () => {
  const now = today();
  const year = now.year;
  for (const [p, amount] of [
    [P.one, 1000],
    [P.two, 2000],
    [P.three, 500],
  ] as const) {
    expect((await call('office', 'PUT', `/projects/${p}/investment-plans/${year}`, { amount, reason: '年度计划' })).status).toBe(200);
  }
  expect((await call('staff', 'POST', `/projects/${P.one}/investment-reports`, { year, month: now.month, completed: 900 })).status).toBe(201);
  expect((await call('staff', 'POST', `/projects/${P.two}/investment-reports`, { year, month: now.month, completed: 200 })).status).toBe(201);

  const schedules = (await call('office', 'GET', '/schedules')).body;
  expect(schedules.map((s: { key: string; cron: string }) => [s.key, s.cron])).toEqual([
    ['weekly-bulletin', '30 8 * * MON'],
    ['investment-check', '0 9 5 * *'],
  ]);
  const next = DateTime.fromISO(schedules[0].nextRuns[0], { zone: ZONE });
  expect([next.weekday, next.hour, next.minute]).toEqual([1, 8, 30]);
  expect((await call('staff', 'GET', '/schedules')).status).toBe(403);
  const moved = await call('office', 'PUT', '/schedules/weekly-bulletin', { cron: '0 9 * * TUE' });
  expect([moved.status, moved.body.cron]).toEqual([200, '0 9 * * TUE']);
  const tue = DateTime.fromISO(moved.body.nextRuns[0], { zone: ZONE });
  expect([tue.weekday, tue.hour]).toEqual([2, 9]);
  expect((await call('office', 'PUT', '/schedules/weekly-bulletin', { cron: 'every day' })).status).toBe(400);
  expect((await call('office', 'PUT', '/schedules/nightly', { cron: '0 9 * * TUE' })).status).toBe(404);
  expect((await call('office', 'GET', '/bulletins/current')).status).toBe(404);

  expect((await call('office', 'POST', '/schedules/weekly-bulletin/trigger')).status).toBe(201);
  const b = await eventually('the bulletin', async () => {
    const r = await call('liaison', 'GET', '/bulletins/current');
    return r.status === 200 ? r.body : null;
  });
  // Expected figures, computed here from the data set and the rules (lifecycle.md), not by the code under test.
  const asOf = DateTime.fromISO(b.asOf, { zone: ZONE });
  const timeShare = Math.round((asOf.ordinal / asOf.daysInYear) * 10_000) / 100;
  const lagOf = (share: number) => Math.round(Math.max(0, timeShare - share) * 100) / 100;
  const colourOf = (lag: number) => (lag > 30 ? 'red' : lag >= 10 ? 'yellow' : 'green');
  const week = asOf.startOf('week');
  expect(b.number).toBe(`重点项目推进情况通报〔${week.weekYear}〕第${week.weekNumber}期`);
  expect(b.periodStart).toBe(week.toISODate());
  const d = b.data;
  expect(d.timeShare).toBe(timeShare);
  expect(d.county).toEqual({ projects: 3, annualPlan: 3500, completed: 1100, completedShare: 31.43, lagPoints: lagOf(31.43), colour: colourOf(lagOf(31.43)) });
  expect(
    d.ranking.map((p: { rank: number; code: string; completedShare: number; lagPoints: number; colour: string }) => [
      p.rank,
      p.code.slice(-2),
      p.completedShare,
      p.lagPoints,
      p.colour,
    ]),
  ).toEqual([
    [1, '11', 90, lagOf(90), colourOf(lagOf(90))],
    [2, '22', 10, lagOf(10), colourOf(lagOf(10))],
    [3, '33', 0, lagOf(0), colourOf(lagOf(0))],
  ]);
  expect(codes(d.laggards)).toEqual(['33', '22', '11'].filter((c) => colourOf(lagOf({ '11': 90, '22': 10, '33': 0 }[c]!)) !== 'green'));
  expect(codes(d.redList)).toEqual(['11', '22', '33']);
  expect(d.blackList).toEqual([]);
  expect(d.overdueStages.map((s: { code: string; stageName: string; dueOn: string; daysOverdue: number }) => [s.code.slice(-2), s.stageName, s.dueOn, s.daysOverdue])).toEqual([
    ['11', '前期', day(-30), 30],
    ['33', '开工', day(-3), 3],
  ]);
  expect(d.openBlockers).toEqual({
    total: 4,
    byCategory: [
      { category: 'schedule', name: '进度滞后', count: 2 },
      { category: 'late_start', name: '未按期开工说明', count: 1 },
      { category: 'relocation', name: '征迁', count: 1 },
    ],
    byRung: [{ rung: 'unit', name: '责任单位', count: 4 }],
  });
  expect(d.overdueMatters).toEqual([]);
  expect(d.fourRates).toEqual({ contractFulfilment: null, fundsInPlace: null, start: { due: 1, done: 0, rate: 0 }, completion: { due: 0, done: 0, rate: null } });
  expect(
    d.byUnit.map(
      (u: { rank: number; unit: string; projects: number; annualPlan: number; completed: number; completedShare: number; overdueStages: number; openBlockers: number }) => [
        u.rank,
        u.unit,
        u.projects,
        u.annualPlan,
        u.completed,
        u.completedShare,
        u.overdueStages,
        u.openBlockers,
      ],
    ),
  ).toEqual([
    [1, '县自然资源局', 2, 3000, 1100, 36.67, 1, 2],
    [2, '县住建局', 1, 500, 0, 0, 1, 2],
  ]);

  // The same bulletin as an .xlsx ledger: a title row, a frozen header with units, 序号, real numbers and dates, lagging cells filled.
  const res = await fetch(`${stack.api}/bulletins/${b.id}/xlsx`, { headers: { authorization: `Bearer ${tokens.staff}` } });
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['总体情况', '项目排名', '滞后项目', '逾期节点', '问题统计', '逾期事项', '单位排名']);
  const ranking = wb.getWorksheet('项目排名')!;
  expect(ranking.getCell('A1').value).toBe(`${b.number}　项目排名（截至${asOf.toFormat('yyyy年M月d日')}）`);
  expect(ranking.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  expect((ranking.getRow(2).values as unknown[]).slice(1, 5)).toEqual(['序号', '名次', '项目代码', '项目名称']);
  expect(ranking.getRow(2).values).toEqual(expect.arrayContaining(['年度计划投资（万元）', '完成率（%）']));
  expect((ranking.getRow(3).values as unknown[]).slice(1, 5)).toEqual([1, 1, '2026-341122-48-01-000011', '城南污水处理厂扩建工程']);
  expect((ranking.getRow(3).values as unknown[]).slice(8, 12)).toEqual([1000, 900, 90, lagOf(90)]);
  // The row of '33' (no investment yet): its share is filled with the shared colour of its warning, when it lags.
  const fill = (c: string) => ({ red: 'FFFFC7CE', yellow: 'FFFFEB9C', green: undefined })[c];
  const row33 = ranking.getRow(5);
  expect([row33.getCell(3).value, (row33.getCell(10).fill as { fgColor?: { argb: string } } | undefined)?.fgColor?.argb]).toEqual([
    '2026-341122-48-01-000033',
    fill(colourOf(lagOf(0))),
  ]);
  const overview = wb.getWorksheet('总体情况')!;
  expect((overview.getRow(7).values as unknown[]).slice(1)).toEqual([5, '年度计划投资', 3500, '万元']);
  expect(overview.getCell('C4').value).toEqual(new Date(`${asOf.toISODate()}T00:00:00Z`));
  expect(overview.getCell('C4').numFmt).toBe('yyyy-mm-dd');
  expect(wb.getWorksheet('逾期节点')!.getCell('F3').value).toEqual(new Date(`${day(-30)}T00:00:00Z`));

  // The same bulletin as an official document: .docx and PDF, from the same figures, the same bytes on every download.
  const office = (await db.ds.query(`SELECT name FROM org_unit WHERE kind = 'project_office'`))[0].name;
  const issue = `〔${week.weekYear}〕第${week.weekNumber}期`;
  const fetchFile = async (ext: string, token = tokens.staff) => fetch(`${stack.api}/bulletins/${b.id}/${ext}`, { headers: { authorization: `Bearer ${token}` } });
  const docx = await fetchFile('docx');
  expect([docx.status, docx.headers.get('content-type'), docx.headers.get('content-disposition')]).toEqual([
    200,
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    `attachment; filename="bulletin.docx"; filename*=UTF-8''${encodeURIComponent(`${b.number}.docx`)}`,
  ]);
  const docxBytes = Buffer.from(await docx.arrayBuffer());
  expect(Buffer.from(await (await fetchFile('docx', tokens.liaison)).arrayBuffer()).equals(docxBytes)).toBe(true);
  const zip = await JSZip.loadAsync(docxBytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  // Stamped with the bulletin's instant, not the time of the download (zip times count in 2 s steps).
  const instant = DateTime.fromISO(b.asOf).toUTC();
  expect(new Set(Object.values(zip.files).map((f) => f.date.getTime()))).toEqual(new Set([Math.floor(instant.toMillis() / 2000) * 2000]));
  expect(await zip.file('docProps/core.xml')!.async('string')).toContain(
    `<dcterms:created xsi:type="dcterms:W3CDTF">${instant.toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'")}</dcterms:created>`,
  );
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => textOf(m[0]));
  const rows = [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) => [...m[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => textOf(c[0])));
  const text = paragraphs.join('\n');
  expect(paragraphs.slice(0, 4)).toEqual([office, '重点项目推进情况通报', issue, `${office}\t${asOf.toFormat('yyyy年M月d日')}`]);
  expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
  expect(xml).toContain('w:eastAsia="黑体"');
  expect(xml).toContain('<w:color w:val="C00000"/>');
  expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
  expect(text).toContain(`全县纳入年度投资计划的重点项目3个，年度计划投资3500万元，累计完成投资1100万元，占年度计划的31.43%，序时进度为${timeShare}%`);
  expect(text).toContain('应开工项目1个，已开工0个，开工率0%');
  expect(text).toContain('全县逾期未完成的节点2个；未办结问题4个，其中进度滞后2个、未按期开工说明1个、征迁1个');
  // The unit ranking, as the bulletin ranks them.
  expect(rows).toContainEqual(['1', '县自然资源局', '2', '3000', '1100', '36.67%', String(lagOf(36.67)), '1', '2']);
  expect(rows).toContainEqual(['2', '县住建局', '1', '500', '0', '0%', String(lagOf(0)), '1', '2']);
  // The red list names the three projects (the black list has none left over), with their units and liaison leaders.
  expect(text).toMatch(/（一）红榜。[\s\S]*（二）黑榜。以下[\s\S]*本期无列入黑榜的项目。/);
  expect(rows).toContainEqual(['1', '城南污水处理厂扩建工程', '县自然资源局', '副县长丙', '1000', '900', '90%', String(lagOf(90))]);
  // Every laggard named with its unit and liaison leader; the overdue stages listed.
  const laggards = d.laggards as { name: string; unit: string; liaisonLeaders: string[]; lagPoints: number; colour: string }[];
  for (const p of laggards)
    expect(
      rows.some(
        (r) => r[1] === p.name && r[2] === p.unit && r[3] === p.liaisonLeaders.join('、') && r[7] === String(p.lagPoints) && r[8] === (p.colour === 'red' ? '红色' : '黄色'),
      ),
    ).toBe(true);
  if (!laggards.length) expect(text).toContain('本期无投资进度滞后的项目。');
  expect(rows).toContainEqual(['1', '城南污水处理厂扩建工程', '县自然资源局', '前期', day(-30), '30']);
  expect(text).toContain(`本期无逾期超过5天未办结的问题。`);
  expect(paragraphs.slice(-2)).toEqual(['抄送：县委、县人大、县政府、县政协主要领导，各包联县领导。', `${office}　　${asOf.toFormat('yyyy年M月d日')}印发`]);

  const pdf = await fetchFile('pdf');
  expect([pdf.status, pdf.headers.get('content-type'), pdf.headers.get('content-disposition')]).toEqual([
    200,
    'application/pdf',
    `attachment; filename="bulletin.pdf"; filename*=UTF-8''${encodeURIComponent(`${b.number}.pdf`)}`,
  ]);
  const pdfBytes = Buffer.from(await pdf.arrayBuffer());
  expect(Buffer.from(await (await fetchFile('pdf', tokens.county)).arrayBuffer()).equals(pdfBytes)).toBe(true);
  expect(pdfBytes.includes(`(D:${instant.toFormat('yyyyMMddHHmmss')}Z)`)).toBe(true); // CreationDate: the bulletin's instant
  const read = await pdfText(pdfBytes);
  const flat = read.text.replace(/\s+/g, '');
  expect(read.pages).toBeGreaterThanOrEqual(2); // the ranking table is an attachment on its own page
  for (const words of [
    `${office}重点项目推进情况通报${issue}${office}${asOf.toFormat('yyyy年M月d日')}`,
    '全县纳入年度投资计划的重点项目3个，年度计划投资3500万元，累计完成投资1100万元，占年度计划的31.43%',
    '1县自然资源局23000110036.67%',
    '城南污水处理厂扩建工程县自然资源局副县长丙100090090%',
    '本期无列入黑榜的项目。',
    ...laggards.map((p) => `${p.name}${p.unit}${p.liaisonLeaders.join('、')}`),
    `抄送：县委、县人大、县政府、县政协主要领导，各包联县领导。${office}${asOf.toFormat('yyyy年M月d日')}印发`,
  ])
    expect(flat).toContain(words);

  // Read like the .xlsx: anyone signed in; a bad id is refused in words, no one signed out gets it.
  expect((await call('staff', 'GET', '/bulletins/not-an-id/docx')).status).toBe(400);
  expect((await call('staff', 'GET', '/bulletins/00000000-0000-4000-8000-000000000000/pdf')).status).toBe(404);
  expect((await fetch(`${stack.api}/bulletins/${b.id}/docx`)).status).toBe(401);
  expect((await call('office', 'GET', '/bulletins')).body).toMatchObject({ total: 1, items: [{ id: b.id, number: b.number }] });

  // The investment check: one notice per lagging project with a liaison leader, per month; run twice, still one.
  const lagging = ['11', '22', '33'].filter((c) => colourOf(lagOf({ '11': 90, '22': 10, '33': 0 }[c]!)) !== 'green').length;
  const notices = async () => Number((await db.ds.query(`SELECT count(*) FROM notice WHERE kind = 'investment_lag' AND recipient_id = $1`, [county.leader]))[0].count);
  expect((await call('office', 'POST', '/schedules/investment-check/trigger')).status).toBe(201);
  await eventually('investment notices', async () => (await notices()) === lagging);
  expect((await call('office', 'POST', '/schedules/investment-check/trigger')).status).toBe(201);
  await eventually('the second check', async () => Number((await db.ds.query(`SELECT count(*) FROM audit_log WHERE action = 'investment.check'`))[0].count) === 2);
  expect(await notices()).toBe(lagging);
  const [n] = await db.ds.query(`SELECT title, body FROM notice WHERE kind = 'investment_lag' AND project_id = $1`, [P.three]);
  expect(n.title).toBe(`【${colourOf(lagOf(0)) === 'red' ? '红色' : '黄色'}预警】住建局项目投资进度滞后序时进度${lagOf(0)}个百分点`);
  expect((await call('office', 'PUT', '/schedules/weekly-bulletin', { cron: '30 8 * * MON' })).status).toBe(200);
});

test('completing the overdue stage closes its schedule blocker and turns the project green on the map', async () => {
  const [{ id: blockerId }] = await db.ds.query(`SELECT schedule_blocker_id AS id FROM project_stage WHERE project_id = $1 AND stage = 'planning'`, [P.one]);
  const done = await call('staff', 'POST', `/projects/${P.one}/stages/planning/completion`, {
    completedOn: day(0),
    evidence: [{ title: '项目建议书批复', number: '发改〔2026〕12号', issuedBy: '县发改局', issuedOn: day(-1) }],
    note: '前期手续已办结',
  });
  expect(done.status).toBe(201);
  expect(done.body.stages.slice(0, 2).map((s: { state: string }) => s.state)).toEqual(['done', 'active']);
  await eventually('the schedule blocker resolved', async () => (await db.ds.query(`SELECT status FROM blocker WHERE id = $1`, [blockerId]))[0].status === 'resolved');
  const map = (await call('office', 'GET', '/battle-map?pageSize=50')).body;
  expect(map.summary).toEqual({ red: 1, yellow: 1, green: 1, none: 1 });
  expect(map.items.find((i: { code: string }) => i.code.endsWith('11'))).toMatchObject({ colour: 'green', currentStage: 'approval', openBlockers: [] });
  expect((await call('staff', 'POST', `/projects/${P.one}/stages/planning/completion`, { completedOn: day(0), evidence: [{ title: 'x' }] })).status).toBe(409);
});

test('a schedule paused and resumed by the project office, with a note shown in the list and audited as the reason', async () => {
  const key = 'investment-check';
  const listed = async () => (await call('office', 'GET', '/schedules')).body.find((s: { key: string }) => s.key === key);
  const cron = (await listed()).cron;
  expect((await call('staff', 'POST', `/schedules/${key}/pause`, { reason: '春节' })).status).toBe(403);
  const noReason = await call('office', 'POST', `/schedules/${key}/pause`, {});
  expect([noReason.status, noReason.body.message]).toEqual([400, expect.stringMatching(/reason/)]);
  expect((await call('office', 'POST', '/schedules/nightly/pause', { reason: '春节' })).status).toBe(404);
  expect((await listed()).paused).toBe(false);

  // Paused with one Idempotency-Key sent twice: one pause, the answer replayed.
  const pause = () =>
    fetch(`${stack.api}/schedules/${key}/pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.office}`, 'idempotency-key': `pause-${key}-1` },
      body: JSON.stringify({ reason: '春节假期暂停，节后恢复' }),
    });
  const first = await pause();
  const again = await pause();
  expect([first.status, again.status, again.headers.get('idempotency-replayed')]).toEqual([200, 200, 'true']);
  expect(await first.json()).toMatchObject({ key, paused: true, note: '春节假期暂停，节后恢复', cron });
  expect(await listed()).toMatchObject({ paused: true, note: '春节假期暂停，节后恢复', cron });
  const twice = await call('office', 'POST', `/schedules/${key}/pause`, { reason: '再次暂停' });
  expect([twice.status, twice.body.message]).toEqual([409, expect.stringMatching(/^定时任务已暂停/)]);

  // A new time while paused keeps it paused with its note; resuming replaces the note.
  expect(await call('office', 'PUT', `/schedules/${key}`, { cron: '0 10 6 * *' }).then((r) => r.body)).toMatchObject({
    paused: true,
    note: '春节假期暂停，节后恢复',
    cron: '0 10 6 * *',
  });
  const resumed = await call('office', 'POST', `/schedules/${key}/resume`, { reason: '节后恢复' });
  expect([resumed.status, resumed.body]).toEqual([200, expect.objectContaining({ paused: false, note: '节后恢复', cron: '0 10 6 * *' })]);
  expect((await call('office', 'POST', `/schedules/${key}/resume`, { reason: '节后恢复' })).status).toBe(409);

  const audit = await db.ds.query(`SELECT action, actor_id, reason, after FROM audit_log WHERE target_type = 'schedule' AND target_id = $1 ORDER BY seq`, [key]);
  expect(audit).toEqual([
    { action: 'schedule.pause', actor_id: county.officer, reason: '春节假期暂停，节后恢复', after: { paused: true, note: '春节假期暂停，节后恢复' } },
    { action: 'schedule.reschedule', actor_id: county.officer, reason: null, after: { cron: '0 10 6 * *' } },
    { action: 'schedule.resume', actor_id: county.officer, reason: '节后恢复', after: { paused: false, note: '节后恢复' } },
  ]);
});
