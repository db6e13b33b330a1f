import { EntityManager } from 'typeorm';
import type { LadderRung, RungKey, RungMembers } from '../../domain/src/ladder';

/**
 * Who sits on a rung, resolved from the organisation model at the moment it
 * is needed (people change jobs), by the rung's rule in the ladder. The same
 * rule decides who gets a rung's notices and who may act on it.
 */
export interface MatterScope {
  projectId: string;
  responsibleUnitId: string;
}

/**
 * The rule of sitsOnRung (libs/domain/src/ladder.ts) as SQL over the
 * organisation model, selecting the ids of the people on the rung (no
 * fallback); tests/integration/rules-sql.spec.ts checks the two agree on
 * random organisations.
 */
export function rungMembersQuery(m: RungMembers, s: MatterScope): [string, unknown[]] {
  switch (m.kind) {
    case 'responsible_unit':
      return [`SELECT id FROM person WHERE org_unit_id = $1 AND roles && ARRAY['unit_staff','unit_head']::text[]`, [s.responsibleUnitId]];
    case 'responsible_unit_head':
      return [`SELECT id FROM person WHERE org_unit_id = $1 AND 'unit_head' = ANY(roles)`, [s.responsibleUnitId]];
    case 'department_staff':
      return [`SELECT id FROM person WHERE org_unit_id = $1 AND 'approval_staff' = ANY(roles)`, [s.responsibleUnitId]];
    case 'unit_leader_in_charge':
      return [`SELECT leader_in_charge_id AS id FROM org_unit WHERE id = $1 AND leader_in_charge_id IS NOT NULL`, [s.responsibleUnitId]];
    case 'project_liaison':
      return [`SELECT person_id AS id FROM project_liaison_leader WHERE project_id = $1`, [s.projectId]];
    case 'county_committee':
      return [
        `SELECT p.id FROM person p JOIN org_unit u ON u.id = p.org_unit_id
          WHERE (u.kind = 'county_committee' AND 'county_leader' = ANY(p.roles)) OR 'project_office' = ANY(p.roles)`,
        [],
      ];
    case 'role':
      return m.orgUnitId ? [`SELECT id FROM person WHERE $1 = ANY(roles) AND org_unit_id = $2`, [m.role, m.orgUnitId]] : [`SELECT id FROM person WHERE $1 = ANY(roles)`, [m.role]];
    case 'people':
      return [`SELECT id FROM person WHERE id = ANY($1::uuid[])`, [m.personIds]];
  }
}

const PROJECT_OFFICE = `SELECT id FROM person WHERE 'project_office' = ANY(roles) ORDER BY id`;

/** The people on a rung; a rung nobody sits on falls back to the project office, so no matter is left unseen. */
export async function rungMembers(em: EntityManager, members: RungMembers, scope: MatterScope): Promise<string[]> {
  const [sql, params] = rungMembersQuery(members, scope);
  const rows: { id: string }[] = await em.query(`${sql} ORDER BY 1`, params);
  if (rows.length) return rows.map((r) => r.id);
  return (await em.query(PROJECT_OFFICE)).map((r: { id: string }) => r.id);
}

/** The rungs of a ladder a person sits on for one matter (no project-office fallback here: that is for notices). */
export async function rungsOfPerson(em: EntityManager, ladder: readonly LadderRung[], scope: MatterScope, personId: string): Promise<RungKey[]> {
  const rungs: RungKey[] = [];
  for (const r of ladder) {
    const [sql, params] = rungMembersQuery(r.members, scope);
    const found = await em.query(`SELECT 1 FROM (${sql}) m WHERE m.id = $${params.length + 1}`, [...params, personId]);
    if (found.length) rungs.push(r.key);
  }
  return rungs;
}
