/**
 * One approval item (审批事项) of a key project, as shared/design/approvals.md
 * specifies:
 *
 *   submitted → accepted 受理 (the department silent for its set days: deemed
 *   accepted) or supplement requested 补正 → under review → approved / rejected
 *
 *   the department's clock runs from acceptance in working days and stops
 *   while a supplement is awaited; a warning before the limit; at the limit the
 *   item climbs the approvals ladder as a matter of the escalation engine;
 *   on the green channel: accepted with deficiencies against a commitment date
 *   (missed: a matter on the applicant, and, where the catalogue says so, the
 *   acceptance ends), or approved at once on a written commitment with a
 *   verification task due within N working days.
 *
 * Deterministic: time is the workflow clock; working days come from a local
 * activity over the calendar; every side effect is an activity keyed by
 * (item, seq) or by the matter id chosen here.
 */
import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setHandler, uuid4 } from '@temporalio/workflow';
import { continueWhenIdle, oneAtATime, timeToContinue } from './support/one-at-a-time';
import type { ApprovalActivities, ApprovalEventRecord } from '../libs/approvals/src/approval.activities';
import {
  type ApprovalActor,
  type ApprovalCommand,
  type ApprovalEventType,
  type ApprovalItemInput,
  type ApprovalItemState,
  approvalActUpdate,
  approvalOpenedUpdate,
  approvalRecomputeUpdate,
  approvalRefusal,
  approvalStateQuery,
  decidedOnTime,
  effectiveLimitDays,
} from '../libs/domain/src/approval';
import { nowIso, nowMs } from './support/clock';

const acts = proxyActivities<ApprovalActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } });
const clock = proxyLocalActivities<ApprovalActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const SYSTEM: ApprovalActor = { personId: null, name: '系统', department: false, applicant: false, office: false, system: true };

