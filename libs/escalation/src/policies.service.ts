import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { type LadderRung, type PolicyRung } from '../../domain/src/ladder';
import { ladderProblem } from '../../domain/src/ladder-rules';
import { policyProblem } from '../../domain/src/policy-rules';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { Page, PageQuery, pageOf } from '../../persistence/src/page';
import { EscalationPolicy } from './escalation-policy.entity';
import { Ladder } from './ladder.entity';

export interface PolicyFields {
  name: string;
  category?: string;
  severity: 'normal' | 'urgent';
  rungs: PolicyRung[];
  automatic?: boolean;
  ladderId?: string;
  repeatEvery?: string | null;
  reopenWithin?: string;
}

const POLICY = { zh: '督办规则', en: 'Escalation policy' };
const LADDER = { zh: '督办层级', en: 'Ladder' };
const invalid = (p: { zh: string; en: string }) => new DomainError(DomainErrorCode.Invalid, p.zh, p.en);

/**
 * Ladders and escalation policies (督办规则), as data the project office keeps:
 * per rung a response time in working days, working hours or a duration, a
 * warning before it, and at the top a repeat interval. A matter keeps the
 * policy it was opened with; applying an edit to open matters is a separate,
 * audited action (BackgroundJobsService.applyPolicy: a background job).
 */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectRepository(EscalationPolicy) private readonly policies: Repository<EscalationPolicy>,
    @InjectRepository(Ladder) private readonly ladders: Repository<Ladder>,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, p: PolicyFields): Promise<EscalationPolicy> {
    const ladder = p.ladderId ? await this.ladder(p.ladderId) : await this.defaultLadder();
    const problem = policyProblem(
      p,
      ladder.rungs.map((r) => r.key),
    );
    if (problem) throw invalid(problem);
    if (await this.policies.existsBy({ name: p.name })) {
      throw new DomainError(DomainErrorCode.Conflict, `督办规则名称已存在：${p.name}`, `A policy named ${p.name} already exists`);
    }
    const automatic = p.automatic ?? true;
    if (automatic && (await this.policies.existsBy({ category: p.category ?? IsNull(), severity: p.severity, automatic }))) {
      const what = `${p.category ?? '(default)'}/${p.severity}`;
      throw new DomainError(DomainErrorCode.Conflict, `该类别和紧急程度已有自动适用的督办规则：${what}`, `An automatic policy for ${what} already exists`);
    }
    return this.ds.transaction(async (em) => {
      const policy = await em.save(
        em.create(EscalationPolicy, {
          ...p,
          category: p.category ?? null,
          automatic,
          ladderId: ladder.id,
          repeatEvery: p.repeatEvery ?? null,
          reopenWithin: p.reopenWithin ?? 'P30D',
        }),
      );
      await this.record(em, ctx, 'policy.create', policy.id, null, summary(policy));
      return policy;
    });
  }

  /** Edits a policy (a new version). Open matters keep theirs until the office applies it to them. */
  async update(ctx: RequestContext, id: string, change: Partial<Pick<PolicyFields, 'rungs' | 'repeatEvery' | 'reopenWithin'>> & { reason: string }): Promise<EscalationPolicy> {
    const before = await this.get(id);
    const after = {
      ...before,
      ...(change.rungs && { rungs: change.rungs }),
      ...(change.repeatEvery !== undefined && { repeatEvery: change.repeatEvery }),
      ...(change.reopenWithin && { reopenWithin: change.reopenWithin }),
    };
    const ladder = await this.ladder(before.ladderId);
    const problem = policyProblem(
      after,
      ladder.rungs.map((r) => r.key),
    );
    if (problem) throw invalid(problem);
    return this.ds.transaction(async (em) => {
      await em.update(EscalationPolicy, id, {
        rungs: after.rungs,
        repeatEvery: after.repeatEvery,
        reopenWithin: after.reopenWithin,
        version: before.version + 1,
        updatedAt: new Date(),
      });
      const saved = await em.findOneByOrFail(EscalationPolicy, { id });
      await this.record(em, ctx, 'policy.update', id, summary(before), summary(saved), change.reason);
      return saved;
    });
  }

  async list(q: PageQuery): Promise<Page<EscalationPolicy>> {
    return pageOf(await this.policies.findAndCount({ order: { createdAt: 'ASC' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }), q);
  }

  /** The policy for a category and severity, else the default one for that severity. */
  async choose(category: string, severity: string): Promise<EscalationPolicy | null> {
    return (await this.policies.findOneBy({ category, severity, automatic: true })) ?? (await this.policies.findOneBy({ category: IsNull(), severity, automatic: true }));
  }

  /** A policy the system itself uses, by its name (e.g. the approvals ladder's). */
  async byName(name: string): Promise<EscalationPolicy> {
    const policy = await this.policies.findOneBy({ name });
    if (!policy) throw DomainError.notFound({ zh: '督办规则', en: 'Escalation policy' }, name);
    return policy;
  }

  async get(id: string): Promise<EscalationPolicy> {
    const policy = await this.policies.findOneBy({ id });
    if (!policy) throw DomainError.notFound(POLICY, id);
    return policy;
  }

  // Ladders

  async createLadder(ctx: RequestContext, l: { name: string; rungs: LadderRung[] }): Promise<Ladder> {
    const rungs = await this.checkedRungs(l.rungs);
    if (await this.ladders.existsBy({ name: l.name })) throw new DomainError(DomainErrorCode.Conflict, `层级名称已存在：${l.name}`, `A ladder named ${l.name} already exists`);
    return this.ds.transaction(async (em) => {
      const ladder = await em.save(em.create(Ladder, { name: l.name, rungs, isDefault: false }));
      await this.record(em, ctx, 'ladder.create', ladder.id, null, { name: ladder.name, rungs: ladder.rungs }, undefined, 'ladder');
      return ladder;
    });
  }

  /**
   * Edits a ladder's rungs: their names and who sits on each. Open matters keep the ladder they were
   * opened with (each holds a snapshot, as with policies), so the edit applies to matters opened after
   * it; who sits on a rung is still resolved from the organisation model when a matter reaches it.
   * While a policy names the ladder, its rung keys and their order stay (the policy sets a time per
   * rung); a ladder no policy uses may gain, lose or reorder rungs.
   */
  async updateLadder(ctx: RequestContext, id: string, change: { rungs: LadderRung[]; reason: string }): Promise<Ladder> {
    const before = await this.ladder(id);
    const rungs = await this.checkedRungs(change.rungs);
    const keys = (rs: LadderRung[]) => rs.map((r) => r.key).join(' → ');
    if (keys(rungs) !== keys(before.rungs)) {
      const users = await this.policies.find({ where: { ladderId: id }, select: { name: true }, order: { name: 'ASC' } });
      if (users.length) {
        const names = users.map((p) => p.name).join('、');
        throw new DomainError(
          DomainErrorCode.Conflict,
          `督办规则（${names}）使用此层级，层级标识及顺序须保持为 ${keys(before.rungs)}；可修改各级名称和成员`,
          `Policies (${names}) use this ladder: its rung keys stay ${keys(before.rungs)} in that order; rung names and members may change`,
        );
      }
    }
    return this.ds.transaction(async (em) => {
      await em.update(Ladder, id, { rungs, updatedAt: new Date() });
      const saved = await em.findOneByOrFail(Ladder, { id });
      await this.record(em, ctx, 'ladder.update', id, { name: before.name, rungs: before.rungs }, { name: saved.name, rungs: saved.rungs }, change.reason, 'ladder');
      return saved;
    });
  }

  /** Valid rungs, with only the fields a rung has, whose named people and units exist. */
  private async checkedRungs(input: LadderRung[]): Promise<LadderRung[]> {
    const problem = ladderProblem(input);
    if (problem) throw invalid(problem);
    const rungs: LadderRung[] = input.map((r) => ({
      key: r.key,
      name: { zh: r.name.zh.trim(), en: r.name.en.trim() },
      members:
        r.members.kind === 'people'
          ? { kind: 'people', personIds: [...new Set(r.members.personIds)] }
          : r.members.kind === 'role'
            ? { kind: 'role', role: r.members.role, ...(r.members.orgUnitId && { orgUnitId: r.members.orgUnitId }) }
            : { kind: r.members.kind },
    }));
    const people = [...new Set(rungs.flatMap((r) => (r.members.kind === 'people' ? r.members.personIds : [])))];
    const units = [...new Set(rungs.flatMap((r) => (r.members.kind === 'role' && r.members.orgUnitId ? [r.members.orgUnitId] : [])))];
    const found: { id: string }[] = people.length ? await this.ds.query(`SELECT id FROM person WHERE id = ANY($1::uuid[])`, [people]) : [];
    const missing = people.filter((p) => !found.some((f) => f.id === p));
    if (missing.length) throw invalid({ zh: `没有这些人员：${missing.join('、')}`, en: `No such people: ${missing.join(', ')}` });
    const foundUnits: { id: string }[] = units.length ? await this.ds.query(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[])`, [units]) : [];
    const missingUnits = units.filter((u) => !foundUnits.some((f) => f.id === u));
    if (missingUnits.length) throw invalid({ zh: `没有这些单位：${missingUnits.join('、')}`, en: `No such org units: ${missingUnits.join(', ')}` });
    return rungs;
  }

  async listLadders(): Promise<Ladder[]> {
    return this.ladders.find({ order: { createdAt: 'ASC' } });
  }

  async ladder(id: string): Promise<Ladder> {
    const ladder = await this.ladders.findOneBy({ id });
    if (!ladder) throw DomainError.notFound(LADDER, id);
    return ladder;
  }

  async defaultLadder(): Promise<Ladder> {
    return this.ladders.findOneByOrFail({ isDefault: true });
  }

  private record(em: EntityManager, ctx: RequestContext, action: string, id: string, before: unknown, after: unknown, reason?: string, targetType = 'escalation_policy') {
    return this.audit.record(em, { actor: auditActorOf(ctx.actor), action, targetType, targetId: id, before, after, reason: reason ?? null, requestId: ctx.requestId });
  }
}

const summary = (p: EscalationPolicy) => ({
  name: p.name,
  category: p.category,
  severity: p.severity,
  automatic: p.automatic,
  rungs: p.rungs,
  repeatEvery: p.repeatEvery,
  reopenWithin: p.reopenWithin,
  version: p.version,
});
