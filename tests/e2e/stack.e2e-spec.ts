/**
 * `npm start` as a user runs it: the launcher on embedded defaults (its own
 * PostgreSQL, the Temporal dev server, worker and API), the demo county, a
 * ladder climbed over HTTP, bad input refused, Ctrl-C, and a restart that
 * finds the data still there.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePortFree } from '../../apps/stack/src/ports';
import { DEMO_POLICY, demoBlockers, demoProjects } from '../../libs/demo/src/demo-county';
import { pdfText } from '../support/pdf-text';
import { LaunchedStack, StackPorts, eventually, freeStackPorts, http as rawHttp, launchStack, loginAs } from '../support/stack';

jest.setTimeout(180_000);

/** These tests log in as every demo account; the login rate limit has its own test (access.e2e-spec). */
const MANY_LOGINS = { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' };

let dataDir: string;
let ports: StackPorts;
let stack: LaunchedStack;
let api: string;
let password: string;
let office: string;

/** Calls the API as the project office unless another token is given. */
const http = (method: string, url: string, body?: unknown, token: string = office) => rawHttp(method, url, body, token);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'duban-e2e-'));
  chmodSync(dataDir, 0o755);
  ports = await freeStackPorts();
  stack = await launchStack({ DUBAN_DATA_DIR: dataDir, ...ports, ...MANY_LOGINS });
  api = stack.api;
  password = JSON.parse(readFileSync(join(dataDir, 'accounts.json'), 'utf8')).password;
  office = await loginAs(api, 'office', password);
}, 300_000);

