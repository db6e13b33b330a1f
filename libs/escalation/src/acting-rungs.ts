import { EntityManager } from 'typeorm';
import type { RoleKey } from '../../domain/src/access';
import type { LadderRung, RungKey } from '../../domain/src/ladder';
import { type MatterScope, rungsOfPerson } from './rung-members';

/** A person who named this one their deputy (代理), in a delegation running at the instant asked about. */
export interface Delegator {
  delegationId: string;
  personId: string;
  name: string;
  roles: RoleKey[];
  orgUnitId: string;
}

/** A rung a deputy holds only through a delegation, and whose. */
export interface DeputisedRung {
  rung: RungKey;
  delegator: Delegator;
}

export interface ActingRungs {
  /** Every rung the person may act on: their own and those deputised. */
  rungs: RungKey[];
  /** Their own rungs, by the organisation model. */
  own: RungKey[];
  /** Rungs held only through a delegation, with the person deputised for. */
  deputised: DeputisedRung[];
}

/**
 * The delegations naming `deputyId` as deputy that run at `atMs`: started, not
 * ended (a delegation ends at its end time, evaluated at the request time) and
 * not revoked.
 */
export async function activeDelegators(em: EntityManager, deputyId: string, atMs: number): Promise<Delegator[]> {
  const rows: { id: string; person_id: string; name: string; roles: RoleKey[]; org_unit_id: string }[] = await em.query(
    `SELECT d.id, d.person_id, p.name, p.roles, p.org_unit_id FROM delegation d JOIN person p ON p.id = d.person_id
      WHERE d.deputy_id = $1 AND d.revoked_at IS NULL AND d.starts_at <= $2 AND d.ends_at > $2 ORDER BY d.starts_at, d.id`,
    [deputyId, new Date(atMs)],
  );
  return rows.map((r) => ({ delegationId: r.id, personId: r.person_id, name: r.name, roles: r.roles, orgUnitId: r.org_unit_id }));
}

/**
 * Who stands in for `personId` at `atMs` (whom the person's notices also go to,
 * marked 代): the deputies of the delegations running then. The same rule as
 * activeDelegators, read the other way.
 */
export async function activeDeputies(em: EntityManager, personId: string, atMs: number): Promise<{ delegationId: string; deputyId: string; deputyName: string }[]> {
  const rows: { id: string; deputy_id: string; name: string }[] = await em.query(
    `SELECT d.id, d.deputy_id, p.name FROM delegation d JOIN person p ON p.id = d.deputy_id
      WHERE d.person_id = $1 AND d.revoked_at IS NULL AND d.starts_at <= $2 AND d.ends_at > $2 ORDER BY d.starts_at, d.id`,
    [personId, new Date(atMs)],
  );
  return rows.map((r) => ({ delegationId: r.id, deputyId: r.deputy_id, deputyName: r.name }));
}

/**
 * The one answer to "on which rungs of this matter may this person act now?":
 * their own rungs, plus the rungs of each person who named them deputy for a
 * period running now. A delegator's rungs are their OWN (rungsOfPerson), so a
 * deputy's deputy gains nothing: delegation does not chain.
 */
export async function actingRungs(em: EntityManager, ladder: readonly LadderRung[], scope: MatterScope, personId: string, atMs: number): Promise<ActingRungs> {
  const own = await rungsOfPerson(em, ladder, scope, personId);
  const deputised: DeputisedRung[] = [];
  for (const delegator of await activeDelegators(em, personId, atMs)) {
    for (const rung of await rungsOfPerson(em, ladder, scope, delegator.personId)) {
      if (!own.includes(rung) && !deputised.some((d) => d.rung === rung)) deputised.push({ rung, delegator });
    }
  }
  const held = new Set([...own, ...deputised.map((d) => d.rung)]);
  return { rungs: ladder.map((r) => r.key).filter((k) => held.has(k)), own, deputised };
}
