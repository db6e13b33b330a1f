/**
 * The lifecycle workflow's contract (shared/design/lifecycle.md): a project's
 * milestone plan (倒排工期), the state of each stage, the commands people give
 * it and the rules that refuse them. Pure: shared by the workflow, the API and
 * the tests.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { STAGES, STAGE_NAMES, type Colour, type Stage, type StageState } from './lifecycle';
import { type Refusal as BaseRefusal, blank, conflict, forbidden, invalid } from './refusal';

/** One stage in a plan. Dates are local days; the API turns them into instants in the organisation's zone. */
export interface StagePlan {
  stage: Stage;
  /** Due by the end of this local day (YYYY-MM-DD). */
  dueOn: string;
  /** The instant the day ends, and the start of the warning window before it. */
  dueAt: string;
  warnAt: string;
  /** The plan lets this stage begin on this day even if the one before is not done (overlap). */
  startsOn?: string | null;
  startsAt?: string | null;
  /** Not applicable (land already held): with the office's reason. */
  notApplicable?: string | null;
  /**
   * Already done before the project came into Duban (a project under way): the day it was done.
   * Taken from the first plan only; afterwards a stage is done by its completion report.
   */
  doneOn?: string | null;
}

/** Documents' metadata as the unit records it: the paper stays where it is. */
export interface Evidence {
  title: string;
  number?: string;
  issuedBy?: string;
  issuedOn?: string;
}

export interface LifecycleActor {
  personId: string | null;
  name: string;
  /** Project office: sets plans, confirms completions, grants replanning. */
  office: boolean;
  /** A liaison leader of this project: may grant replanning. */
  liaison: boolean;
  /** Staff or head of the project's responsible unit: reports completions, asks for replanning. */
  unit: boolean;
  requestId?: string;
  system?: boolean;
}

export interface LifecycleInput {
  projectId: string;
  plan: StagePlan[];
  /** Completions wait for the project office's confirmation. */
  confirmCompletion: boolean;
  setBy: LifecycleActor;
  reason: string;
  /** Continue as new once a run's history has this many events (default: when the server suggests it); small in tests. */
  continueAsNewAfter?: number;
  /** Set by the workflow itself when it continues as new: where the previous run left off (numbering, state). */
  carried?: { seq: number; state: LifecycleState };
}

export interface StageStatus extends StagePlan {
  state: StageState;
  colour: Colour | null;
  activatedAt: string | null;
  doneAt: string | null;
  completedOn: string | null;
  evidence: Evidence[];
  /** A completion reported and waiting for the office's confirmation. */
  reported: { by: string; byName: string; at: string; completedOn: string; evidence: Evidence[]; note: string } | null;
  scheduleBlockerId: string | null;
}

export interface ReplanRequest {
  id: string;
  plan: StagePlan[];
  reason: string;
  requestedBy: string | null;
  requestedByName: string;
  requestedAt: string;
}

export interface LifecycleState {
  projectId: string;
  revision: number;
  confirmCompletion: boolean;
  stages: StageStatus[];
  pendingReplan: ReplanRequest | null;
  lateStartBlockerId: string | null;
  completedAt: string | null;
}

export type LifecycleAction =
  | { action: 'reportCompletion'; stage: Stage; completedOn: string; evidence: Evidence[]; note: string }
  | { action: 'confirmCompletion'; stage: Stage; accept: boolean; reason: string }
  | { action: 'markNotApplicable'; stage: Stage; reason: string }
  | { action: 'requestReplan'; plan: StagePlan[]; reason: string; requestId: string }
  | { action: 'decideReplan'; grant: boolean; reason: string }
  | { action: 'setPlan'; plan: StagePlan[]; reason: string; confirmCompletion?: boolean };

export type LifecycleCommand = LifecycleAction & { actor: LifecycleActor };

export type LifecycleEventType =
  | 'plan_set'
  | 'stage_activated'
  | 'colour_changed'
  | 'schedule_blocker_opened'
  | 'schedule_blocker_resolved'
  | 'late_start'
  | 'completion_reported'
  | 'completion_returned'
  | 'stage_done'
  | 'stage_not_applicable'
  | 'replan_requested'
  | 'replan_granted'
  | 'replan_refused'
  | 'completed';

export const lifecycleActUpdate = defineUpdate<LifecycleState, [LifecycleCommand]>('lifecycleAct');
/** Waits until the plan is recorded in the read model; used with update-with-start. */
export const lifecycleOpenedUpdate = defineUpdate<LifecycleState>('lifecycleOpened');
export const lifecycleStateQuery = defineQuery<LifecycleState>('lifecycleState');

export const lifecycleWorkflowId = (projectId: string) => `lifecycle-${projectId}`;

