import { hashPassword } from '../../libs/identity/src/secrets';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { BlockerWorkflowInput } from '../../libs/domain/src/blocker';
import { DEFAULT_LADDER_RUNGS, PolicyRung } from '../../libs/domain/src/ladder';

export interface SmallCounty {
  unitId: string;
  townshipId: string;
  committeeId: string;
  officeId: string;
  unitStaff: string[];
  leader: string;
  countyLeaders: string[];
  officer: string;
  projectId: string;
}

/** A minimal county, written straight into the read model for workflow tests. */
export async function seedSmallCounty(ds: DataSource): Promise<SmallCounty> {
  const unit = async (name: string, kind: string) => (await ds.query(`INSERT INTO org_unit (name, kind) VALUES ($1,$2) RETURNING id`, [name, kind]))[0].id as string;
  const person = async (name: string, unitId: string, roles: string[]) =>
    (await ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1,$2,$3) RETURNING id`, [name, unitId, roles]))[0].id as string;
  const unitId = await unit('县自然资源局', 'department');
  const townshipId = await unit('城关镇', 'township');
  const committeeId = await unit('县委县政府', 'county_committee');
  const officeId = await unit('县重点项目办', 'project_office');
  const unitStaff = [await person('局长甲', unitId, ['unit_head']), await person('联络员乙', unitId, ['unit_staff'])];
  const leader = await person('副县长丙', committeeId, ['county_leader', 'liaison_leader']);
  const countyLeaders = [leader, await person('县长丁', committeeId, ['county_leader'])];
  const officer = await person('项目办戊', officeId, ['project_office']);
  const projectId = (
    await ds.query(
      `INSERT INTO project (code, name, category, responsible_unit_id, owner, township_id, total_investment)
       VALUES ('2026-341122-48-01-000011','城南污水处理厂扩建工程','infrastructure',$1,'县城投集团',$2,12000) RETURNING id`,
      [unitId, townshipId],
    )
  )[0].id as string;
  await ds.query(`INSERT INTO project_liaison_leader (project_id, person_id) VALUES ($1,$2)`, [projectId, leader]);
  return { unitId, townshipId, committeeId, officeId, unitStaff, leader, countyLeaders, officer, projectId };
}

/** The password of every test account. */
export const TEST_PASSWORD = 'test-pass-2026';

/** Accounts (username → person id) written straight into the database, all with TEST_PASSWORD. */
export async function createAccounts(ds: DataSource, accounts: Record<string, string>): Promise<Record<string, string>> {
  const hash = await hashPassword(TEST_PASSWORD);
  const ids: Record<string, string> = {};
  for (const [username, personId] of Object.entries(accounts)) {
    const [row] = await ds.query(`INSERT INTO account (person_id, username, password_hash) VALUES ($1,$2,$3) RETURNING id`, [personId, username, hash]);
    ids[username] = row.id;
  }
  return ids;
}

/** The accounts of the small county: one per role, plus a supervision officer and an approval clerk. */
export async function smallCountyAccounts(ds: DataSource, c: SmallCounty): Promise<{ supervisor: string; approvalClerk: string; otherUnitStaff: string; otherUnitId: string }> {
  const person = async (name: string, unitId: string, roles: string[]) =>
    (await ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1,$2,$3) RETURNING id`, [name, unitId, roles]))[0].id as string;
  const supervisionUnit = (await ds.query(`INSERT INTO org_unit (name, kind) VALUES ('县委督查室','supervision_office') RETURNING id`))[0].id as string;
  const otherUnitId = (await ds.query(`INSERT INTO org_unit (name, kind) VALUES ('县住建局','department') RETURNING id`))[0].id as string;
  const supervisor = await person('督查员己', supervisionUnit, ['supervision']);
  const approvalClerk = await person('审批员庚', otherUnitId, ['approval_staff']);
  const otherUnitStaff = await person('住建联络员辛', otherUnitId, ['unit_staff']);
  await createAccounts(ds, {
    head: c.unitStaff[0],
    staff: c.unitStaff[1],
    liaison: c.leader,
    county: c.countyLeaders[1],
    office: c.officer,
    supervision: supervisor,
    approval: approvalClerk,
    other: otherUnitStaff,
  });
  return { supervisor, approvalClerk, otherUnitStaff, otherUnitId };
}

/** A matter (relocation, reported by the unit's liaison 联络员乙) of the small county, on the given rungs, as the workflow tests start it. */
export function blockerInput(c: SmallCounty, rungs: PolicyRung[], extra: Partial<BlockerWorkflowInput> = {}): BlockerWorkflowInput {
  return {
    blockerId: randomUUID(),
    projectId: c.projectId,
    responsibleUnitId: c.unitId,
    category: 'relocation',
    severity: 'normal',
    title: '3户拆迁户未签订补偿协议',
    description: '补偿标准存在争议',
    reportedBy: c.unitStaff[1],
    reporterName: '联络员乙',
    policyId: null,
    rungs,
    ladder: DEFAULT_LADDER_RUNGS,
    repeatEvery: 'PT5H',
    reopenWithin: 'P10D',
    ...extra,
  };
}
