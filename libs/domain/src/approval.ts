/**
 * One approval item's life (shared/design/approvals.md) as a contract: its
 * states, the commands people give it and the rules that refuse them. Pure:
 * shared by the approval item workflow, the API and the tests.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { type Refusal, blank, conflict, forbidden, invalid } from './refusal';

export type ApprovalStatus = 'planned' | 'submitted' | 'supplement_requested' | 'accepted' | 'under_review' | 'approved' | 'rejected';

export const APPROVAL_STATUS_NAMES: Record<ApprovalStatus, string> = {
  planned: '未申报',
  submitted: '已申报',
  supplement_requested: '补正中',
  accepted: '已受理',
  under_review: '审查中',
  approved: '已批准',
  rejected: '不予批准',
};

export interface ApprovalActor {
  personId: string | null;
  name: string;
  /** Approval staff (or head) of the item's own department. */
  department: boolean;
  /** The head of the item's department: grants a statutory extension. */
  departmentHead?: boolean;
  /** The applicant's side: the project's responsible unit, or the project office for it. */
  applicant: boolean;
  office: boolean;
  requestId?: string;
  system?: boolean;
}

export interface ApprovalItemInput {
  itemId: string;
  projectId: string;
  name: string;
  stage: string;
  departmentId: string;
  /** Working days from acceptance: the promised limit, compressed on the green channel. */
  limitDays: number;
  warningDays: number;
  /** A department that does not accept or ask for more within these working days is deemed to have accepted. */
  deemedAcceptDays: number;
  green: boolean;
  /** Accept with deficiencies (容缺受理): green channel and the catalogue allow it. */
  acceptWithDeficiencies: boolean;
  suspendOnMissedCommitment: boolean;
  /** Commitment-based approval (告知承诺制): green channel and the catalogue allow it. */
  commitmentBased: boolean;
  verificationDays: number;
  submittedBy: ApprovalActor;
  /** The applicant's written commitment, for commitment-based approval at once. */
  commitment?: string | null;
  /** Deemed approval on timeout (超时默认), where local rules adopt it for the item: at the limit it counts as approved. */
  deemedApproval?: boolean;
  /** Continue as new once a run's history has this many events (default: when the server suggests it); small in tests. */
  continueAsNewAfter?: number;
  /** Set by the workflow itself when it continues as new: where the previous run left off (numbering, state). */
  carried?: { seq: number; state: ApprovalItemState };
}

/** Recorded clock stops besides a supplement, each with a reason and its own time limit. */
export const CLOCK_STOPS = { expert_review: '专家评审', hearing: '听证', appraisal: '技术审查' } as const;
export type ClockStopKind = keyof typeof CLOCK_STOPS;

export interface ApprovalItemState {
  itemId: string;
  status: Exclude<ApprovalStatus, 'planned'>;
  submittedAt: string;
  deemedAcceptAt: string | null;
  acceptedAt: string | null;
  /** The department's clock: the current run started here; working days used before it; days left. */
  clockStart: string | null;
  usedDays: number;
  remainingDays: number;
  dueAt: string | null;
  warnAt: string | null;
  warned: boolean;
  pausedSince: string | null;
  pausedDays: number;
  supplement: { missing: string[]; reason: string; requestedAt: string; during: 'intake' | 'review' } | null;
  deficiency: { missing: string[]; commitOn: string; commitAt: string; supplied: boolean; missed: boolean } | null;
  verification: { dueAt: string; doneAt: string | null; passed: boolean | null; missed: boolean } | null;
  escalationBlockerId: string | null;
  /** A statutory extension granted by the department head (once). */
  extension?: { days: number; reason: string; by: string; at: string } | null;
  /** A recorded clock stop (expert review, hearing, appraisal) under way. */
  stop?: { kind: ClockStopKind; reason: string; since: string; dueAt: string; overdue: boolean } | null;
  applicantBlockerId: string | null;
  verificationBlockerId: string | null;
  decidedAt: string | null;
  reason: string | null;
  documentNo: string | null;
}

