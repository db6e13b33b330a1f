/**
 * The deputy's right to act, on PostgreSQL: actingRungs gives a deputy the
 * rungs of whom they stand in for exactly while the delegation runs (from its
 * start, up to but not at its end, unless revoked), never a deputy's deputy,
 * and activeDeputies reads the same delegations the other way.
 */
import { DEFAULT_LADDER_RUNGS } from '../../libs/domain/src/ladder';
import { actingRungs, activeDelegators, activeDeputies } from '../../libs/escalation/src/acting-rungs';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, seedSmallCounty } from '../support/fixtures';

let db: TestDatabase;
let county: SmallCounty;
let deputy: string;
let second: string;
const T0 = Date.parse('2026-12-01T01:00:00.000Z');
const H = 3_600_000;

beforeAll(async () => {
  db = await createTestDatabase('acting_rungs');
  county = await seedSmallCounty(db.ds);
  const person = async (name: string) =>
    (await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1,$2,'{liaison_leader}') RETURNING id`, [name, county.committeeId]))[0].id as string;
  deputy = await person('副县长壬');
  second = await person('副县长癸');
  // 丙 (liaison of the project, county leader) → 壬 for [T0, T0+24h); 壬 → 癸 for the same period (a chain the API would refuse).
  await db.ds.query(`INSERT INTO delegation (person_id, deputy_id, starts_at, ends_at, reason) VALUES ($1,$2,$4,$5,'学习'), ($2,$3,$4,$5,'出差')`, [
    county.leader,
    deputy,
    second,
    new Date(T0),
    new Date(T0 + 24 * H),
  ]);
});
afterAll(() => db?.drop());

const scope = () => ({ projectId: county.projectId, responsibleUnitId: county.unitId });
const rungsAt = (personId: string, at: number) => actingRungs(db.ds.manager, DEFAULT_LADDER_RUNGS, scope(), personId, at);

test('the leader’s own rungs, and the deputy’s only while the delegation runs (its end time excluded)', async () => {
  expect((await rungsAt(county.leader, T0)).own).toEqual(['liaison', 'county']);
  expect(await rungsAt(deputy, T0 - 1)).toEqual({ rungs: [], own: [], deputised: [] });
  const during = await rungsAt(deputy, T0);
  expect(during.rungs).toEqual(['liaison', 'county']);
  expect(during.own).toEqual([]);
  expect(during.deputised.map((d) => [d.rung, d.delegator.personId, d.delegator.name])).toEqual([
    ['liaison', county.leader, '副县长丙'],
    ['county', county.leader, '副县长丙'],
  ]);
  expect((await rungsAt(deputy, T0 + 24 * H - 1)).rungs).toEqual(['liaison', 'county']);
  expect((await rungsAt(deputy, T0 + 24 * H)).rungs).toEqual([]);
});

test('no chaining: the deputy’s deputy gets only the deputy’s own rungs (none here)', async () => {
  expect(await rungsAt(second, T0 + H)).toEqual({ rungs: [], own: [], deputised: [] });
  expect((await activeDelegators(db.ds.manager, second, T0 + H)).map((d) => d.personId)).toEqual([deputy]);
});

test('a revoked delegation gives nothing from then on; activeDeputies reads the same rows', async () => {
  expect((await activeDeputies(db.ds.manager, county.leader, T0 + H)).map((d) => d.deputyId)).toEqual([deputy]);
  await db.ds.query(`UPDATE delegation SET revoked_at = now() WHERE person_id = $1`, [county.leader]);
  expect((await rungsAt(deputy, T0 + H)).rungs).toEqual([]);
  expect(await activeDeputies(db.ds.manager, county.leader, T0 + H)).toEqual([]);
});
