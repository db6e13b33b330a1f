import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { parseResponseTime } from '../../domain/src/duration';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { DEFAULT_LADDER, PolicyRung } from '../../domain/src/ladder';
import { Page, PageQuery, pageOf } from '../../persistence/src/page';
import { EscalationPolicy } from './escalation-policy.entity';

export interface CreatePolicy {
  name: string;
  category?: string;
  severity: 'normal' | 'urgent';
  rungs: PolicyRung[];
  automatic?: boolean;
}

/** Escalation policies (督办规则): response time per rung, chosen by category and severity. */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectRepository(EscalationPolicy) private readonly policies: Repository<EscalationPolicy>,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, p: CreatePolicy): Promise<EscalationPolicy> {
    const problem = ladderProblem(p.rungs);
    if (problem) throw new DomainError(DomainErrorCode.Invalid, problem.zh, problem.en);
    if (await this.policies.existsBy({ name: p.name })) {
      throw new DomainError(DomainErrorCode.Conflict, `督办规则名称已存在：${p.name}`, `A policy named ${p.name} already exists`);
    }
    const automatic = p.automatic ?? true;
    if (automatic && (await this.policies.existsBy({ category: p.category ?? IsNull(), severity: p.severity, automatic }))) {
      const what = `${p.category ?? '(default)'}/${p.severity}`;
      throw new DomainError(DomainErrorCode.Conflict, `该类别和紧急程度已有自动适用的督办规则：${what}`, `An automatic policy for ${what} already exists`);
    }
    return this.ds.transaction(async (em) => {
      const policy = await em.save(em.create(EscalationPolicy, { ...p, category: p.category ?? null, automatic }));
      await this.audit.record(em, { actor: auditActorOf(ctx.actor), action: 'policy.create', targetType: 'escalation_policy', targetId: policy.id, after: { name: policy.name, category: policy.category, severity: policy.severity, automatic, rungs: policy.rungs }, requestId: ctx.requestId });
      return policy;
    });
  }

  async list(q: PageQuery): Promise<Page<EscalationPolicy>> {
    return pageOf(await this.policies.findAndCount({ order: { createdAt: 'ASC' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }), q);
  }

  /** The policy for a category and severity, else the default one for that severity. */
  async choose(category: string, severity: string): Promise<EscalationPolicy | null> {
    return (
      (await this.policies.findOneBy({ category, severity, automatic: true })) ??
      (await this.policies.findOneBy({ category: IsNull(), severity, automatic: true }))
    );
  }

  async get(id: string): Promise<EscalationPolicy> {
    const policy = await this.policies.findOneBy({ id });
    if (!policy) throw DomainError.notFound({ zh: '督办规则', en: 'Escalation policy' }, id);
    return policy;
  }
}

/** The rungs must follow the ladder from its first rung, in order, each with a positive duration. */
export function ladderProblem(rungs: PolicyRung[]): { zh: string; en: string } | null {
  if (!rungs.length) return { zh: '督办规则至少包含一个层级', en: 'A policy needs at least one rung' };
  for (const [i, r] of rungs.entries()) {
    if (r.rung !== DEFAULT_LADDER[i]) {
      return { zh: `第${i + 1}个层级应为 ${DEFAULT_LADDER[i] ?? '（无）'}`, en: `rung ${i + 1} must be ${DEFAULT_LADDER[i] ?? '(none: the ladder is shorter)'}` };
    }
    if (!parseResponseTime(r.responseTime)) {
      return { zh: `层级 ${r.rung} 的办理时限不是有效的 ISO-8601 时长：${r.responseTime}`, en: `rung ${r.rung}: ${r.responseTime} is not a positive ISO-8601 duration` };
    }
  }
  return null;
}
