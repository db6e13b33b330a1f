/** The approval desk's model: items, their clock colour, and what a department may do in each state. */
import type { Colour } from './shim';

export interface ApprovalItem {
  id: string;
  projectId: string;
  projectName?: string;
  projectCode?: string;
  name: string;
  stage: string;
  status: 'planned' | 'submitted' | 'supplement_requested' | 'accepted' | 'under_review' | 'approved' | 'rejected';
  statusName?: string;
  green: boolean;
  limitDays: number | null;
  elapsedDays: number;
  remainingDays: number | null;
  overdue: boolean;
  dueAt: string | null;
  submittedAt: string | null;
  acceptedAt: string | null;
  pausedSince: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  documentNo: string | null;
  departmentId: string;
  department: string;
  /** The queue's clock colour; null when no clock runs (paused, with the applicant, decided). */
  colour?: Colour | null;
  warningDays?: number;
  deficiency?: { missing: string[]; commitOn: string; supplied: boolean; missed: boolean } | null;
  verification?: { dueAt: string; doneAt: string | null; passed: boolean | null; missed: boolean } | null;
  stop?: { kind: string; reason: string; since: string; dueAt: string } | null;
  supplement?: { missing: string[]; reason: string } | null;
  extension?: { days: number } | null;
  holder?: { zh: string; en: string } | null;
  events?: { seq: number; type: string; at: string; actorName: string | null; reason: string | null; details: unknown }[];
}

export const STAGE_NAMES: Record<string, [string, string]> = {
  planning: ['前期', 'Planning'],
  approval: ['审批', 'Approval'],
  land: ['用地', 'Land'],
  start: ['开工', 'Start'],
};

export const STATUS_NAMES: Record<ApprovalItem['status'], [string, string]> = {
  planned: ['未申报', 'Not submitted'],
  submitted: ['已申报（待受理）', 'Submitted'],
  supplement_requested: ['补正中', 'Supplement awaited'],
  accepted: ['已受理', 'Accepted'],
  under_review: ['审查中', 'Under review'],
  approved: ['已批准', 'Approved'],
  rejected: ['不予批准', 'Rejected'],
};

export const CLOCK_STOP_KINDS: Record<string, [string, string]> = {
  expert_review: ['专家评审', 'Expert review'],
  hearing: ['听证', 'Hearing'],
  appraisal: ['技术审查', 'Appraisal'],
};

const DECIDED = new Set(['approved', 'rejected']);

/** The item's clock colour: the server's when it gives one; else red past the limit, yellow in the last days, grey when no clock runs. */
export function colourOf(i: ApprovalItem): Colour {
  if (i.colour !== undefined) return i.colour ?? 'grey';
  if (DECIDED.has(i.status) || i.status === 'planned') return 'grey';
  if (i.overdue) return 'red';
  if (i.remainingDays !== null && i.remainingDays <= (i.warningDays ?? 2)) return 'yellow';
  return 'green';
}

const RANK: Record<Colour, number> = { red: 0, yellow: 1, green: 2, grey: 3 };

/** Red first, then yellow, green, grey; within a colour the least time left first. */
export function byColour(a: ApprovalItem, b: ApprovalItem): number {
  return RANK[colourOf(a)] - RANK[colourOf(b)] || (a.remainingDays ?? 9999) - (b.remainingDays ?? 9999) || a.name.localeCompare(b.name);
}

export type DeskAction = 'accept' | 'supplement' | 'review' | 'stop' | 'resume' | 'approve' | 'reject' | 'extend' | 'verify';

/** Whether the clock is stopped by a recorded stop (not by a supplement, which the applicant ends). */
export function clockStopped(i: ApprovalItem): boolean {
  if (i.stop !== undefined) return !!i.stop;
  return !!i.pausedSince && (i.status === 'accepted' || i.status === 'under_review');
}

/** The actions a department's clerk (or head) may take on the item in its state, as the item's rules allow them. */
export function actionsFor(i: ApprovalItem, opts: { head: boolean }): DeskAction[] {
  const out: DeskAction[] = [];
  const stopped = clockStopped(i);
  if (i.status === 'submitted') out.push('accept', 'supplement');
  if (i.status === 'accepted') out.push('review');
  if (i.status === 'accepted' || i.status === 'under_review') {
    if (!stopped) out.push('supplement');
    out.push('approve', 'reject');
    out.push(stopped ? 'resume' : 'stop');
  }
  if (opts.head && ['accepted', 'under_review', 'supplement_requested'].includes(i.status) && i.acceptedAt && !i.extension) out.push('extend');
  if (i.verification && !i.verification.doneAt) out.push('verify');
  return out;
}

export const ACTION_PATHS: Record<DeskAction, string> = {
  accept: 'accept',
  supplement: 'supplement-request',
  review: 'review',
  stop: 'clock-stop',
  resume: 'clock-resumption',
  approve: 'approve',
  reject: 'reject',
  extend: 'extension',
  verify: 'verification',
};

export const ACTION_NAMES: Record<DeskAction, [string, string]> = {
  accept: ['受理', 'Accept'],
  supplement: ['一次性告知补正', 'Ask for supplements'],
  review: ['开始审查', 'Start review'],
  stop: ['暂停计时', 'Stop the clock'],
  resume: ['恢复计时', 'Resume the clock'],
  approve: ['批准', 'Approve'],
  reject: ['不予批准', 'Reject'],
  extend: ['延长时限', 'Extend the limit'],
  verify: ['核查', 'Verify'],
};
