import { seesEverything, type Actor } from '../../domain/src/access';

/**
 * The projects (and matters) an actor may see, as an SQL condition over a
 * project alias, so lists are filtered in the database. Mirrors canSee() in
 * libs/domain/src/access.ts; null means "everything".
 *
 * `matterUnit` names the column of a matter's own responsible unit, when the
 * list is of matters (a transferred matter is seen by the unit that holds it).
 */
export function visibleProjects(actor: Actor, project: string, matterUnit?: string): { sql: string; params: Record<string, unknown> } | null {
  if (actor.kind === 'system') return null;
  if (actor.kind === 'api_key') return actor.scopes.includes('projects:read') || actor.scopes.includes('blockers:read') ? null : { sql: 'FALSE', params: {} };
  if (seesEverything(actor)) return null;
  const parts: string[] = [];
  if (actor.roles.includes('unit_staff') || actor.roles.includes('unit_head')) {
    parts.push(`${project}.responsible_unit_id = :visUnit`);
    if (matterUnit) parts.push(`${matterUnit} = :visUnit`);
  }
  if (actor.roles.includes('liaison_leader')) {
    parts.push(`EXISTS (SELECT 1 FROM project_liaison_leader vis WHERE vis.project_id = ${project}.id AND vis.person_id = :visPerson)`);
  }
  return { sql: parts.length ? `(${parts.join(' OR ')})` : 'FALSE', params: { visUnit: actor.orgUnitId, visPerson: actor.personId } };
}

/**
 * The projects an approval department's clerk (or head) sees besides their
 * own: those with an approval item at their department. Only for project
 * lists: matters stay with the rungs they sit on.
 */
export function approvalDepartmentSql(actor: Actor, project: string): { sql: string; params: Record<string, unknown> } | null {
  if (actor.kind !== 'person' || !(actor.roles.includes('approval_staff') || actor.roles.includes('unit_head'))) return null;
  return { sql: `EXISTS (SELECT 1 FROM approval_item apd WHERE apd.project_id = ${project}.id AND apd.department_id = :apdUnit)`, params: { apdUnit: actor.orgUnitId } };
}