afterAll(async () => {
  if (stack?.child.exitCode === null) await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const total = async (path: string): Promise<number> => (await http('GET', `${api}${path}`)).body.total;

test('first start migrates, seeds the demo county, prints how to log in, and serves health and docs', async () => {
  expect((await rawHttp('GET', `${api}/health`)).body).toEqual({ status: 'ok', database: 'up', temporal: 'up', stuckWork: 0 });
  const docs = await rawHttp('GET', `${api}/docs-json`);
  expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/projects/{id}/blockers', '/api/blockers/{id}/resolve', '/api/people/{id}/notices']));
  expect(await total('/projects?pageSize=1')).toBe(109);
  const all = (await http('GET', `${api}/projects?pageSize=200`)).body.items as { liaisonLeaders: unknown[]; name: string }[];
  expect(all.filter((p) => p.liaisonLeaders.length > 0)).toHaveLength(29);
  expect(all.map((p) => p.name).filter((n) => /undefined/.test(n))).toEqual([]); // no （undefined期）
  expect(await total('/blockers?category=relocation')).toBe(10);
  expect(await total('/blockers?category=funding')).toBe(8);
  // The demo's projects have plans in every colour, lagging investment, and the current weekly bulletin.
  const map = (await http('GET', `${api}/battle-map?pageSize=5`)).body;
  expect(map.total).toBe(109);
  expect(map.summary.none).toBe(0);
  for (const c of ['red', 'yellow', 'green'] as const) expect(map.summary[c]).toBeGreaterThan(0);
  expect(map.items[0].colour).toBe('red');
  expect(map.items[0].stages).toHaveLength(5);
  const lag = (await http('GET', `${api}/investment/lag?year=${new Date().getFullYear()}&groupBy=project`)).body.rows as { colour: string }[];
  expect(lag.filter((r) => r.colour === 'red').length).toBeGreaterThan(0);
  const bulletin = await eventually('the weekly bulletin', async () => {
    const r = await http('GET', `${api}/bulletins/current`);
    return r.status === 200 ? r.body : null;
  });
  expect(bulletin.data.ranking).toHaveLength(109);
  expect(bulletin.data.laggards.length).toBeGreaterThan(0);
  // The demo's bulletin as the official document: the PDF names every laggard's unit and liaison leaders, and every project in its ranking attachment.
  const pdf = await fetch(`${api}/bulletins/${bulletin.id}/pdf`, { headers: { authorization: `Bearer ${office}` } });
  expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
  const pdfBytes = Buffer.from(await pdf.arrayBuffer());
  const read = await pdfText(pdfBytes);
  const flat = read.text.replace(/\s+/g, '');
  expect(bulletin.data.ranking.filter((p: { name: string }) => !flat.includes(p.name.replace(/\s+/g, '')))).toEqual([]);
  for (const p of bulletin.data.laggards as { name: string; unit: string; liaisonLeaders: string[] }[])
    expect(flat).toContain(`${p.name}${p.unit}${p.liaisonLeaders.join('、') || '—'}`.replace(/\s+/g, ''));
  await eventually('schedule blockers for the overdue stages', async () => (await total('/blockers?category=schedule')) > 0);
  // A project in the approval stage on the green channel, whose items a department's clerk processes through the API.
  const greenProject = all.find((p) => (p as unknown as { code: string }).code === demoProjects()[1].code) as unknown as { id: string };
  const approvals = (await http('GET', `${api}/projects/${greenProject.id}/approvals`)).body;
  expect(approvals.greenChannel).not.toBeNull();
  const lanes = approvals.stages[0].lanes as { id: string; name: string; status: string }[];
  expect(lanes.length).toBeGreaterThanOrEqual(5);
  expect(lanes.find((l) => l.name.includes('节能审查'))?.status).toBe('approved');
  const accepted = lanes.find((l) => l.status === 'accepted')!;
  const clerk = await loginAs(api, 'approval-02', password);
  expect((await http('POST', `${api}/approval-items/${accepted.id}/approve`, { documentNo: '演示〔2026〕1号' }, clerk)).body.status).toBe('approved');
  const out = stack.output.join('\n');
  expect(out).toMatch(/demo county seeded/);
  expect(out).toContain(password);
  for (const username of ['admin', 'office', 'county', 'liaison', 'unit-01', 'township-01', 'supervision', 'approval']) {
    expect(out).toMatch(new RegExp(`\\s${username}\\s`));
    expect(await loginAs(api, username, password)).toMatch(/^dba_/); // every printed account logs in
  }
  expect((await rawHttp('GET', `${api}/projects`)).status).toBe(401); // nothing without a token
});

test('every printed account finds its work: the fast matters climb to people with logins, the liaison account’s rung among them; the clerk has a queue', async () => {
  const policy = ((await http('GET', `${api}/escalation-policies?pageSize=200`)).body.items as { id: string; name: string }[]).find((p) => p.name === DEMO_POLICY.name)!;
  const liaison = await loginAs(api, 'liaison', password);
  const me = (await http('GET', `${api}/auth/me`, undefined, liaison)).body.personId;
  const fast = (
    (await http('GET', `${api}/blockers?pageSize=200`, undefined, liaison)).body.items as { id: string; policyId: string; responsibleUnitId: string; projectName: string }[]
  ).filter((b) => b.policyId === policy.id);
  expect(fast).toHaveLength(demoBlockers().filter((b) => b.demo).length); // all of them on the liaison account's projects
  // The unit rung of each has a printed login (the township's or the unit's staff).
  const accounts = (await http('GET', `${api}/accounts?pageSize=200`)).body.items as { personId: string }[];
  for (const b of fast) {
    const people = (await http('GET', `${api}/people?orgUnitId=${b.responsibleUnitId}`)).body.items as { id: string; roles: string[] }[];
    expect(people.some((p) => p.roles.includes('unit_staff') && accounts.some((a) => a.personId === p.id))).toBe(true);
  }
  // Minutes later they reach the liaison rung: the account finds them in its inbox.
  await eventually(
    'a fast matter at the liaison rung, in the liaison account’s inbox',
    async () =>
      ((await http('GET', `${api}/people/${me}/notices?pageSize=200`, undefined, liaison)).body.items as { blockerId: string; kind: string }[]).some(
        (n) => n.kind === 'escalation' && fast.some((b) => b.id === n.blockerId),
      ),
    200_000,
  );
  // The printed approval clerk (县住建局) has an item in the queue, and sees its project.
  const clerk = await loginAs(api, 'approval', password);
  const queue = (await http('GET', `${api}/approvals/queue`, undefined, clerk)).body;
  expect(queue.total).toBeGreaterThan(0);
  expect(queue.items[0]).toMatchObject({ projectName: expect.any(String), department: '县住建局', colour: expect.stringMatching(/green|yellow|red/) });
  expect((await http('GET', `${api}/projects`, undefined, clerk)).body.total).toBeGreaterThan(0);
}, 300_000);

/** The liaison leader's first project, its unit's people, and the unit staff's login. */
async function demoSetup() {
  const liaison = await loginAs(api, 'liaison', password);
  const leader = (await http('GET', `${api}/auth/me`, undefined, liaison)).body;
  const project = (await http('GET', `${api}/projects?liaisonLeaderId=${leader.personId}&pageSize=1`)).body.items[0];
  const unitPeople = (await http('GET', `${api}/people?orgUnitId=${project.responsibleUnitId}`)).body.items as { id: string; roles: string[] }[];
  const accounts = (await http('GET', `${api}/accounts?pageSize=200`)).body.items as { personId: string; username: string }[];
  const staff = accounts.find((a) => unitPeople.some((p) => p.id === a.personId && p.roles.includes('unit_staff')))!;
  return { leader: { id: leader.personId }, project, unitPeople, staffToken: await loginAs(api, staff.username, password) };
}

test('a blocker on a seconds-long policy climbs to county, with its notices stored', async () => {
  const { leader, project, unitPeople } = await demoSetup();
  const policy = await http('POST', `${api}/escalation-policies`, {
    name: 'e2e 2s',
    severity: 'urgent',
    automatic: false,
    rungs: [
      { rung: 'unit', responseTime: 'PT2S' },
      { rung: 'liaison', responseTime: 'PT2S' },
      { rung: 'county', responseTime: 'PT2S' },
    ],
  });
  expect(policy.status).toBe(201);
  const reported = await http('POST', `${api}/projects/${project.id}/blockers`, {
    category: 'relocation',
    title: '5户拆迁户未腾退',
    description: '补偿标准争议',
    policyId: policy.body.id,
  });
  expect(reported.status).toBe(201);
  expect(reported.body).toMatchObject({ rung: 'unit', status: 'open', projectName: project.name });
  const id = reported.body.id;

  const done = await eventually('overdue at county', async () => {
    const b = (await http('GET', `${api}/blockers/${id}`)).body;
    return b.overdueAtTop ? b : null;
  });
  expect(done.rung).toBe('county');
  expect(done.events.map((e: { type: string; toRung: string }) => `${e.type}:${e.toRung}`)).toEqual([
    'reported:unit',
    'escalated:liaison',
    'escalated:county',
    'overdue_at_top:county',
  ]);
  // Each move at its due instant: reported + 2 s, + 4 s, + 6 s.
  const t0 = Date.parse(done.events[0].at);
  expect(done.events.map((e: { at: string }) => Date.parse(e.at) - t0)).toEqual([0, 2000, 4000, 6000]);

  const inbox = async (personId: string) =>
    ((await http('GET', `${api}/people/${personId}/notices?pageSize=200`)).body.items as { blockerId: string; kind: string }[])
      .filter((n) => n.blockerId === id)
      .map((n) => n.kind)
      .sort();
  expect(await inbox(leader.id)).toEqual(['copy', 'escalation']); // the liaison rung, then a copy when it went up to the county
  // The unit's rung is its staff and head (an approval clerk in the same department is not on it).
  const rungPeople = unitPeople.filter((p) => p.roles.some((r) => r === 'unit_staff' || r === 'unit_head'));
  expect(rungPeople.length).toBeGreaterThan(0);
  for (const p of rungPeople) expect(await inbox(p.id)).toEqual(['assigned', 'copy']);
  const officePeople = (await http('GET', `${api}/people?role=project_office`)).body.items as { id: string }[];
  for (const p of officePeople) expect(await inbox(p.id)).toEqual(['escalation', 'overdue']);
});

test('a resolved blocker never moves again, and cannot be resolved twice', async () => {
  const { project, staffToken } = await demoSetup();
  const policies = (await http('GET', `${api}/escalation-policies?pageSize=200`)).body.items as { id: string; name: string }[];
  const fast = policies.find((p) => p.name === 'e2e 2s')!;
  const b = (await http('POST', `${api}/projects/${project.id}/blockers`, { category: 'funding', title: '配套资金缺口', policyId: fast.id })).body;
  const resolved = await http('POST', `${api}/blockers/${b.id}/resolve`, { resolution: '财政局已拨付配套资金' }, staffToken);
  expect(resolved.status).toBe(200);
  expect(resolved.body).toMatchObject({ status: 'resolved', resolution: '财政局已拨付配套资金', rung: 'unit' });
  await new Promise((r) => setTimeout(r, 5000)); // past two due times
  const after = (await http('GET', `${api}/blockers/${b.id}`)).body;
  expect(after.events.map((e: { type: string }) => e.type)).toEqual(['reported', 'resolved']);
  const again = await http('POST', `${api}/blockers/${b.id}/resolve`, { resolution: '再次办结' }, staffToken);
  expect(again.status).toBe(409);
  expect(again.body.message).toMatch(/已办结/);
});

test('bad input gets a 400 naming each wrong field, unknown ids a 404, and neither writes anything', async () => {
  const counts = async () => Promise.all(['/org-units', '/people', '/projects', '/blockers', '/escalation-policies'].map((p) => total(`${p}?pageSize=1`)));
  const before = await counts();
  const { project } = await demoSetup();

  const bad = await http('POST', `${api}/projects`, { code: '2026-12', category: 'mystery', responsibleUnitId: 'nope', owner: 'x', totalInvestment: -5, extra: true });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['category', 'code', 'extra', 'name', 'responsibleUnitId', 'totalInvestment']);
  expect(bad.body.message).toMatch(/请求参数有误/);

  const noTitle = await http('POST', `${api}/projects/${project.id}/blockers`, { category: 'relocation', reportedBy: 'someone', severity: 'whenever' });
  expect(noTitle.status).toBe(400);
  expect(noTitle.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['reportedBy', 'severity', 'title']); // the reporter is the logged-in person

  const ghost = '00000000-0000-4000-8000-000000000000';
  expect((await http('POST', `${api}/projects/${ghost}/blockers`, { category: 'relocation', title: 't' })).status).toBe(404);
  expect((await http('POST', `${api}/projects/${project.id}/blockers`, { category: 'relocation', title: 't', responsibleUnitId: ghost })).status).toBe(404);
  expect((await http('POST', `${api}/projects/not-a-uuid/blockers`, { category: 'relocation', title: 't' })).status).toBe(400);
  expect((await http('GET', `${api}/blockers/${ghost}`)).status).toBe(404);
  expect((await http('POST', `${api}/blockers/${ghost}/resolve`, { resolution: 'x' })).status).toBe(404);
  expect((await http('POST', `${api}/people`, { name: '新人', orgUnitId: ghost, roles: ['unit_staff'] })).status).toBe(404);
  expect((await http('GET', `${api}/people/${ghost}/notices`)).status).toBe(404);
  const dup = await http('POST', `${api}/projects`, {
    code: project.code,
    name: '重复',
    category: 'industry',
    responsibleUnitId: project.responsibleUnitId,
    owner: 'x',
    totalInvestment: 1,
  });
  expect(dup.status).toBe(409);
  const badPolicy = await http('POST', `${api}/escalation-policies`, { name: '倒置', severity: 'normal', rungs: [{ rung: 'county', responseTime: 'P1D' }] });
  expect(badPolicy.status).toBe(422);
  const badDuration = await http('POST', `${api}/escalation-policies`, { name: '坏时长', severity: 'normal', rungs: [{ rung: 'unit', responseTime: '3 days' }] });
  expect(badDuration.status).toBe(400);

  expect(await counts()).toEqual(before);
});

test('Ctrl-C stops everything; the next start finds the data and does not seed again, and a timer set before it fires after', async () => {
  const someBlocker = (await http('GET', `${api}/blockers?pageSize=1`)).body.items[0];
  const { project } = await demoSetup();
  const policy = await http('POST', `${api}/escalation-policies`, {
    name: 'restart 30s',
    severity: 'urgent',
    automatic: false,
    rungs: ['unit', 'liaison', 'county'].map((rung) => ({ rung, responseTime: 'PT30S' })),
  });
  const pending = (await http('POST', `${api}/projects/${project.id}/blockers`, { category: 'funding', title: '跨重启的时限', policyId: policy.body.id })).body;
  expect(await stack.stop()).toBe(0);
  expect(stack.output.join('\n')).toMatch(/\[duban\] stopped/);
  for (const [name, port] of Object.entries(ports)) await ensurePortFree(Number(port), name); // nothing left listening

  stack = await launchStack({ DUBAN_DATA_DIR: dataDir, ...ports, ...MANY_LOGINS });
  api = stack.api;
  expect(stack.output.join('\n')).toMatch(/already has data/);
  expect(stack.output.join('\n')).toContain(password); // the same logins, printed again
  office = await loginAs(api, 'office', password);
  expect(await total('/projects?pageSize=1')).toBe(109);
  expect((await http('GET', `${api}/blockers/${someBlocker.id}`)).body.id).toBe(someBlocker.id);
  // The whole stack was down; the matter still escalates, recorded at its due instant.
  const moved = await eventually('escalated after the restart', async () => {
    const b = (await http('GET', `${api}/blockers/${pending.id}`)).body;
    return b.rung === 'liaison' ? b : null;
  });
  expect(moved.events[1]).toMatchObject({ type: 'escalated', at: pending.dueAt });
  expect(await stack.stop()).toBe(0);
});

test('--empty starts with an empty database', async () => {
  const emptyDir = mkdtempSync(join(tmpdir(), 'duban-e2e-empty-'));
  chmodSync(emptyDir, 0o755);
  const empty = await launchStack({ DUBAN_DATA_DIR: emptyDir, ...(await freeStackPorts()) }, ['--empty']);
  try {
    const admin = await loginAs(empty.api, 'admin', JSON.parse(readFileSync(join(emptyDir, 'accounts.json'), 'utf8')).password);
    expect((await http('GET', `${empty.api}/projects`, undefined, admin)).body.total).toBe(0);
    expect((await http('GET', `${empty.api}/escalation-policies`, undefined, admin)).body.total).toBe(4); // the two defaults, the late-start explanation's and the approvals ladder's
    expect((await http('GET', `${empty.api}/org-units`, undefined, admin)).body.items.map((u: { kind: string }) => u.kind)).toEqual(['project_office']);
  } finally {
    await empty.stop();
    rmSync(emptyDir, { recursive: true, force: true });
  }
});