export type ApprovalAction =
  | { action: 'accept'; deficiencies?: { missing: string[]; commitOn: string; commitAt: string } }
  | { action: 'requestSupplement'; missing: string[]; reason: string }
  | { action: 'supplyMaterial'; note: string }
  | { action: 'startReview' }
  | { action: 'approve'; documentNo?: string; note?: string }
  | { action: 'reject'; reason: string }
  | { action: 'supplyDeficiency'; note: string }
  | { action: 'verify'; passed: boolean; note: string }
  | { action: 'extend'; days: number; reason: string }
  | { action: 'stopClock'; kind: ClockStopKind; reason: string; days: number; dueAt: string }
  | { action: 'resumeClock'; note: string };

export type ApprovalCommand = ApprovalAction & { actor: ApprovalActor };

export type ApprovalEventType =
  | 'submitted'
  | 'accepted'
  | 'deemed_accepted'
  | 'supplement_requested'
  | 'material_supplied'
  | 'review_started'
  | 'warning'
  | 'limit_passed'
  | 'approved'
  | 'approved_on_commitment'
  | 'rejected'
  | 'deficiency_supplied'
  | 'commitment_missed'
  | 'verified'
  | 'verification_overdue'
  | 'extended'
  | 'clock_stopped'
  | 'clock_stop_overdue'
  | 'clock_resumed'
  | 'deemed_approved'
  | 'recomputed';

export const approvalActUpdate = defineUpdate<ApprovalItemState, [ApprovalCommand]>('approvalAct');
/** The calendar changed: the department's running clock recomputes its limit and warning on the new calendar. */
export const approvalRecomputeUpdate = defineUpdate<ApprovalItemState, [{ reason: string }]>('approvalRecompute');
export const approvalOpenedUpdate = defineUpdate<ApprovalItemState>('approvalOpened');
export const approvalStateQuery = defineQuery<ApprovalItemState>('approvalState');
export const approvalWorkflowId = (itemId: string) => `approval-${itemId}`;

const DEPT_ONLY = forbidden('只有该审批事项所属部门的审批人员可以办理', 'Only the approval staff of the item’s own department may act on it');
const APPLICANT_ONLY = forbidden('只有项目责任单位（申请方）或项目办可以办理', 'Only the applicant (the project’s unit) or the project office may do this');

