import { DEMO_POLICY, DEPARTMENTS, LEADERS, COUNTY_COMMITTEE, PROJECT_OFFICE, SUPERVISION_OFFICE, TOWNSHIPS, demoBlockers, demoName, demoProjects } from './demo-county';

/**
 * Seeds the demo county through the HTTP API (the same validation as any
 * user), into an empty database only. Returns a line saying what it did.
 */
export async function seedDemoCounty(api: string, log: (m: string) => void): Promise<string> {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`demo seed: ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };
  const existing = await call<{ total: number }>('GET', '/org-units?pageSize=1');
  if (existing.total > 0) return 'database already has data: demo county not seeded';
  log('seeding the demo county (示范县)…');

  let n = 0;
  const unit = (name: string, kind: string) => call<{ id: string }>('POST', '/org-units', { name, kind });
  const person = (orgUnitId: string, name: string, title: string, roles: string[]) =>
    call<{ id: string }>('POST', '/people', { name, title, orgUnitId, roles, phone: `1390000${String(1000 + n++).slice(-4)}` });

  const committee = await unit(COUNTY_COMMITTEE, 'county_committee');
  const leaders = [];
  for (const l of LEADERS) leaders.push(await person(committee.id, l.name, l.title, ['county_leader', 'liaison_leader']));
  const office = await unit(PROJECT_OFFICE, 'project_office');
  const officer = await person(office.id, demoName(n), '项目办主任', ['project_office']);
  await person(office.id, demoName(n), '项目办科员', ['project_office']);
  const supervision = await unit(SUPERVISION_OFFICE, 'supervision_office');
  await person(supervision.id, demoName(n), '督查室主任', ['supervision']);

  const departments = [];
  for (const name of DEPARTMENTS) {
    const d = await unit(name, 'department');
    await person(d.id, demoName(n), `${name.replace(/^县/, '')}局长`.replace('委局长', '委主任'), ['unit_head']);
    const staff = await person(d.id, demoName(n), '项目联络员', ['unit_staff']);
    departments.push({ ...d, staff });
  }
  const townships = [];
  for (const name of TOWNSHIPS) {
    const t = await unit(name, 'township');
    await person(t.id, demoName(n), name.endsWith('乡') ? '乡长' : name.endsWith('街道') ? '办事处主任' : '镇长', ['unit_head']);
    await person(t.id, demoName(n), '征迁办主任', ['unit_staff']);
    townships.push(t);
  }

  const projects = [];
  for (const p of demoProjects()) {
    projects.push(
      await call<{ id: string }>('POST', '/projects', {
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

  const demoPolicy = await call<{ id: string }>('POST', '/escalation-policies', DEMO_POLICY);
  const blockers = demoBlockers();
  for (const b of blockers) {
    const p = demoProjects()[b.project];
    await call('POST', `/projects/${projects[b.project].id}/blockers`, {
      category: b.category,
      severity: b.demo ? 'urgent' : 'normal',
      title: b.title,
      description: `${p.name}：${b.title}，影响项目进度，请责任单位协调解决。`,
      reportedBy: b.demo ? officer.id : departments[p.department].staff.id,
      ...(b.demo && { policyId: demoPolicy.id }),
    });
  }
  const demo = blockers.filter((b) => b.demo).length;
  return (
    `demo county seeded: ${departments.length + townships.length + 3} org units, ${n} people, ${projects.length} key projects ` +
    `(29 with county-level liaison leaders), ${blockers.length} blockers; ${demo} of them are on the minutes-long demo policy ` +
    `(${DEMO_POLICY.rungs.map((r) => `${r.rung} ${r.responseTime}`).join(' → ')}) and escalate while you watch. ` +
    `Try: GET ${api}/api/blockers?status=open`
  );
}
