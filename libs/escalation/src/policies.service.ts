import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { RUNG_KEY_PATTERN, type LadderRung, type PolicyRung } from '../../domain/src/ladder';
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
    const keys = l.rungs.map((r) => r.key);
    if (l.rungs.length < 2 || l.rungs.length > 8) throw invalid({ zh: '督办层级须有2至8级', en: 'A ladder has 2 to 8 rungs' });
    if (keys.some((k) => !RUNG_KEY_PATTERN.test(k)) || new Set(keys).size !== keys.length) {
      throw invalid({ zh: '层级标识须为互不相同的小写字母、数字或下划线', en: 'Rung keys must be distinct lower-case letters, digits or underscores' });
    }
    if (await this.ladders.existsBy({ name: l.name })) throw new DomainError(DomainErrorCode.Conflict, `层级名称已存在：${l.name}`, `A ladder named ${l.name} already exists`);
    return this.ds.transaction(async (em) => {
      const ladder = await em.save(em.create(Ladder, { name: l.name, rungs: l.rungs, isDefault: false }));
      await this.record(em, ctx, 'ladder.create', ladder.id, null, { name: ladder.name, rungs: ladder.rungs }, undefined, 'ladder');
      return ladder;
    });
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
