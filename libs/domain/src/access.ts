/**
 * Who may do what: the access rules of Duban as plain functions, shared by the
 * API's guards, the services' scope filters, the workflow's validators and
 * the tests, so that each rule lives in one place.
 *
 * Roles come from the person (the organisation model); an account only links
 * a login to a person. Default deny: an actor may do only what a rule here allows.
 */
import { DEFAULT_LADDER_RUNGS, type RungKey, sitsOnRung } from './ladder';

export const ROLE_KEYS = ['unit_staff', 'unit_head', 'liaison_leader', 'county_leader', 'project_office', 'supervision', 'approval_staff'] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

export const ROLE_NAMES: Record<RoleKey, { zh: string; en: string }> = {
  unit_staff: { zh: '责任单位工作人员', en: 'unit staff' },
  unit_head: { zh: '责任单位负责人', en: 'unit head' },
  liaison_leader: { zh: '包联领导', en: 'liaison leader' },
  county_leader: { zh: '县级领导（县委县政府）', en: 'county leader' },
  project_office: { zh: '项目办', en: 'project office' },
  supervision: { zh: '督查室', en: 'supervision office' },
  approval_staff: { zh: '审批部门工作人员', en: 'approval department staff' },
};

/** What a system's API key may be allowed to do (a city platform pushing data). */
export const API_SCOPES = ['org:read', 'org:write', 'projects:read', 'projects:write', 'blockers:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export type Actor =
  | { kind: 'person'; personId: string; accountId: string; sessionId: string; name: string; orgUnitId: string; roles: RoleKey[] }
  | { kind: 'api_key'; keyId: string; name: string; scopes: ApiScope[] }
  | { kind: 'system' };

export type PersonActor = Extract<Actor, { kind: 'person' }>;

const has = (a: Actor, ...roles: RoleKey[]): boolean => a.kind === 'person' && roles.some((r) => a.roles.includes(r));

/** The project office administers everything. */
export const isProjectOffice = (a: Actor): boolean => has(a, 'project_office');

/**
 * Personal contact data (mobile number, e-mail) is read only by who needs it: the project office, which
 * administers people (and a system allowed to write them, `org:write`), and the person themself.
 * Everyone else sees a person without those fields (name, post, unit and roles stay public inside Duban).
 */
export const mayReadContact = (a: Actor | undefined, personId: string): boolean =>
  !!a && (isProjectOffice(a) || (a.kind === 'person' && a.personId === personId) || (a.kind === 'api_key' && a.scopes.includes('org:write')));

/** Sees every project and matter: project office, county leaders, supervision office. */
export const seesEverything = (a: Actor): boolean => has(a, 'project_office', 'county_leader', 'supervision');

/** A project or matter as the access rules need to see it. */
export interface MatterScope {
  /** The unit responsible for the project. */
  projectUnitId: string;
  /** The unit responsible for the matter (may differ after a transfer); absent for a project. */
  matterUnitId?: string;
  liaisonLeaderIds: string[];
}

const inUnit = (a: PersonActor, unitId: string | undefined): boolean =>
  unitId !== undefined && a.orgUnitId === unitId && (a.roles.includes('unit_staff') || a.roles.includes('unit_head'));

/** May this actor see the project / matter? */
export function canSee(a: Actor, s: MatterScope, scope: 'projects:read' | 'blockers:read'): boolean {
  if (a.kind === 'system') return true;
  if (a.kind === 'api_key') return a.scopes.includes(scope);
  if (seesEverything(a)) return true;
  if (has(a, 'liaison_leader') && s.liaisonLeaderIds.includes(a.personId)) return true;
  return inUnit(a, s.projectUnitId) || inUnit(a, s.matterUnitId);
}

/** May this actor report a blocker on the project? The unit, its liaison leader, the project office. */
export function canReport(a: Actor, s: MatterScope): boolean {
  if (a.kind !== 'person') return false; // a matter has a person who reported it
  return isProjectOffice(a) || (has(a, 'liaison_leader') && s.liaisonLeaderIds.includes(a.personId)) || inUnit(a, s.projectUnitId);
}

/**
 * The rungs of the default ladder this person sits on for a matter, by the
 * rungs' own rule (sitsOnRung): `unit` for the responsible unit's staff and
 * head, `liaison` for the project's liaison leaders, `county` for the county
 * committee (county leaders of the county committee, and the project office).
 * The person's unit kind comes from the organisation model.
 */
export function rungsOf(a: Actor & { orgUnitKind?: string | null }, s: MatterScope): RungKey[] {
  if (a.kind !== 'person') return [];
  const person = { id: a.personId, roles: a.roles, orgUnitId: a.orgUnitId, orgUnitKind: a.orgUnitKind ?? null };
  const scope = { responsibleUnitId: s.matterUnitId ?? s.projectUnitId, unitLeaderInChargeId: null, liaisonLeaderIds: s.liaisonLeaderIds };
  return DEFAULT_LADDER_RUNGS.filter((r) => sitsOnRung(r.members, person, scope)).map((r) => r.key);
}

/**
 * May someone sitting on `actorRungs` act on a matter held at `current`?
 * `orAbove` (the specification's "current rung or above") admits anyone on a
 * higher rung of `ladder`; otherwise only the current rung's people may act.
 */
export function mayActAtRung(actorRungs: readonly RungKey[], ladder: readonly RungKey[], current: RungKey, orAbove: boolean): boolean {
  const at = ladder.indexOf(current);
  if (at < 0) return false;
  return actorRungs.some((r) => {
    const i = ladder.indexOf(r);
    return i === at || (orAbove && i > at);
  });
}
