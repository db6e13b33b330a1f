import { randomUUID } from 'node:crypto';
import type { ChannelKind } from '../../channels/src/channel';
import { seedApprovals } from './seed-approvals';
import { seedNoticeChannels } from './seed-notices';
import { seedLifecycles, triggerBulletin } from './seed-lifecycle';
import { DEMO_POLICY, DEPARTMENTS, LEADERS, LIAISON_ACCOUNT_LEADER, COUNTY_COMMITTEE, SUPERVISION_OFFICE, TOWNSHIPS, demoBlockers, demoName, demoProjects } from './demo-county';

/** A demo login, printed by `npm start`. */
export interface DemoAccount {
  username: string;
  role: string;
  who: string;
}

/**
 * Seeds the demo county through the HTTP API (the same validation and access
 * rules as any user), logged in as the bootstrap administrator, into a
 * database holding nothing but that administrator. Every demo account gets
 * `password` (generated per installation by the launcher).
 */
export async function seedDemoCounty(
  api: string,
  admin: { username: string; password: string },
  password: string,
  log: (m: string) => void,
  zone = 'Asia/Shanghai',
  /** Settings pointing each channel at the local receivers, when the launcher runs them. */
  channelSettings?: (kind: ChannelKind) => Record<string, unknown>,
): Promise<{ summary: string; accounts: DemoAccount[] } | null> {
  const login = async (username: string, pw: string): Promise<string> => (await call<{ accessToken: string }>('', 'POST', '/auth/login', { username, password: pw })).accessToken;
  // A good client: every write carries an Idempotency-Key and is retried with it on 503 / 409 after Retry-After.
  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const key = method === 'GET' ? undefined : randomUUID();
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${api}/api${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...(key && { 'idempotency-key': key }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      if (res.ok) return json as T;
      if (!((res.status === 503 || (res.status === 409 && key && res.headers.get('retry-after'))) && attempt < 6)) {
        throw new Error(`demo seed: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
      }
      await new Promise((r) => setTimeout(r, 1000 * Math.min(10, Number(res.headers.get('retry-after')) || 2)));
    }
  };
  const token = await login(admin.username, admin.password);
  const as = <T>(method: string, path: string, body?: unknown) => call<T>(token, method, path, body);
  const [units, projectsNow] = await Promise.all([as<{ total: number }>('GET', '/org-units?pageSize=1'), as<{ total: number }>('GET', '/projects?pageSize=1')]);
  if (units.total > 1 || projectsNow.total > 0) return null;
  log('seeding the demo county (示范县)…');

  let n = 0;
  const accounts: DemoAccount[] = [];
  const unit = (name: string, kind: string) => as<{ id: string }>('POST', '/org-units', { name, kind });
  const person = (orgUnitId: string, name: string, title: string, roles: string[]) =>
    as<{ id: string; name: string }>('POST', '/people', { name, title, orgUnitId, roles, phone: `1390000${String(1000 + n++).slice(-4)}` });
  const account = async (p: { id: string; name: string }, username: string, role: string, where: string) => {
    await as('POST', '/accounts', { personId: p.id, username, password, mustChangePassword: false });
    accounts.push({ username, role, who: `${p.name}（${where}）` });
  };

  const committee = await unit(COUNTY_COMMITTEE, 'county_committee');
  const leaders = [];
  for (const l of LEADERS) leaders.push(await person(committee.id, l.name, l.title, l.county ? ['county_leader', 'liaison_leader'] : ['liaison_leader']));
  await account(leaders[1], 'county', '县级领导 county leader', LEADERS[1].title);
  await account(leaders[LIAISON_ACCOUNT_LEADER], 'liaison', '包联领导 liaison leader', LEADERS[LIAISON_ACCOUNT_LEADER].title);
  const office = (await as<{ items: { id: string }[] }>('GET', '/org-units?kind=project_office')).items[0];
  const officer = await person(office.id, demoName(n), '项目办主任', ['project_office']);
  await account(officer, 'office', '项目办 project office', '项目办主任');
  const supervision = await unit(SUPERVISION_OFFICE, 'supervision_office');
  await account(await person(supervision.id, demoName(n), '督查室主任', ['supervision']), 'supervision', '督查室 supervision office', SUPERVISION_OFFICE);

  const departments = [];
  for (const [i, name] of DEPARTMENTS.entries()) {
    const d = await unit(name, 'department');
    await person(d.id, demoName(n), `${name.replace(/^县/, '')}局长`.replace('委局长', '委主任'), ['unit_head']);
    const staff = await person(d.id, demoName(n), '项目联络员', ['unit_staff']);
    const username = `unit-${String(i + 1).padStart(2, '0')}`;
    await account(staff, username, '责任单位 unit staff', name);
    departments.push({ ...d, staff, username });
  }
  // Approval departments' clerks (审批科), and each department's county leader in charge (分管县领导).
  await account(await person(departments[2].id, demoName(n), '审批科科员', ['approval_staff']), 'approval', '审批部门 approval staff', DEPARTMENTS[2]);
  for (const [i, username] of [
    [0, 'approval-01'],
    [1, 'approval-02'],
    [3, 'approval-04'],
  ] as const) {
    await account(await person(departments[i].id, demoName(n), '审批科科员', ['approval_staff']), username, '审批部门 approval staff', DEPARTMENTS[i]);
  }
  for (const [i, d] of departments.entries()) {
    await as('PATCH', `/org-units/${d.id}`, { leaderInChargeId: leaders[2 + (i % (leaders.length - 2))].id, reason: '县政府领导分工（演示）' });
  }
  const townships = [];
  for (const [i, name] of TOWNSHIPS.entries()) {
    const t = await unit(name, 'township');
    await person(t.id, demoName(n), name.endsWith('乡') ? '乡长' : name.endsWith('街道') ? '办事处主任' : '镇长', ['unit_head']);
    await account(await person(t.id, demoName(n), '征迁办主任', ['unit_staff']), `township-${String(i + 1).padStart(2, '0')}`, '乡镇 township staff', name);
    townships.push(t);
  }

  const projects = [];
  for (const p of demoProjects()) {
    projects.push(
      await as<{ id: string }>('POST', '/projects', {
        code: p.code,
        name: p.name,
        category: p.category,
        responsibleUnitId: departments[p.department].id,
        owner: p.owner,
        townshipId: townships[p.township].id,
        totalInvestment: p.totalInvestment,
        liaisonLeaderIds: p.leader === null ? [] : [leaders[p.leader].id],
      }),
    );
  }

  // Channels before the first matter, so its notices already go out on them.
  const channels = channelSettings ? await seedNoticeChannels(as, channelSettings, leaders) : 0;
  const demoPolicy = await as<{ id: string }>('POST', '/escalation-policies', DEMO_POLICY);
  const blockers = demoBlockers();
  const tokens = new Map<string, string>([['office', await login('office', password)]]);
  for (const b of blockers) {
    const p = demoProjects()[b.project];
    // Most matters are raised by the project office at the scheduling meeting (调度会); a few units report their own.
    // Demo-policy matters are the office's (only it may choose a policy). Few logins: the login rate limit is strict.
    const reporter = b.demo || p.department >= 4 ? 'office' : departments[p.department].username;
    if (!tokens.has(reporter)) tokens.set(reporter, await login(reporter, password));
    await call(tokens.get(reporter)!, 'POST', `/projects/${projects[b.project].id}/blockers`, {
      category: b.category,
      severity: b.demo ? 'urgent' : 'normal',
      title: b.title,
      description: `${p.name}：${b.title}，影响项目进度，请责任单位协调解决。`,
      // Relocation is handled on the ground by the township (属地).
      ...(b.category === 'relocation' && { responsibleUnitId: townships[p.township].id }),
      ...(b.demo && { policyId: demoPolicy.id }),
    });
  }
  log('setting plans, progress and investment…');
  const asOffice = <T>(method: string, path: string, body?: unknown) => call<T>(tokens.get('office')!, method, path, body);
  const life = await seedLifecycles(asOffice, projects, demoProjects(), zone);
  const approvals = await seedApprovals(
    asOffice,
    async (method, path, body) => {
      if (!tokens.has('approval-02')) tokens.set('approval-02', await login('approval-02', password));
      return call(tokens.get('approval-02')!, method, path, body);
    },
    projects,
  );
  await triggerBulletin(asOffice);
  const demo = blockers.filter((b) => b.demo).length;
  const summary =
    `demo county seeded: ${departments.length + townships.length + 3} org units, ${n + 1} people, ${projects.length} key projects ` +
    `(29 with county-level liaison leaders), ${blockers.length} blockers; ${demo} of them are on the minutes-long demo policy ` +
    `(${DEMO_POLICY.rungs.map((r) => `${r.rung} ${r.responseTime}`).join(' → ')}) and escalate while you watch; ` +
    `${life.planned} milestone plans (${life.overdue} with an overdue stage, ${life.lateStart} not started on time), this year's investment, the weekly bulletin, and ${approvals.items} approval items on three projects in the approval stage (one on the green channel)` +
    (channels ? `; ${channels} notice channels to the local receivers (county leaders by DingTalk work notice, SMS and e-mail).` : '.');
  return { summary, accounts };
}