/** A refusal; for a plan, with the stage at fault, for a ledger to name the cell. */
export type Refusal = BaseRefusal & { stage?: Stage };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a plan: every stage once, in order, due dates not going backwards. */
export function planProblem(plan: readonly StagePlan[]): Refusal | null {
  if (plan.length !== STAGES.length || STAGES.some((s, i) => plan[i]?.stage !== s)) {
    return invalid('计划须依次包含前期、审批、用地、开工、竣工投产五个阶段', `A plan lists the five stages in order: ${STAGES.join(', ')}`);
  }
  let last = '';
  for (const p of plan) {
    const name = STAGE_NAMES[p.stage];
    const at = (r: Refusal) => ({ ...r, stage: p.stage });
    if (!DAY.test(p.dueOn)) return at(invalid(`${name.zh}阶段的完成时限须为日期（YYYY-MM-DD）`, `${name.en}: dueOn must be a date YYYY-MM-DD`));
    if (p.startsOn && (!DAY.test(p.startsOn) || p.startsOn > p.dueOn))
      return at(invalid(`${name.zh}阶段的开始日期须为不晚于完成时限的日期`, `${name.en}: startsOn must be a date no later than dueOn`));
    if (p.doneOn && !DAY.test(p.doneOn)) return at(invalid(`${name.zh}阶段的完成日期须为日期（YYYY-MM-DD）`, `${name.en}: doneOn must be a date YYYY-MM-DD`));
    if (p.notApplicable) continue;
    if (p.dueOn < last) return at(invalid(`${name.zh}阶段的完成时限不能早于前一阶段`, `${name.en}: due before the stage before it`));
    last = p.dueOn;
  }
  return null;
}

/** Why the workflow refuses a command in the state it is in, or null. */
export function lifecycleRefusal(cmd: LifecycleCommand, s: LifecycleState): Refusal | null {
  const a = cmd.actor;
  const stage = 'stage' in cmd ? s.stages.find((x) => x.stage === cmd.stage) : undefined;
  if ('stage' in cmd && !stage) return invalid(`没有这个阶段：${cmd.stage}`, `No such stage: ${cmd.stage}`);
  const name = stage ? STAGE_NAMES[stage.stage] : { zh: '', en: '' };
  switch (cmd.action) {
    case 'reportCompletion':
      if (!a.unit && !a.office) return forbidden('只有责任单位或项目办可以报告阶段完成', 'Only the responsible unit or the project office may report a stage complete');
      if (stage!.state === 'done' || stage!.state === 'n/a')
        return conflict(`${name.zh}阶段已${stage!.state === 'done' ? '完成' : '标记为不适用'}`, `The ${name.en} stage is already ${stage!.state}`);
      if (stage!.reported) return conflict(`${name.zh}阶段的完成情况已报告，正待项目办确认`, `The ${name.en} stage's completion awaits the office's confirmation`);
      if (!DAY.test(cmd.completedOn)) return invalid('完成日期须为日期（YYYY-MM-DD）', 'completedOn must be a date YYYY-MM-DD');
      if (!cmd.evidence?.length || cmd.evidence.some((e) => blank(e.title)))
        return invalid('须至少列出一份佐证材料（名称、文号、日期）', 'List at least one document as evidence, each with a title');
      if (stage!.stage === 'start' && !cmd.evidence.some((e) => /施工许可|开工/.test(e.title) && !blank(e.number))) {
        return invalid('开工阶段须记录施工许可证（名称含“施工许可”并填写证号）', 'The start stage needs the construction permit (施工许可) with its number');
      }
      return null;
    case 'confirmCompletion':
      if (!a.office) return forbidden('只有项目办可以确认阶段完成', 'Only the project office may confirm a completion');
      if (!stage!.reported) return conflict(`${name.zh}阶段没有待确认的完成报告`, `No completion report of the ${name.en} stage awaits confirmation`);
      if (!cmd.accept && blank(cmd.reason)) return invalid('退回须说明理由', 'A reason is required to send a report back');
      return null;
    case 'markNotApplicable':
      if (!a.office) return forbidden('只有项目办可以将阶段标记为不适用', 'Only the project office may mark a stage not applicable');
      if (stage!.state === 'done' || stage!.state === 'n/a')
        return conflict(`${name.zh}阶段已${stage!.state === 'done' ? '完成' : '标记为不适用'}`, `The ${name.en} stage is already ${stage!.state}`);
      if (blank(cmd.reason)) return invalid('须说明不适用的理由（如已取得用地）', 'A reason is required (e.g. the land is already held)');
      return null;
    case 'requestReplan':
      if (!a.unit && !a.office) return forbidden('只有责任单位可以申请调整计划', 'Only the responsible unit may ask for a new plan');
      if (s.pendingReplan) return conflict('已有一项计划调整申请待批复', 'A replanning request already awaits a decision');
      if (blank(cmd.reason)) return invalid('申请调整计划须说明理由', 'A reason is required');
      return planProblem(cmd.plan);
    case 'decideReplan':
      if (!a.office && !a.liaison) return forbidden('只有包联领导或项目办可以批复计划调整', 'Only the liaison leader or the project office may decide on a new plan');
      if (!s.pendingReplan) return conflict('没有待批复的计划调整申请', 'No replanning request awaits a decision');
      if (!cmd.grant && blank(cmd.reason)) return invalid('不予批准须说明理由', 'A reason is required to refuse');
      return null;
    case 'setPlan':
      if (!a.office) return forbidden('只有项目办可以直接调整计划', 'Only the project office may set a plan');
      if (blank(cmd.reason)) return invalid('调整计划须说明理由', 'A reason is required');
      return planProblem(cmd.plan);
  }
}
