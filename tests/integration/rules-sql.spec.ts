/**
 * One rule, TypeScript and SQL alike: property tests (fast-check) that run
 * the SQL PostgreSQL evaluates against the pure function in libs/domain on
 * random inputs — the colour of a deadline, the battle map's project and
 * stage colours, the effective limit of an approval item, and who sits on
 * each kind of rung (the county committee among them).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { bulletinFigures } from '../../libs/bulletins/src/figures';
import type { DubanConfig } from '../../libs/config/src';
import type { Actor } from '../../libs/domain/src/access';
import { effectiveLimitDays, effectiveLimitDaysSql } from '../../libs/domain/src/approval';
import { type Colour, colourAt, colourSql, worstColour } from '../../libs/domain/src/colour';
import { type OrgPerson, type RungMembers, sitsOnRung } from '../../libs/domain/src/ladder';
import { rungMembersQuery } from '../../libs/escalation/src/rung-members';
import { BattleMapService } from '../../libs/lifecycle/src/battle-map.service';
import { TestDatabase, createTestDatabase } from '../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('rules_sql');
});
afterAll(() => db?.drop());

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
/** Instants a few seconds apart around T0, so that equal instants (the boundaries) come up often. */
const instant = fc.option(
  fc.integer({ min: -5, max: 5 }).map((s) => T0 + s * 1000),
  { nil: null },
);

test('the colour of a deadline: colourSql on PostgreSQL equals colourAt, boundaries and missing instants included', async () => {
  const sql = `SELECT ${colourSql({ running: '$1::boolean', dueAt: '$2::timestamptz', warnAt: '$3::timestamptz', now: '$4::timestamptz' })} AS colour`;
  await fc.assert(
    fc.asyncProperty(fc.boolean(), instant, instant, fc.integer({ min: -6, max: 6 }), async (running, due, warn, nowS) => {
      const now = T0 + nowS * 1000;
      const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
      const [{ colour }] = await db.ds.query(sql, [running, iso(due), iso(warn), iso(now)]);
      expect(colour).toBe(colourAt({ running, dueAt: due, warnAt: warn }, now));
    }),
    { numRuns: 300 },
  );
});

test('the effective limit of an approval item: the SQL over the read model equals effectiveLimitDays', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }), async (limit, ext) => {
      const state = { status: 'accepted', extension: ext === null ? null : { days: ext, reason: 'r', by: 'x', at: new Date(T0).toISOString() } };
      const [{ n }] = await db.ds.query(`SELECT ${effectiveLimitDaysSql('a')} AS n FROM (SELECT $1::int AS limit_days, $2::jsonb AS state) a`, [limit, JSON.stringify(state)]);
      expect(n).toBe(effectiveLimitDays(limit, state.extension));
    }),
    { numRuns: 100 },
  );
});

const office: Actor = {
  kind: 'person',
  personId: randomUUID(),
  accountId: randomUUID(),
  sessionId: randomUUID(),
  name: '项目办',
  orgUnitId: randomUUID(),
  roles: ['project_office'],
};
const STATES = ['pending', 'active', 'done', 'n/a'] as const;
const MINUTE = 60_000;

test('the battle map and the bulletin: every project and stage colour equals worstColour over colourAt; the overdue stages are the red ones', async () => {
  const map = new BattleMapService(db.ds, { DUBAN_TIME_ZONE: 'Asia/Shanghai' } as DubanConfig);
  const stage = fc.record({ state: fc.constantFrom(...STATES), due: fc.integer({ min: -3, max: 3 }), warn: fc.integer({ min: -3, max: 3 }) });
  const project = fc.record({ planned: fc.boolean(), stages: fc.array(stage, { minLength: 5, maxLength: 5 }) });
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(project, { minLength: 1, maxLength: 4 }), async (projects) => {
      const [{ id: unit }] = await db.ds.query(`INSERT INTO org_unit (name, kind) VALUES ($1, 'department') RETURNING id`, [`单位${++run}`]);
      // Instants whole minutes away from now: the SQL reads now() a moment after this, never across a boundary.
      const now = Date.now();
      const at = (m: number) => new Date(now + (m * 2 + (m >= 0 ? 1 : -1)) * MINUTE).toISOString();
      const expected = new Map<string, { colour: Colour | null; stages: (Colour | null)[] }>();
      const red: string[] = [];
      for (const [i, p] of projects.entries()) {
        const code = `2026-341100-48-07-${String(run * 10 + i).padStart(6, '0')}`;
        const [{ id }] = await db.ds.query(
          `INSERT INTO project (code, name, category, responsible_unit_id, owner, total_investment) VALUES ($1,$1,'industry',$2,'业主',1) RETURNING id`,
          [code, unit],
        );
        const colours: (Colour | null)[] = [];
        if (p.planned) {
          await db.ds.query(`INSERT INTO project_lifecycle (project_id, workflow_id, revision, confirm_completion, updated_at) VALUES ($1, $2, 1, false, now())`, [
            id,
            `lifecycle-${id}`,
          ]);
          for (const [k, s] of p.stages.entries()) {
            const name = ['planning', 'approval', 'land', 'start', 'completion'][k];
            await db.ds.query(`INSERT INTO project_stage (project_id, stage, position, state, due_on, due_at, warn_at) VALUES ($1,$2,$3,$4,'2026-03-02',$5,$6)`, [
              id,
              name,
              k,
              s.state,
              at(s.due),
              at(s.warn),
            ]);
            colours.push(colourAt({ running: s.state === 'active', dueAt: at(s.due), warnAt: at(s.warn) }, now));
            if (colours[k] === 'red') red.push(`${code}:${name}`);
          }
        }
        expected.set(code, { colour: worstColour(colours, p.planned), stages: colours });
      }
      const got = await map.map(office, { unitId: unit, page: 1, pageSize: 50 } as never);
      expect(got.items.map((r: Record<string, unknown>) => [r.code, r.colour, (r.stages as { colour: Colour | null }[]).map((s) => s.colour)]).sort()).toEqual(
        [...expected].map(([code, e]) => [code, e.colour, e.stages]).sort(),
      );
      // The weekly bulletin's overdue stages, as of the same instant.
      const figures = await bulletinFigures(db.ds.manager, DateTime.fromMillis(now, { zone: 'Asia/Shanghai' }), {});
      const codes = new Set(expected.keys());
      expect(
        figures.overdueStages
          .filter((o) => codes.has(o.code))
          .map((o) => `${o.code}:${o.stage}`)
          .sort(),
      ).toEqual(red.sort());
    }),
    { numRuns: 25 },
  );
});

