import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { type Actor, isProjectOffice } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { Page, pageOf } from '../../persistence/src/page';
import { mustBeSelfOrOffice, PERSON } from './access';
import { delegationPeriodProblem } from './rules';

export type DelegationStatus = 'scheduled' | 'active' | 'ended' | 'revoked';

/** 代理: a person (a leader on leave or away) names a deputy for a period; notices and the right to act go to the deputy. */
export interface DelegationView {
  id: string;
  personId: string;
  personName: string;
  deputyId: string;
  deputyName: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  status: DelegationStatus;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export interface NewDelegation {
  deputyId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}

const DELEGATION = { zh: '代理', en: 'Delegation' };
const conflict = (zh: string, en: string, details?: unknown) => new DomainError(DomainErrorCode.Conflict, zh, en, details);
const SELECT = `SELECT d.*, p.name AS person_name, q.name AS deputy_name FROM delegation d JOIN person p ON p.id = d.person_id JOIN person q ON q.id = d.deputy_id`;
/** Neither revoked nor ended, and overlapping [$2, $3). */
const OVERLAPS = `d.revoked_at IS NULL AND d.ends_at > now() AND d.starts_at < $3 AND d.ends_at > $2`;

@Injectable()
export class DelegationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, personId: string, d: NewDelegation): Promise<DelegationView> {
    mustBeSelfOrOffice(ctx.actor, personId);
    const startsAt = new Date(d.startsAt);
    const endsAt = new Date(d.endsAt);
    if (d.deputyId === personId) throw invalid('不能指定本人为代理人', 'A person cannot be their own deputy');
    const problem = delegationPeriodProblem(startsAt, endsAt, Date.now());
    if (problem) throw invalid(problem.zh, problem.en);
    return this.ds.transaction(async (em) => {
      // Both people's delegations are checked then written: lock them (in a fixed order) against a concurrent request.
      for (const id of [personId, d.deputyId].sort()) await em.query(`SELECT pg_advisory_xact_lock(hashtext('delegation:' || $1))`, [id]);
      const people: { id: string; name: string }[] = await em.query(`SELECT id, name FROM person WHERE id = ANY($1::uuid[])`, [[personId, d.deputyId]]);
      const name = (id: string) => people.find((p) => p.id === id)?.name;
      if (!name(personId)) throw DomainError.notFound(PERSON, personId);
      if (!name(d.deputyId)) throw DomainError.notFound({ zh: '代理人', en: 'Deputy' }, d.deputyId);
      const period = [startsAt, endsAt];
      const [own] = await em.query(`${SELECT} WHERE d.person_id = $1 AND ${OVERLAPS} ORDER BY d.starts_at LIMIT 1`, [personId, ...period]);
      if (own)
        throw conflict(
          `${own.person_name}在该期间已有代理（${own.deputy_name}），请先撤销`,
          `${own.person_name} already has a deputy (${own.deputy_name}) in this period; revoke it first`,
          { delegationId: own.id },
        );
      // No chaining: the deputy must not be away themselves (have a deputy) in the period …
      const [away] = await em.query(`${SELECT} WHERE d.person_id = $1 AND ${OVERLAPS} ORDER BY d.starts_at LIMIT 1`, [d.deputyId, ...period]);
      if (away)
        throw conflict(
          `${away.person_name}在该期间本人也由${away.deputy_name}代理，不能担任代理人（代理不传递）`,
          `${away.person_name} has a deputy of their own (${away.deputy_name}) in this period and cannot be one (delegation does not chain)`,
          { delegationId: away.id },
        );
      // … and the person must not be standing in for someone else then (their deputy would inherit it).
      const [standingIn] = await em.query(`${SELECT} WHERE d.deputy_id = $1 AND ${OVERLAPS} ORDER BY d.starts_at LIMIT 1`, [personId, ...period]);
      if (standingIn)
        throw conflict(
          `${standingIn.deputy_name}在该期间正代理${standingIn.person_name}，不能再委托他人代理（代理不传递）`,
          `${standingIn.deputy_name} stands in for ${standingIn.person_name} in this period and cannot name a deputy (delegation does not chain)`,
          { delegationId: standingIn.id },
        );
      const by = ctx.actor.kind === 'person' ? ctx.actor.personId : null;
      const [row] = await em.query(`INSERT INTO delegation (person_id, deputy_id, starts_at, ends_at, reason, created_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, [
        personId,
        d.deputyId,
        startsAt,
        endsAt,
        d.reason,
        by,
      ]);
      const created = await this.one(em, row.id);
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'delegation.create',
        targetType: 'delegation',
        targetId: created.id,
        after: summary(created),
        reason: d.reason,
        requestId: ctx.requestId,
      });
      return created;
    });
  }

  /** The person themself or the office: whom the person named deputy (given) and for whom they stand in (received). */
  async ofPerson(ctx: RequestContext, personId: string): Promise<{ given: DelegationView[]; received: DelegationView[] }> {
    mustBeSelfOrOffice(ctx.actor, personId);
    if (!(await this.ds.query(`SELECT 1 FROM person WHERE id = $1`, [personId])).length) throw DomainError.notFound(PERSON, personId);
    const rows = await this.ds.query(`${SELECT} WHERE d.person_id = $1 OR d.deputy_id = $1 ORDER BY d.starts_at DESC, d.id`, [personId]);
    const all = rows.map(view);
    return { given: all.filter((d: DelegationView) => d.personId === personId), received: all.filter((d: DelegationView) => d.deputyId === personId) };
  }

  /** The office's list: all, or only those running now. */
  async list(q: { active?: boolean; page: number; pageSize: number }): Promise<Page<DelegationView>> {
    const where = q.active ? `WHERE d.revoked_at IS NULL AND d.starts_at <= now() AND d.ends_at > now()` : '';
    const [rows, [{ count }]] = await Promise.all([
      this.ds.query(`${SELECT} ${where} ORDER BY d.starts_at DESC, d.id LIMIT $1 OFFSET $2`, [q.pageSize, (q.page - 1) * q.pageSize]),
      this.ds.query(`SELECT count(*)::int AS count FROM delegation d ${where}`),
    ]);
    return pageOf([rows.map(view), count], q);
  }

  /** Revoked by the person who named the deputy, or the office; from now on (a deputy's past actions stand). */
  async revoke(ctx: RequestContext, id: string, reason: string): Promise<DelegationView> {
    return this.ds.transaction(async (em) => {
      const [locked] = await em.query(`SELECT id FROM delegation WHERE id = $1 FOR UPDATE`, [id]);
      if (!locked) throw DomainError.notFound(DELEGATION, id);
      const before = await this.one(em, id);
      if (!mayRevoke(ctx.actor, before))
        throw DomainError.forbidden('只有委托人本人或项目办可以撤销代理', 'Only the person who named the deputy or the project office may revoke it');
      if (before.status === 'revoked') throw conflict('该代理已撤销', 'The delegation is already revoked');
      if (before.status === 'ended') throw conflict('该代理已到期结束', 'The delegation has already ended');
      const by = ctx.actor.kind === 'person' ? ctx.actor.personId : null;
      await em.query(`UPDATE delegation SET revoked_at = now(), revoked_by = $2 WHERE id = $1`, [id, by]);
      const after = await this.one(em, id);
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'delegation.revoke',
        targetType: 'delegation',
        targetId: id,
        before: summary(before),
        after: summary(after),
        reason,
        requestId: ctx.requestId,
      });
      return after;
    });
  }

  private async one(em: EntityManager, id: string): Promise<DelegationView> {
    const [row] = await em.query(`${SELECT} WHERE d.id = $1`, [id]);
    if (!row) throw DomainError.notFound(DELEGATION, id);
    return view(row);
  }
}

const invalid = (zh: string, en: string) => new DomainError(DomainErrorCode.Invalid, zh, en);
const mayRevoke = (a: Actor, d: DelegationView) => isProjectOffice(a) || (a.kind === 'person' && a.personId === d.personId);

function statusOf(r: { starts_at: Date; ends_at: Date; revoked_at: Date | null }, nowMs = Date.now()): DelegationStatus {
  if (r.revoked_at) return 'revoked';
  if (r.ends_at.getTime() <= nowMs) return 'ended';
  return r.starts_at.getTime() <= nowMs ? 'active' : 'scheduled';
}

function view(r: {
  id: string;
  person_id: string;
  person_name: string;
  deputy_id: string;
  deputy_name: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_at: Date;
  created_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}): DelegationView {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    deputyId: r.deputy_id,
    deputyName: r.deputy_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    status: statusOf(r),
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  };
}

const summary = (d: DelegationView) => ({
  personId: d.personId,
  personName: d.personName,
  deputyId: d.deputyId,
  deputyName: d.deputyName,
  startsAt: d.startsAt.toISOString(),
  endsAt: d.endsAt.toISOString(),
  status: d.status,
});
