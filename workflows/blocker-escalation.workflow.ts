/**
 * The escalation of one blocker (问题督办) up its ladder, as specified in
 * shared/design/escalation.md:
 *
 *   reported → on rung 1 with a due time (working days, hours or a duration)
 *   → a reminder (催办) before the due time
 *   → unresolved at the due time: escalates (督办) to the next rung, with a
 *     numbered escalation notice and a copy to the rung below
 *   → at the top rung's due time: overdue-at-top, repeat reminders until resolved
 *   → resolved: no timer moves it again; within the reopen period it may be
 *     reopened on the rung where it was resolved, with a fresh due time.
 *
 * People act through the `act` update (acknowledge, progress, resolve, escalate
 * now, extension request / grant / refusal, transfer, reopen, remind, apply a
 * policy), each checked by the validator against the live state with the
 * rules in libs/domain/src/blocker-rules.ts.
 *
 * Deterministic: time is the workflow clock; due instants come from the
 * computeDue activity (the calendar lives outside); every side effect is the
 * recordEvent activity, keyed by (blocker, seq).
 */
import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { EscalationActivities } from '../libs/escalation/src/escalation.activities';
import type { BlockerCommand, BlockerEventType, BlockerState, BlockerWorkflowInput } from '../libs/domain/src/blocker';
import { actUpdate, openedUpdate, recomputeDueUpdate, stateQuery, systemResolveSignal } from '../libs/domain/src/blocker.contract';
import { refusal } from '../libs/domain/src/blocker-rules';
import { DEFAULT_LADDER_RUNGS, PolicySnapshot, rungLabel } from '../libs/domain/src/ladder';
import { blockerEscalationV1 } from './blocker-escalation-v1';
import { nowIso, nowMs } from './support/clock';

const acts = proxyActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/**
 * Due times are computed in a local activity (no round trip through the task
 * queue: it halves the work of an escalation when a thousand fall due at
 * once). Matters started before that change keep the queued activity.
 */
const local = proxyLocalActivities<EscalationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
const computeDue: EscalationActivities['computeDue'] = (a) => (patched('local-due') ? local.computeDue(a) : acts.computeDue(a));

const DEFAULT_REOPEN_WITHIN = 'P30D';
const SYSTEM = { kind: 'system' as const, id: null, name: 'system' };

