import { EntityManager } from 'typeorm';
import type { RungKey } from '../../domain/src/ladder';

/**
 * Who sits on a rung, resolved from the organisation model at the moment a
 * matter reaches it: people change jobs, so nothing here is cached.
 *  - unit: staff and head of the responsible unit;
 *  - liaison: the project's liaison leaders;
 *  - county: the county committee's leaders and the project office.
 * A rung nobody sits on falls back to the project office, so no matter is
 * ever left with nobody to see it.
 */
export async function rungMembers(
  em: EntityManager,
  rung: RungKey,
  scope: { projectId: string; responsibleUnitId: string },
): Promise<string[]> {
  const rows: { id: string }[] = await em.query(RUNG_QUERIES[rung], rung === 'unit' ? [scope.responsibleUnitId] : rung === 'liaison' ? [scope.projectId] : []);
  if (rows.length) return rows.map((r) => r.id);
  const office: { id: string }[] = await em.query(PROJECT_OFFICE);
  return office.map((r) => r.id);
}

const PROJECT_OFFICE = `SELECT p.id FROM person p JOIN org_unit u ON u.id = p.org_unit_id WHERE u.kind = 'project_office' ORDER BY p.id`;

const RUNG_QUERIES: Record<RungKey, string> = {
  unit: `SELECT id FROM person WHERE org_unit_id = $1 AND roles && ARRAY['unit_staff','unit_head']::text[] ORDER BY id`,
  liaison: `SELECT person_id AS id FROM project_liaison_leader WHERE project_id = $1 ORDER BY person_id`,
  county: `SELECT p.id FROM person p JOIN org_unit u ON u.id = p.org_unit_id
           WHERE (u.kind = 'county_committee' AND 'county_leader' = ANY(p.roles)) OR u.kind = 'project_office' ORDER BY p.id`,
};