export async function approvalItem(input: ApprovalItemInput): Promise<ApprovalItemState> {
  // New executions: a real mutex, start-up before any command, commands wait
  // until the item is open, and continue-as-new (one-at-a-time.ts).
  const hardened = patched('approval-mutex');
  let seq = input.carried?.seq ?? 0;
  let opened = false;
  const state: ApprovalItemState = input.carried?.state ?? {
    itemId: input.itemId,
    status: 'submitted',
    submittedAt: nowIso(),
    deemedAcceptAt: null,
    acceptedAt: null,
    clockStart: null,
    usedDays: 0,
    remainingDays: input.limitDays,
    dueAt: null,
    warnAt: null,
    warned: false,
    pausedSince: null,
    pausedDays: 0,
    supplement: null,
    deficiency: null,
    verification: null,
    escalationBlockerId: null,
    extension: null,
    stop: null,
    applicantBlockerId: null,
    verificationBlockerId: null,
    decidedAt: null,
    reason: null,
    documentNo: null,
  };

  const pending: ApprovalEventRecord[] = [];
  function record(type: ApprovalEventType, e: { actor?: ApprovalActor; reason?: string | null; details?: Record<string, unknown> } = {}) {
    pending.push({
      itemId: input.itemId,
      projectId: input.projectId,
      seq: ++seq,
      type,
      at: nowIso(),
      actor: e.actor ?? SYSTEM,
      reason: e.reason ?? null,
      details: e.details ?? {},
      state: JSON.parse(JSON.stringify(state)) as ApprovalItemState,
    });
  }
  async function flush() {
    if (pending.length) await acts.recordApproval(pending.splice(0));
  }

  const changes = oneAtATime(() => flush(), hardened);
  const exclusive = <T>(fn: () => Promise<T>) => changes.run(fn);

  /** Starts (or restarts) the department's clock now, with the working days it has left. */
  async function runClock() {
    const at = nowIso();
    state.clockStart = at;
    const days = Math.max(1, state.remainingDays);
    state.dueAt = (await clock.workingDays({ op: 'add', from: at, days })).at!;
    state.warnAt = days > input.warningDays && input.warningDays > 0 ? (await clock.workingDays({ op: 'add', from: at, days: days - input.warningDays })).at! : null;
    state.warned = false;
  }

  /**
   * The calendar changed: a running clock keeps its start and the working days
   * it had left, and its limit and warning are counted again on the new
   * calendar. A limit already passed (a matter open, or deemed approved) stays.
   */
  async function recompute(reason: string) {
    if (!state.clockStart || !state.dueAt || state.escalationBlockerId) return;
    const before = { dueAt: state.dueAt, warnAt: state.warnAt };
    const days = Math.max(1, state.remainingDays);
    const dueAt = (await clock.workingDays({ op: 'add', from: state.clockStart, days })).at!;
    const warnAt = days > input.warningDays && input.warningDays > 0 ? (await clock.workingDays({ op: 'add', from: state.clockStart, days: days - input.warningDays })).at! : null;
    if (dueAt === before.dueAt && warnAt === before.warnAt) return;
    Object.assign(state, { dueAt, warnAt });
    // A warning moved later than now is due again.
    if (state.warned && warnAt && Date.parse(warnAt) > nowMs()) state.warned = false;
    record('recomputed', { reason, details: { before, dueAt, warnAt } });
  }

  async function stopClock() {
    if (!state.clockStart) return;
    const used = (await clock.workingDays({ op: 'between', from: state.clockStart, to: nowIso() })).days!;
    state.usedDays += used;
    state.remainingDays = Math.max(0, state.remainingDays - used);
    Object.assign(state, { clockStart: null, dueAt: null, warnAt: null });
  }

  async function accept(actor: ApprovalActor, deemed: boolean, deficiencies?: { missing: string[]; commitOn: string; commitAt: string }) {
    state.status = 'accepted';
    state.acceptedAt = nowIso();
    state.deemedAcceptAt = null;
    await runClock();
    if (deficiencies) state.deficiency = { ...deficiencies, supplied: false, missed: false };
    record(deemed ? 'deemed_accepted' : 'accepted', { actor, details: { dueAt: state.dueAt, limitDays: input.limitDays, ...(deficiencies && { deficiencies }) } });
  }

  async function decide(status: 'approved' | 'rejected', actor: ApprovalActor, reason: string | null, documentNo: string | null, late = false) {
    await stopClock();
    const limitDays = effectiveLimitDays(input.limitDays, state.extension);
    Object.assign(state, { status, decidedAt: nowIso(), reason, documentNo, stop: null });
    const onTime = decidedOnTime({ usedDays: state.usedDays, limitDays, escalated: !!state.escalationBlockerId, deemed: late });
    record(status, { actor, reason, details: { documentNo, usedDays: state.usedDays, limitDays, pausedDays: state.pausedDays, onTime } });
    await flush();
    if (state.escalationBlockerId)
      await acts.resolveApprovalMatter({ blockerId: state.escalationBlockerId, reason: status === 'approved' ? '审批事项已批准' : '审批事项已作出不予批准决定' });
    await acts.afterDecision({ itemId: input.itemId, projectId: input.projectId, stage: input.stage, status });
  }

  /** Matters on the ladder: the department's overdue item or verification, the applicant's missed commitment. */
  async function openMatter(kind: 'overdue' | 'verification' | 'commitment'): Promise<string> {
    const blockerId = uuid4();
    await flush();
    await acts.openApprovalMatter({
      kind,
      blockerId,
      itemId: input.itemId,
      projectId: input.projectId,
      name: input.name,
      departmentId: input.departmentId,
      reportedAt: state.acceptedAt ?? state.submittedAt,
      dueAt: nowIso(),
    });
    return blockerId;
  }

  /** The clock's boundaries, reached by the workflow clock. */
  async function evaluate() {
    const t = nowMs();
    if (state.status === 'submitted' && state.deemedAcceptAt && t >= Date.parse(state.deemedAcceptAt)) await accept(SYSTEM, true);
    if (state.dueAt && state.warnAt && !state.warned && t >= Date.parse(state.warnAt)) {
      state.warned = true;
      record('warning', { details: { dueAt: state.dueAt } });
    }
    if (state.dueAt && !state.escalationBlockerId && t >= Date.parse(state.dueAt) && (state.status === 'accepted' || state.status === 'under_review')) {
      if (input.deemedApproval) {
        // 超时默认: the limit passed with no decision; the item counts as approved, late against the department.
        const documentNo = await acts.deemedApprovalNumber({ at: nowIso() });
        record('deemed_approved', { details: { dueAt: state.dueAt, documentNo } });
        await decide('approved', SYSTEM, '超过办理时限未作决定，按超时默认视为批准', documentNo, true);
        return;
      }
      state.escalationBlockerId = await openMatter('overdue');
      record('limit_passed', { details: { blockerId: state.escalationBlockerId, dueAt: state.dueAt } });
    }
    if (state.stop && !state.stop.overdue && t >= Date.parse(state.stop.dueAt)) {
      state.stop.overdue = true;
      record('clock_stop_overdue', { details: { kind: state.stop.kind, dueAt: state.stop.dueAt } });
    }
    const d = state.deficiency;
    if (d && !d.supplied && !d.missed && t >= Date.parse(d.commitAt)) {
      d.missed = true;
      state.applicantBlockerId = await openMatter('commitment');
      const suspend = input.suspendOnMissedCommitment && (state.status === 'accepted' || state.status === 'under_review');
      if (suspend) {
        // The acceptance ends: the item is back with the department as submitted, the clock reset.
        await stopClock();
        Object.assign(state, { status: 'submitted', acceptedAt: null, usedDays: 0, remainingDays: input.limitDays });
        state.deemedAcceptAt = (await clock.workingDays({ op: 'add', from: nowIso(), days: input.deemedAcceptDays })).at!;
      }
      record('commitment_missed', { details: { blockerId: state.applicantBlockerId, commitOn: d.commitOn, suspended: suspend } });
    }
    const v = state.verification;
    if (v && !v.doneAt && !v.missed && t >= Date.parse(v.dueAt)) {
      v.missed = true;
      state.verificationBlockerId = await openMatter('verification');
      record('verification_overdue', { details: { blockerId: state.verificationBlockerId, dueAt: v.dueAt } });
    }
  }

  function nextBoundary(): number | null {
    const times: (string | null | undefined)[] = [];
    if (state.status === 'submitted') times.push(state.deemedAcceptAt);
    if (state.dueAt && !state.warned) times.push(state.warnAt);
    if (state.dueAt && !state.escalationBlockerId) times.push(state.dueAt);
    if (state.stop && !state.stop.overdue) times.push(state.stop.dueAt);
    if (state.deficiency && !state.deficiency.supplied && !state.deficiency.missed) times.push(state.deficiency.commitAt);
    if (state.verification && !state.verification.doneAt && !state.verification.missed) times.push(state.verification.dueAt);
    const ms = times.filter((x): x is string => !!x).map(Date.parse);
    return ms.length ? Math.min(...ms) : null;
  }

  async function apply(cmd: ApprovalCommand) {
    const actor = cmd.actor;
    switch (cmd.action) {
      case 'accept':
        return accept(actor, false, cmd.deficiencies);
      case 'requestSupplement': {
        const during = state.status === 'submitted' ? 'intake' : 'review';
        await stopClock();
        state.supplement = { missing: cmd.missing, reason: cmd.reason, requestedAt: nowIso(), during };
        state.status = 'supplement_requested';
        state.deemedAcceptAt = null;
        if (during === 'review') state.pausedSince = nowIso();
        return record('supplement_requested', { actor, reason: cmd.reason, details: { missing: cmd.missing, during, remainingDays: state.remainingDays } });
      }
      case 'supplyMaterial': {
        const s = state.supplement!;
        if (s.during === 'review') {
          state.pausedDays += (await clock.workingDays({ op: 'between', from: state.pausedSince!, to: nowIso() })).days!;
          state.pausedSince = null;
          state.status = 'under_review';
          await runClock();
        } else {
          state.status = 'submitted';
          state.deemedAcceptAt = (await clock.workingDays({ op: 'add', from: nowIso(), days: input.deemedAcceptDays })).at!;
        }
        state.supplement = null;
        return record('material_supplied', { actor, reason: cmd.note || null, details: { dueAt: state.dueAt, pausedDays: state.pausedDays } });
      }
      case 'startReview':
        state.status = 'under_review';
        return record('review_started', { actor });
      case 'approve':
        return decide('approved', actor, cmd.note?.trim() || null, cmd.documentNo?.trim() || null);
      case 'reject':
        return decide('rejected', actor, cmd.reason.trim(), null);
      case 'supplyDeficiency':
        state.deficiency!.supplied = true;
        record('deficiency_supplied', { actor, reason: cmd.note || null });
        await flush();
        if (state.applicantBlockerId) await acts.resolveApprovalMatter({ blockerId: state.applicantBlockerId, reason: '容缺材料已补齐' });
        return;
      case 'extend': {
        // The days left grow by the extension; a running clock restarts with them.
        const running = !!state.clockStart;
        if (running) await stopClock();
        state.remainingDays += cmd.days;
        state.extension = { days: cmd.days, reason: cmd.reason.trim(), by: actor.name, at: nowIso() };
        if (running) await runClock();
        return record('extended', { actor, reason: cmd.reason.trim(), details: { days: cmd.days, dueAt: state.dueAt, remainingDays: state.remainingDays } });
      }
      case 'stopClock':
        await stopClock();
        state.pausedSince = nowIso();
        state.stop = { kind: cmd.kind, reason: cmd.reason.trim(), since: nowIso(), dueAt: cmd.dueAt, overdue: false };
        return record('clock_stopped', { actor, reason: cmd.reason.trim(), details: { kind: cmd.kind, days: cmd.days, stopDueAt: cmd.dueAt, remainingDays: state.remainingDays } });
      case 'resumeClock': {
        const stop = state.stop!;
        state.pausedDays += (await clock.workingDays({ op: 'between', from: state.pausedSince!, to: nowIso() })).days!;
        Object.assign(state, { pausedSince: null, stop: null });
        await runClock();
        return record('clock_resumed', { actor, reason: cmd.note || null, details: { kind: stop.kind, dueAt: state.dueAt, pausedDays: state.pausedDays } });
      }
      case 'verify':
        Object.assign(state.verification!, { doneAt: nowIso(), passed: cmd.passed });
        record('verified', { actor, reason: cmd.note || null, details: { passed: cmd.passed } });
        await flush();
        if (state.verificationBlockerId) await acts.resolveApprovalMatter({ blockerId: state.verificationBlockerId, reason: '承诺事项已核查' });
        return;
    }
  }

  setHandler(approvalStateQuery, () => state);
  setHandler(approvalOpenedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  const check = (cmd: ApprovalCommand) => {
    const refused = approvalRefusal(cmd, state, input);
    if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.en, details: [refused.zh] });
  };
  /** Open: straight for the lock, in arrival order. Not yet open: after the start-up, which holds the lock from the first activation on. */
  const whenOpen = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (hardened && !opened) await condition(() => opened);
    return exclusive(fn);
  };
  setHandler(
    approvalActUpdate,
    (cmd) =>
      whenOpen(async () => {
        check(cmd); // again, now that the lock is held
        await apply(cmd);
        await evaluate();
        return state;
      }),
    { validator: check },
  );
  // A new update: executions that never receive it replay as before; the marker records which ones did.
  setHandler(approvalRecomputeUpdate, ({ reason }) =>
    whenOpen(async () => {
      if (patched('approval-recompute')) {
        await recompute(reason);
        await evaluate();
      }
      return state;
    }),
  );

  await exclusive(async () => {
    // A continued run starts where the last left off: nothing to record but what the clock changed since.
    if (input.carried) {
      await evaluate();
      opened = true;
      return;
    }
    record('submitted', { actor: input.submittedBy, details: { limitDays: input.limitDays, green: input.green, commitment: input.commitment ?? null } });
    if (input.commitmentBased && input.commitment) {
      // 告知承诺制: approved at once on the written commitment; the department verifies afterwards.
      Object.assign(state, { status: 'approved', acceptedAt: nowIso(), decidedAt: nowIso(), reason: input.commitment });
      state.verification = { dueAt: (await clock.workingDays({ op: 'add', from: nowIso(), days: input.verificationDays })).at!, doneAt: null, passed: null, missed: false };
      record('approved_on_commitment', { actor: input.submittedBy, reason: input.commitment, details: { verificationDueAt: state.verification.dueAt } });
      await flush();
      await acts.afterDecision({ itemId: input.itemId, projectId: input.projectId, stage: input.stage, status: 'approved' });
    } else state.deemedAcceptAt = (await clock.workingDays({ op: 'add', from: nowIso(), days: input.deemedAcceptDays })).at!;
    await flush();
    opened = true;
  });

  // Runs until decided and nothing is left to watch (a commitment, a verification).
  const open = () =>
    !(state.status === 'approved' || state.status === 'rejected') || (state.deficiency && !state.deficiency.supplied) || (state.verification && !state.verification.doneAt);
  while (open()) {
    // Between changes, never inside one: the next run gets the state and numbering as they stand.
    if (hardened && timeToContinue(input.continueAsNewAfter)) await continueWhenIdle<[ApprovalItemInput]>(() => [{ ...input, carried: { seq, state } }]);
    // A timer chosen here fires `evaluate`, which decides again, inside the lock, on the state as it is then.
    if (!(await changes.next(nextBoundary()))) await exclusive(evaluate);
  }
  await condition(allHandlersFinished);
  return state;
}