/** Why the item refuses a command in its current state, or null. */
export function approvalRefusal(cmd: ApprovalCommand, s: ApprovalItemState, input: Pick<ApprovalItemInput, 'acceptWithDeficiencies'>): Refusal | null {
  const a = cmd.actor;
  const decided = s.status === 'approved' || s.status === 'rejected';
  if (decided && cmd.action !== 'verify' && cmd.action !== 'supplyDeficiency') return conflict('该审批事项已办结', 'The item is decided');
  switch (cmd.action) {
    case 'accept':
      if (!a.department) return DEPT_ONLY;
      if (s.status !== 'submitted') return conflict('只有已申报（待受理）的事项可以受理', 'Only a submitted item can be accepted');
      if (cmd.deficiencies) {
        if (!input.acceptWithDeficiencies)
          return conflict('该事项不适用容缺受理（须为绿色通道项目且目录允许）', 'Accept-with-deficiencies is not available for this item (green channel and catalogue)');
        if (!cmd.deficiencies.missing?.length || cmd.deficiencies.missing.some(blank)) return invalid('容缺受理须列明所缺材料', 'List the missing documents');
      }
      return null;
    case 'requestSupplement':
      if (!a.department) return DEPT_ONLY;
      if (!['submitted', 'accepted', 'under_review'].includes(s.status)) return conflict('当前状态不能要求补正', 'A supplement cannot be requested now');
      if (s.stop) return conflict('暂停计时期间不能要求补正，请先恢复计时', 'Resume the clock before asking for a supplement');
      if (!cmd.missing?.length || cmd.missing.some(blank)) return invalid('须一次性列明需补正的材料', 'List every document needed, at once');
      if (blank(cmd.reason)) return invalid('须说明补正理由', 'A reason is required');
      return null;
    case 'supplyMaterial':
      if (!a.applicant) return APPLICANT_ONLY;
      if (s.status !== 'supplement_requested') return conflict('该事项没有待补正的材料', 'No supplement is awaited');
      return null;
    case 'startReview':
      if (!a.department) return DEPT_ONLY;
      if (s.status !== 'accepted') return conflict('只有已受理的事项可以进入审查', 'Only an accepted item can go under review');
      return null;
    case 'approve':
      if (!a.department) return DEPT_ONLY;
      if (s.status !== 'accepted' && s.status !== 'under_review') return conflict('只有已受理或审查中的事项可以批准', 'Only an accepted item or one under review can be approved');
      return null;
    case 'reject':
      if (!a.department) return DEPT_ONLY;
      if (s.status !== 'accepted' && s.status !== 'under_review')
        return conflict('只有已受理或审查中的事项可以作出不予批准决定', 'Only an accepted item or one under review can be rejected');
      if (blank(cmd.reason)) return invalid('不予批准须说明理由', 'A reason is required to reject');
      return null;
    case 'supplyDeficiency':
      if (!a.applicant) return APPLICANT_ONLY;
      if (!s.deficiency || s.deficiency.supplied) return conflict('该事项没有待补齐的容缺材料', 'No deficiency is outstanding');
      return null;
    case 'extend':
      if (!a.departmentHead) return forbidden('延长办理时限须经审批部门负责人批准', 'Only the head of the item’s department may extend its limit');
      if (!['accepted', 'under_review', 'supplement_requested'].includes(s.status) || !s.acceptedAt)
        return conflict('只有已受理、尚未办结的事项可以延长时限', 'Only an accepted item not yet decided can be extended');
      if (s.extension) return conflict('该事项已延长过办理时限', 'The item has been extended already');
      if (!Number.isInteger(cmd.days) || cmd.days < 1 || cmd.days > 30) return invalid('延长天数须为1至30个工作日', 'Extend by 1 to 30 working days');
      if (blank(cmd.reason)) return invalid('延长时限须说明理由', 'A reason is required');
      return null;
    case 'stopClock':
      if (!a.department) return DEPT_ONLY;
      if (s.status !== 'accepted' && s.status !== 'under_review')
        return conflict('只有已受理或审查中的事项可以暂停计时', 'Only an accepted item or one under review can stop its clock');
      if (s.stop) return conflict('该事项已在暂停计时中', 'The clock is already stopped');
      if (!Number.isInteger(cmd.days) || cmd.days < 1 || cmd.days > 60) return invalid('暂停的时限须为1至60个工作日', 'A stop lasts 1 to 60 working days');
      if (blank(cmd.reason)) return invalid('暂停计时须说明理由', 'A reason is required');
      return null;
    case 'resumeClock':
      if (!a.department) return DEPT_ONLY;
      if (!s.stop) return conflict('该事项没有暂停计时', 'The clock is not stopped');
      return null;
    case 'verify':
      if (!a.department) return DEPT_ONLY;
      if (!s.verification || s.verification.doneAt) return conflict('该事项没有待完成的核查', 'No verification is due');
      if (!cmd.passed && blank(cmd.note)) return invalid('核查不通过须说明情况', 'Say what failed');
      return null;
  }
}

/**
 * An item's limit in working days when it is submitted: the catalogue's
 * promised limit, or on the green channel that limit times the item's factor,
 * rounded up and never below one day. The one rule for the API (submit,
 * accept-with-deficiencies) and the figures.
 */
export function approvalLimitDays(i: { promisedDays: number; green: boolean; greenFactor: number }): number {
  return i.green ? Math.max(1, Math.ceil(i.promisedDays * i.greenFactor)) : i.promisedDays;
}

/** The limit the item is held to: its limit at submission plus the extension granted, if any. */
export function effectiveLimitDays(limitDays: number, extension: { days: number } | null | undefined): number {
  return limitDays + (extension?.days ?? 0);
}

/**
 * The same over the read model: `approval_item` (aliased `alias`) keeps the
 * limit at submission in `limit_days` and the workflow's state, with its
 * extension, in `state`. Checked equal to effectiveLimitDays by a property test.
 */
export const effectiveLimitDaysSql = (alias: string): string => `(${alias}.limit_days + coalesce((${alias}.state->'extension'->>'days')::int, 0))`;

/**
 * Decided on time, as the workflow records it on the decision: within the
 * effective limit, never escalated for lateness, and not deemed approved
 * (超时默认 counts late against the department).
 */
export function decidedOnTime(d: { usedDays: number; limitDays: number; escalated: boolean; deemed: boolean }): boolean {
  return !d.deemed && d.usedDays <= d.limitDays && !d.escalated;
}