const ROLES = ['unit_staff', 'unit_head', 'liaison_leader', 'county_leader', 'project_office', 'supervision', 'approval_staff'] as const;
const KINDS = ['department', 'township', 'county_committee', 'project_office', 'supervision_office'] as const;

test('who sits on a rung: the rung SQL selects exactly the people sitsOnRung admits, for every kind of rung', async () => {
  const org = fc.record({
    units: fc.array(fc.constantFrom(...KINDS), { minLength: 2, maxLength: 4 }),
    people: fc.array(fc.record({ unit: fc.nat(), roles: fc.subarray([...ROLES]) }), { minLength: 1, maxLength: 8 }),
    responsible: fc.nat(),
    liaison: fc.array(fc.nat(), { maxLength: 3 }),
    leaderInCharge: fc.option(fc.nat(), { nil: null }),
    role: fc.constantFrom(...ROLES),
    roleInUnit: fc.option(fc.nat(), { nil: null }),
    named: fc.array(fc.nat(), { maxLength: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(org, async (o) => {
      const qr = db.ds.createQueryRunner();
      await qr.startTransaction();
      try {
        const units: { id: string; kind: string }[] = [];
        for (const [i, kind] of o.units.entries())
          units.push({ id: (await qr.query(`INSERT INTO org_unit (name, kind) VALUES ($1,$2) RETURNING id`, [`u${i}-${randomUUID()}`, kind]))[0].id, kind });
        const people: OrgPerson[] = [];
        for (const [i, p] of o.people.entries()) {
          const u = units[p.unit % units.length];
          const [{ id }] = await qr.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1,$2,$3) RETURNING id`, [`p${i}`, u.id, p.roles]);
          people.push({ id, roles: p.roles, orgUnitId: u.id, orgUnitKind: u.kind });
        }
        const pick = (n: number) => people[n % people.length];
        const responsible = units[o.responsible % units.length];
        const leaderInCharge = o.leaderInCharge === null ? null : pick(o.leaderInCharge).id;
        await qr.query(`UPDATE org_unit SET leader_in_charge_id = $2 WHERE id = $1`, [responsible.id, leaderInCharge]);
        const [{ id: projectId }] = await qr.query(
          `INSERT INTO project (code, name, category, responsible_unit_id, owner, total_investment) VALUES ($1,'p','industry',$2,'o',1) RETURNING id`,
          [`2026-341100-48-08-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, responsible.id],
        );
        const liaison = [...new Set(o.liaison.map((n) => pick(n).id))];
        for (const l of liaison) await qr.query(`INSERT INTO project_liaison_leader (project_id, person_id) VALUES ($1,$2)`, [projectId, l]);
        const kinds: RungMembers[] = [
          { kind: 'responsible_unit' },
          { kind: 'responsible_unit_head' },
          { kind: 'department_staff' },
          { kind: 'unit_leader_in_charge' },
          { kind: 'project_liaison' },
          { kind: 'county_committee' },
          { kind: 'role', role: o.role },
          { kind: 'role', role: o.role, ...(o.roleInUnit === null ? {} : { orgUnitId: units[o.roleInUnit % units.length].id }) },
          { kind: 'people', personIds: o.named.map((n) => pick(n).id) },
        ];
        for (const m of kinds) {
          const [sql, params] = rungMembersQuery(m, { projectId, responsibleUnitId: responsible.id });
          const bySql = (await qr.query(sql, params)).map((r: { id: string }) => r.id).sort();
          const byRule = people
            .filter((p) => sitsOnRung(m, p, { responsibleUnitId: responsible.id, unitLeaderInChargeId: leaderInCharge, liaisonLeaderIds: liaison }))
            .map((p) => p.id)
            .sort();
          expect([m.kind, bySql]).toEqual([m.kind, byRule]);
        }
      } finally {
        await qr.rollbackTransaction();
        await qr.release();
      }
    }),
    { numRuns: 60 },
  );
});
