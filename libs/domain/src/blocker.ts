import type { LadderRung, PolicyRung, RungKey } from './ladder';

/** Blocker categories (问题类别), with their Chinese names for people. */
export const BLOCKER_CATEGORIES = {
  relocation: '征迁',
  funding: '资金',
  land_quota: '用地指标',
  approval: '审批手续',
  planning: '规划',
  environment: '环评',
  utilities: '水电气',
  schedule: '进度滞后',
  /** A project not started by its committed start date owes a written explanation (未按期开工书面说明). */
  late_start: '未按期开工说明',
  /** A decision of a coordination meeting (议定事项), on the ladder until closed off (销号). */
  decision: '议定事项',
  other: '其他',
} as const;
export type BlockerCategory = keyof typeof BLOCKER_CATEGORIES;
export const BLOCKER_CATEGORY_KEYS = Object.keys(BLOCKER_CATEGORIES) as BlockerCategory[];

export const SEVERITIES = ['normal', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type BlockerStatus = 'open' | 'resolved';

/** Kinds of event on a blocker's history; each is recorded exactly once. */
export type BlockerEventType =
  | 'reported'
  | 'reminder'
  | 'escalated'
  | 'overdue_at_top'
  | 'repeat_reminder'
  | 'acknowledged'
  | 'progress'
  | 'remind'
  | 'extension_requested'
  | 'extension_granted'
  | 'extension_refused'
  | 'extension_lapsed'
  | 'transferred'
  | 'resolved'
  | 'reopened'
  | 'policy_applied'
  | 'due_recomputed'
  | 'closed';

/** What a blocker's escalation workflow starts from: the report and a policy snapshot. */
export interface BlockerWorkflowInput {
  blockerId: string;
  projectId: string;
  responsibleUnitId: string;
  category: BlockerCategory;
  severity: Severity;
  title: string;
  description: string;
  /** null: opened by the system itself (an overdue stage, a late start). */
  reportedBy: string | null;
  policyId: string | null;
  /** The policy's rungs at the moment of reporting: a matter keeps the policy it was opened with. */
  rungs: PolicyRung[];
  /** For the audit log: the reporter's name and the request that reported it. */
  reporterName?: string;
  requestId?: string;
  /** v2: the ladder's rungs (names, who sits on each); absent: the default ladder. */
  ladder?: LadderRung[];
  repeatEvery?: string;
  reopenWithin?: string;
  /** v2: a first due time set by whoever assigned the matter (交办时限), instead of the first rung's response time. */
  firstDueAt?: string;
  /**
   * v2: when the matter was reported, if before it came into Duban (a ledger
   * import): its clock runs from then, and every due time already passed is
   * acted on at once, recorded at the instant it was due.
   */
  reportedAt?: string;
}

/** Who acts, as the API resolved it from the organisation model for this matter at request time. */
export interface ActingPerson {
  /** 'system' with `system`: the system acting on a matter it opened. */
  personId: string;
  name: string;
  /** The rungs of this matter's ladder the person sits on. */
  rungs: RungKey[];
  /** Reported the matter. */
  reporter: boolean;
  /** Project office (administers everything) or supervision office (sends reminders). */
  office: boolean;
  supervision: boolean;
  requestId?: string;
  system?: boolean;
  /**
   * Acting as deputy (代理) for this person, whose rung the action needs: the
   * API resolved it (actingRungs) at request time; the event and its audit row
   * record it ("deputy for").
   */
  deputyFor?: { personId: string; name: string; delegationId: string };
}

export type BlockerAction =
  | { action: 'acknowledge' }
  | { action: 'progress'; text: string }
  | { action: 'resolve'; resolution: string }
  | { action: 'escalateNow'; reason: string }
  | { action: 'requestExtension'; until: string; reason: string }
  | { action: 'grantExtension'; until?: string; reason: string }
  | { action: 'refuseExtension'; reason: string }
  | { action: 'transfer'; toUnitId: string; toUnitName: string; dueAt?: string; reason: string }
  | { action: 'reopen'; reason: string }
  | { action: 'remind'; text: string }
  | { action: 'applyPolicy'; policy: { policyId: string; rungs: PolicyRung[]; repeatEvery?: string; reopenWithin?: string }; reason: string };

export type BlockerCommand = BlockerAction & { actor: ActingPerson };

export interface ResolveCommand {
  resolution: string;
  resolvedBy: string;
  resolverName?: string;
  requestId?: string;
  /**
   * The rungs of this matter's ladder the actor sits on, resolved from the
   * organisation model by the API. The workflow checks them against the rung
   * the matter is on at that moment (it may have moved since the API looked).
   * Absent in commands from before access control: not checked.
   */
  actorRungs?: RungKey[];
}

/** What the workflow knows of its matter; the read model holds the same, durably. */
export interface BlockerState {
  blockerId: string;
  status: BlockerStatus;
  rungIndex: number;
  rung: RungKey;
  dueAt: string | null;
  overdueAtTop: boolean;
  /** v2 */
  warnAt?: string | null;
  provisional?: boolean;
  enteredRungAt?: string;
  responsibleUnitId?: string;
  acknowledgedBy?: string[];
  extension?: { requestedBy: string; until: string; reason: string; at: string } | null;
  resolvedAt?: string | null;
  reopenUntil?: string | null;
}

/** Workflow id derived from the domain id, so a duplicate start is refused by Temporal itself. */
export function blockerWorkflowId(blockerId: string): string {
  return `blocker-${blockerId}`;
}
