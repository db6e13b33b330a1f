/**
 * The escalation ladder (层级督办) as data: an ordered list of rungs, each with
 * the rule that says who sits on it. Pure code: imported by workflows, the
 * API's checks and tests alike.
 */
import type { RoleKey } from './access';

/** A rung's key within its ladder (`unit`, `liaison`, `county`, or an organisation's own, e.g. `city`). */
export type RungKey = string;
export const RUNG_KEY_PATTERN = /^[a-z][a-z0-9_]{1,29}$/;

/** The default ladder's rungs. */
export const RUNG_KEYS = ['unit', 'liaison', 'county'] as const;

export const RUNG_LABELS: Record<string, { zh: string; en: string }> = {
  unit: { zh: '责任单位', en: 'responsible unit' },
  liaison: { zh: '包联领导', en: 'liaison leader' },
  county: { zh: '县委县政府', en: 'county committee' },
};

/**
 * Who sits on a rung, resolved from the organisation model at the moment a
 * matter reaches it (people change jobs):
 *  - responsible_unit: the matter's responsible unit, its staff and head;
 *  - responsible_unit_head: that unit's head only;
 *  - project_liaison: the project's liaison leaders;
 *  - county_committee: county leaders in the county committee, and the project office;
 *  - department_staff: the approval staff of the responsible unit (an approval department);
 *  - unit_leader_in_charge: the county leader in charge of the responsible unit (分管县领导);
 *  - role: everyone holding a role (optionally in one unit);
 *  - people: named people.
 */
export type RungMembers =
  | { kind: 'responsible_unit' }
  | { kind: 'responsible_unit_head' }
  | { kind: 'project_liaison' }
  | { kind: 'county_committee' }
  | { kind: 'department_staff' }
  | { kind: 'unit_leader_in_charge' }
  | { kind: 'role'; role: RoleKey; orgUnitId?: string }
  | { kind: 'people'; personIds: string[] };

export interface LadderRung {
  key: RungKey;
  name: { zh: string; en: string };
  members: RungMembers;
}

export const DEFAULT_LADDER_RUNGS: LadderRung[] = [
  { key: 'unit', name: RUNG_LABELS.unit, members: { kind: 'responsible_unit' } },
  { key: 'liaison', name: RUNG_LABELS.liaison, members: { kind: 'project_liaison' } },
  { key: 'county', name: RUNG_LABELS.county, members: { kind: 'county_committee' } },
];

/** The default ladder's keys, for policies that name no ladder. */
export const DEFAULT_LADDER: readonly RungKey[] = RUNG_KEYS;

/**
 * How long a rung has: working days or working hours on the organisation's
 * calendar, or an ISO-8601 duration on the wall clock. A bare string is an
 * ISO-8601 duration (policies from before working days).
 */
export type ResponseTime = string | { unit: 'workingDays'; amount: number } | { unit: 'workingHours'; amount: number } | { unit: 'duration'; iso: string };

/**
 * When to remind before the due time: a fraction of the rung's time (0.25: in
 * its last quarter), N working days before (the same time of day, N working
 * days earlier), or a wall-clock duration before.
 */
export type WarningBefore = { fraction: number } | { unit: 'workingDays'; amount: number } | { unit: 'duration'; iso: string };

/** One rung of a policy: who holds the matter and how long they have to act. */
export interface PolicyRung {
  rung: RungKey;
  responseTime: ResponseTime;
  /** A reminder (催办) this long before the due time; none if absent. */
  warningBefore?: WarningBefore;
}

/** The part of a policy a matter keeps for its whole life (a snapshot). */
export interface PolicySnapshot {
  policyId: string | null;
  rungs: PolicyRung[];
  /** At the top rung, once overdue: a repeat reminder this often (ISO-8601), while open. */
  repeatEvery?: string;
  /** How long after resolving a matter may be reopened (ISO-8601). */
  reopenWithin?: string;
}

export const rungLabel = (key: RungKey, ladder?: readonly LadderRung[]): { zh: string; en: string } =>
  ladder?.find((r) => r.key === key)?.name ?? RUNG_LABELS[key] ?? { zh: key, en: key };

/** Index of the rung after `index`, or null when `index` is the top rung. */
export function nextRungIndex(rungs: readonly unknown[], index: number): number | null {
  return index + 1 < rungs.length ? index + 1 : null;
}

export function isTopRung(rungs: readonly unknown[], index: number): boolean {
  return index === rungs.length - 1;
}

/** A person as the organisation model has them, for deciding who sits on a rung. */
export interface OrgPerson {
  id: string;
  roles: readonly string[];
  orgUnitId: string | null;
  /** The kind of their org unit (department, township, county_committee, …). */
  orgUnitKind: string | null;
}

/** A matter's side of the rung rules: its responsible unit (and that unit's leader in charge) and its project's liaison leaders. */
export interface RungScope {
  responsibleUnitId: string;
  unitLeaderInChargeId: string | null;
  liaisonLeaderIds: readonly string[];
}

/**
 * The county committee (县委县政府) rung: county leaders who belong to the
 * county committee, and the project office, which acts for it. The one
 * definition: notices (libs/escalation/src/rung-members.ts, the same rule in
 * SQL, checked equal by tests/integration/rules-sql.spec.ts), who may act,
 * and the lifecycle's notices to the county all use it.
 */
export function onCountyCommittee(p: Pick<OrgPerson, 'roles' | 'orgUnitKind'>): boolean {
  return (p.orgUnitKind === 'county_committee' && p.roles.includes('county_leader')) || p.roles.includes('project_office');
}

/** Does this person sit on a rung with these members, for this matter? (The rule of RungMembers above.) */
export function sitsOnRung(m: RungMembers, p: OrgPerson, s: RungScope): boolean {
  const inUnit = p.orgUnitId !== null && p.orgUnitId === s.responsibleUnitId;
  switch (m.kind) {
    case 'responsible_unit':
      return inUnit && (p.roles.includes('unit_staff') || p.roles.includes('unit_head'));
    case 'responsible_unit_head':
      return inUnit && p.roles.includes('unit_head');
    case 'department_staff':
      return inUnit && p.roles.includes('approval_staff');
    case 'unit_leader_in_charge':
      return s.unitLeaderInChargeId !== null && p.id === s.unitLeaderInChargeId;
    case 'project_liaison':
      return s.liaisonLeaderIds.includes(p.id);
    case 'county_committee':
      return onCountyCommittee(p);
    case 'role':
      return p.roles.includes(m.role) && (!m.orgUnitId || p.orgUnitId === m.orgUnitId);
    case 'people':
      return m.personIds.includes(p.id);
  }
}