export async function blockerEscalation(input: BlockerWorkflowInput): Promise<BlockerState> {
  // Histories from before the full ladder keep replaying on the first version.
  if (!patched('ladder-v2')) return blockerEscalationV1(input);

  const ladder = input.ladder ?? DEFAULT_LADDER_RUNGS.slice(0, input.rungs.length);
  let policy: PolicySnapshot = { policyId: input.policyId, rungs: input.rungs, repeatEvery: input.repeatEvery, reopenWithin: input.reopenWithin };
  let seq = 0;
  let opened = false;
  let warned = false; // the reminder before the current due time was sent
  let dueSetByPerson = !!input.firstDueAt; // an explicit due time is not recomputed from the calendar
  let nextRepeatAt: string | null = null;
  let version = 0; // bumped by every change, so a waiting timer re-evaluates
  let locked = false;
  const state: BlockerState = {
    blockerId: input.blockerId,
    status: 'open',
    rungIndex: 0,
    rung: ladder[0].key,
    dueAt: null,
    warnAt: null,
    provisional: false,
    overdueAtTop: false,
    enteredRungAt: '',
    responsibleUnitId: input.responsibleUnitId,
    acknowledgedBy: [],
    extension: null,
    resolvedAt: null,
    reopenUntil: null,
  };

  /** One change at a time: a person's action and a timer never interleave their awaits. */
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !locked);
    locked = true;
    try {
      return await fn();
    } finally {
      locked = false;
      version++;
    }
  }

  async function record(type: BlockerEventType, e: { at?: string; actor?: BlockerCommand['actor'] | null; fromRung?: string | null; reason?: string | null; details?: Record<string, unknown> } = {}) {
    const actor = !e.actor ? SYSTEM : e.actor.system ? { ...SYSTEM, name: e.actor.name } : { kind: 'person' as const, id: e.actor.personId, name: e.actor.name };
    await acts.recordEvent({
      blockerId: input.blockerId,
      seq: ++seq,
      type,
      at: e.at ?? nowIso(),
      actor,
      requestId: e.actor?.requestId ?? null,
      fromRung: e.fromRung === undefined ? state.rung : e.fromRung,
      toRung: state.rung,
      reason: e.reason ?? null,
      details: e.details ?? {},
      state: { ...state, acknowledgedBy: [...(state.acknowledgedBy ?? [])] },
      ladder,
      input: type === 'reported' ? input : undefined,
    });
  }

  /** Sets the current rung's due (and warning) time, counted from `from`, or as given. */
  async function setDue(from: string, dueAt?: string, fresh?: boolean) {
    const rung = policy.rungs[state.rungIndex];
    const due = await computeDue({ from, responseTime: rung.responseTime, warningBefore: rung.warningBefore, dueAt, ...(fresh && { fresh }) });
    state.dueAt = due.dueAt;
    state.warnAt = due.warnAt;
    state.provisional = due.provisional;
    warned = false;
  }

  async function moveUp(at: string, actor: BlockerCommand['actor'] | null, reason: string) {
    const from = state.rung;
    if (state.extension) {
      state.extension = null;
      await record('extension_lapsed', { at, reason: '延期申请未获批复，问题已提级 / the request lapsed when the blocker moved up' });
    }
    state.rungIndex++;
    state.rung = ladder[state.rungIndex].key;
    state.enteredRungAt = at;
    state.acknowledgedBy = [];
    dueSetByPerson = false;
    await setDue(at);
    await record('escalated', { at, actor, fromRung: from, reason });
  }

  setHandler(stateQuery, () => state);
  setHandler(systemResolveSignal, ({ resolution }) =>
    exclusive(async () => {
      if (state.status !== 'open') return;
      await apply({ action: 'resolve', resolution, actor: { personId: 'system', name: '系统', rungs: [], reporter: false, office: true, supervision: false, system: true } });
    }),
  );
  setHandler(openedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  setHandler(
    actUpdate,
    (cmd) =>
      exclusive(async () => {
        // Checked again now that the lock is held: the matter may have moved while waiting.
        const refused = refusal(cmd, state, ladder, nowMs());
        if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.en, details: [refused.zh] });
        await apply(cmd);
        return state;
      }),
    {
      validator: (cmd) => {
        const refused = refusal(cmd, state, ladder, nowMs());
        if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.en, details: [refused.zh] });
      },
    },
  );
  setHandler(recomputeDueUpdate, (r) =>
    exclusive(async () => {
      if (state.status !== 'open' || dueSetByPerson || state.overdueAtTop) return state;
      const before = state.dueAt;
      await setDue(state.enteredRungAt!, undefined, true); // the calendar just changed: no cached copy
      if (state.dueAt !== before) await record('due_recomputed', { reason: r.reason, details: { before } });
      return state;
    }),
  );

  async function apply(cmd: BlockerCommand) {
    const now = nowIso();
    const actor = cmd.actor;
    switch (cmd.action) {
      case 'acknowledge':
        state.acknowledgedBy!.push(actor.personId);
        return record('acknowledged', { actor });
      case 'progress':
        return record('progress', { actor, reason: cmd.text.trim() });
      case 'remind':
        return record('remind', { actor, reason: cmd.text?.trim() || null });
      case 'resolve': {
        state.status = 'resolved';
        state.resolvedAt = now;
        state.extension = null;
        const window = await computeDue({ from: now, responseTime: policy.reopenWithin ?? DEFAULT_REOPEN_WITHIN });
        state.reopenUntil = window.dueAt;
        return record('resolved', { actor, reason: cmd.resolution.trim() });
      }
      case 'escalateNow':
        return moveUp(now, actor, cmd.reason.trim());
      case 'requestExtension':
        state.extension = { requestedBy: actor.personId, until: cmd.until, reason: cmd.reason.trim(), at: now };
        return record('extension_requested', { actor, reason: cmd.reason.trim(), details: { until: cmd.until } });
      case 'grantExtension': {
        const until = cmd.until ?? state.extension!.until;
        state.extension = null;
        dueSetByPerson = true;
        await setDue(state.enteredRungAt!, until);
        return record('extension_granted', { actor, reason: cmd.reason.trim(), details: { until } });
      }
      case 'refuseExtension':
        state.extension = null;
        return record('extension_refused', { actor, reason: cmd.reason.trim() });
      case 'transfer': {
        const fromUnitId = state.responsibleUnitId;
        state.responsibleUnitId = cmd.toUnitId;
        if (state.rungIndex === 0) state.acknowledgedBy = [];
        if (cmd.dueAt) {
          dueSetByPerson = true;
          await setDue(state.enteredRungAt!, cmd.dueAt);
        }
        return record('transferred', { actor, reason: cmd.reason.trim(), details: { fromUnitId, toUnitId: cmd.toUnitId, toUnitName: cmd.toUnitName, dueAt: cmd.dueAt ?? null } });
      }
      case 'reopen':
        state.status = 'open';
        state.resolvedAt = null;
        state.reopenUntil = null;
        state.overdueAtTop = false;
        state.enteredRungAt = now;
        state.acknowledgedBy = [];
        nextRepeatAt = null;
        dueSetByPerson = false;
        await setDue(now);
        return record('reopened', { at: now, actor, reason: cmd.reason.trim() });
      case 'applyPolicy': {
        const before = { policyId: policy.policyId, dueAt: state.dueAt };
        policy = cmd.policy;
        dueSetByPerson = false;
        await setDue(state.enteredRungAt!);
        if (state.overdueAtTop && Date.parse(state.dueAt!) > nowMs()) {
          state.overdueAtTop = false;
          nextRepeatAt = null;
        }
        return record('policy_applied', { actor, reason: cmd.reason.trim(), details: { before, policyId: cmd.policy.policyId, rungs: cmd.policy.rungs } });
      }
    }
  }

  // The report: rung 1 with its due time.
  const reportedAt = input.reportedAt && Date.parse(input.reportedAt) < nowMs() ? input.reportedAt : nowIso();
  state.enteredRungAt = reportedAt;
  await setDue(reportedAt, input.firstDueAt);
  await record('reported', { at: reportedAt, actor: { personId: input.reportedBy ?? 'system', name: input.reporterName ?? '', rungs: [], reporter: true, office: false, supervision: false, requestId: input.requestId, ...(input.reportedBy === null && { system: true }) }, fromRung: null, reason: input.description });
  opened = true;

  for (;;) {
    await condition(() => !locked);
    const v = version;
    if (state.status === 'resolved') {
      // Waits out the reopen period; a reopen bumps the version and the ladder resumes.
      const left = Date.parse(state.reopenUntil!) - nowMs();
      if (left > 0 && (await condition(() => version !== v, left))) continue;
      if (version !== v) continue;
      await exclusive(() => record('closed', { reason: '重新打开期限届满 / the reopen period ended' }));
      break;
    }
    const next = nextTimer();
    if (next === null) {
      await condition(() => version !== v);
      continue;
    }
    const wait = Date.parse(next.at) - nowMs();
    // condition(fn, 0) would wait forever, so a time already passed is handled at once.
    if (wait > 0 && (await condition(() => version !== v, wait))) continue;
    if (version !== v) continue;
    await exclusive(() => fire(next));
  }
  await condition(allHandlersFinished);
  return state;

  /** One interval after `from`; repeats missed while a matter was overdue before it came in are not caught up one by one. */
  async function nextRepeat(from: string): Promise<string> {
    const next = (await computeDue({ from, responseTime: policy.repeatEvery! })).dueAt;
    return Date.parse(next) > nowMs() ? next : (await computeDue({ from: nowIso(), responseTime: policy.repeatEvery! })).dueAt;
  }

  /** The next thing the clock does to this matter: warn, move up, mark overdue at the top, or repeat. */
  function nextTimer(): { kind: 'warn' | 'due' | 'repeat'; at: string } | null {
    if (state.overdueAtTop) return nextRepeatAt ? { kind: 'repeat', at: nextRepeatAt } : null;
    // A reminder is worth sending only while the due time is ahead (not for a matter imported already overdue).
    if (!warned && state.warnAt && Date.parse(state.warnAt) < Date.parse(state.dueAt!) && Date.parse(state.dueAt!) > nowMs()) return { kind: 'warn', at: state.warnAt };
    return { kind: 'due', at: state.dueAt! };
  }

  async function fire(t: { kind: 'warn' | 'due' | 'repeat'; at: string }) {
    if (state.status !== 'open') return;
    // Recorded at the instant it was due, even when a worker was down at that moment.
    if (t.kind === 'warn') {
      warned = true;
      return record('reminder', { at: t.at, reason: `距${rungLabel(state.rung, ladder).zh}办理时限将至 / due soon` });
    }
    if (t.kind === 'repeat') {
      nextRepeatAt = await nextRepeat(t.at);
      return record('repeat_reminder', { at: t.at, reason: '最高层级逾期未办结，再次催办 / still overdue at the top rung' });
    }
    if (state.rungIndex < ladder.length - 1) return moveUp(t.at, null, '逾期未办结，自动提级督办 / unresolved at the due time');
    state.overdueAtTop = true;
    nextRepeatAt = policy.repeatEvery ? await nextRepeat(t.at) : null;
    return record('overdue_at_top', { at: t.at, reason: '最高层级逾期 / overdue at the top rung' });
  }
}
