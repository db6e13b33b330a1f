import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Repository } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { BlockerCategory, BlockerState, BlockerWorkflowInput, Severity, blockerWorkflowId } from '../../domain/src/blocker';
import { openedUpdate, resolveUpdate } from '../../domain/src/blocker.contract';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import type { RungKey } from '../../domain/src/ladder';
import { Person } from '../../org/src/person.entity';
import { Page, pageOf } from '../../persistence/src/page';
import { Project } from '../../projects/src/project.entity';
import { Blocker } from './blocker.entity';
import { BlockerEvent } from './blocker-event.entity';
import { EscalationPolicy } from './escalation-policy.entity';
import { PoliciesService } from './policies.service';

export const BLOCKER = { zh: '问题', en: 'Blocker' };

export interface ReportBlocker {
  category: BlockerCategory;
  severity: Severity;
  title: string;
  description: string;
  reportedBy: string;
  policyId?: string;
  responsibleUnitId?: string;
}

export interface BlockerListQuery {
  projectId?: string;
  status?: 'open' | 'resolved';
  rung?: RungKey;
  category?: BlockerCategory;
  page: number;
  pageSize: number;
}

export type BlockerDetail = Blocker & { projectName: string; events: BlockerEvent[] };

/**
 * Blocker commands go through Temporal (start, update); reads come from the
 * read model the workflow's activities keep current.
 */
@Injectable()
export class BlockersService {
  constructor(
    @InjectRepository(Blocker) private readonly blockers: Repository<Blocker>,
    @InjectRepository(BlockerEvent) private readonly events: Repository<BlockerEvent>,
    private readonly policies: PoliciesService,
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** Reports a blocker: starts its escalation workflow and waits until the report is recorded. */
  async report(projectId: string, r: ReportBlocker): Promise<BlockerDetail> {
    const project = await this.projects.findOneBy({ id: projectId });
    if (!project) throw DomainError.notFound({ zh: '项目', en: 'Project' }, projectId);
    if (!(await this.people.existsBy({ id: r.reportedBy }))) throw DomainError.notFound({ zh: '报告人', en: 'Reporter' }, r.reportedBy);
    const policy = await this.choosePolicy(r);
    const blockerId = randomUUID();
    const input: BlockerWorkflowInput = {
      blockerId,
      projectId,
      responsibleUnitId: r.responsibleUnitId ?? project.responsibleUnitId,
      category: r.category,
      severity: r.severity,
      title: r.title.trim(),
      description: r.description.trim(),
      reportedBy: r.reportedBy,
      policyId: policy.id,
      rungs: policy.rungs,
    };
    const start = new WithStartWorkflowOperation('blockerEscalation', {
      workflowId: blockerWorkflowId(blockerId),
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    await this.temporal.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: start });
    return this.get(blockerId);
  }

  /** Resolves (办结) a blocker through its workflow, which validates the command. */
  async resolve(id: string, cmd: { resolution: string; resolvedBy: string }): Promise<BlockerDetail> {
    const blocker = await this.blockers.findOneBy({ id });
    if (!blocker) throw DomainError.notFound(BLOCKER, id);
    if (!(await this.people.existsBy({ id: cmd.resolvedBy }))) throw DomainError.notFound(PERSON_RESOLVER, cmd.resolvedBy);
    if (blocker.status === 'resolved') throw alreadyResolved();
    await this.update(blocker.workflowId, () =>
      this.temporal.workflow.getHandle(blocker.workflowId).executeUpdate(resolveUpdate, { args: [cmd] }),
    );
    return this.get(id);
  }

  async get(id: string): Promise<BlockerDetail> {
    const blocker = await this.blockers.findOneBy({ id });
    if (!blocker) throw DomainError.notFound(BLOCKER, id);
    const [project, events] = await Promise.all([
      this.projects.findOneBy({ id: blocker.projectId }),
      this.events.find({ where: { blockerId: id }, order: { seq: 'ASC' } }),
    ]);
    return { ...blocker, projectName: project?.name ?? '', events };
  }

  async list(q: BlockerListQuery): Promise<Page<Blocker>> {
    const where = {
      ...(q.projectId && { projectId: q.projectId }),
      ...(q.status && { status: q.status }),
      ...(q.rung && { rung: q.rung }),
      ...(q.category && { category: q.category }),
    };
    const found = await this.blockers.findAndCount({
      where,
      order: { dueAt: 'ASC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return pageOf(found, q);
  }

  private async choosePolicy(r: ReportBlocker): Promise<EscalationPolicy> {
    if (r.policyId) return this.policies.get(r.policyId);
    const policy = await this.policies.choose(r.category, r.severity);
    if (!policy) {
      throw new DomainError(DomainErrorCode.Conflict, `未配置${r.severity}级别的默认督办规则`, `No default escalation policy for severity ${r.severity}`);
    }
    return policy;
  }

  /** Runs a workflow update, turning a refusal by the workflow's validator into a DomainError. */
  private async update<T>(workflowId: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const code = err.cause.type === 'Invalid' ? DomainErrorCode.Invalid : DomainErrorCode.Conflict;
        const zh = typeof err.cause.details?.[0] === 'string' ? (err.cause.details[0] as string) : err.cause.message;
        throw new DomainError(code, zh, err.cause.message);
      }
      if (err instanceof Error && /already completed|workflow execution already completed/i.test(err.message)) {
        throw alreadyResolved();
      }
      throw err;
    }
  }
}

const PERSON_RESOLVER = { zh: '办结人', en: 'Resolver' };

function alreadyResolved(): DomainError {
  return new DomainError(DomainErrorCode.Conflict, '该问题已办结，不能重复办结', 'Blocker is already resolved');
}
