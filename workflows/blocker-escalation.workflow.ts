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
 *
 * Since `patched('blocker-hardened')` (histories before it replay the old path):
 * - one change at a time through a real mutex (async-mutex): a hand-rolled
 *   `locked` flag with `condition(() => !locked)` admits every waiter at once,
 *   since the SDK resolves all waiting conditions in one pass;
 * - the report itself is the first holder of the lock, and every handler takes
 *   the lock synchronously when its message arrives, so a person's action
 *   delivered with a due timer in the same activation goes first;
 * - a timer re-decides inside the lock (nothing changed, still due, still open)
 *   before it fires, so an action at the due instant is never followed by a
 *   stale escalation;
 * - a change whose activity fails (a data error) is undone, not left applied
 *   but unrecorded; the update caller is told, and the matter keeps running;
 * - the run continues as new at a quiet point once its history grows long
 *   (repeat reminders at the top rung would otherwise reach Temporal's limit),
 *   carrying its whole state (BlockerCarry).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { EscalationActivities } from '../libs/escalation/src/escalation.activities';
import type { BlockerCommand, BlockerEventType, BlockerState } from '../libs/domain/src/blocker';
import {
  actUpdate,
  BLOCKER_MAX_HISTORY_EVENTS,
  BlockerCarry,
  BlockerRunInput,
  openedUpdate,
  recomputeDueUpdate,
  stateQuery,
  systemResolveSignal,
} from '../libs/domain/src/blocker.contract';
import { refusal } from '../libs/domain/src/blocker-rules';
import { DEFAULT_LADDER_RUNGS, PolicySnapshot, rungLabel } from '../libs/domain/src/ladder';
import { blockerEscalationV1 } from './blocker-escalation-v1';
import { armingNowMs, nowIso, nowMs } from './support/clock';

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

/**
 * Events are recorded by a local activity too (`patched('blocker-local-record')`):
 * an escalation is then one workflow task (timer fired → due time and record
 * run in the worker → the task completes) instead of two with an activity
 * task between them, which is what held a burst of a thousand due at 18:00 to
 * ~20 per second. Still one transaction keyed by (blocker, seq): a worker lost
 * mid-task replays on another and the retry finds the event recorded.
 */
const localRecord = proxyLocalActivities<EscalationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
const recordEvent: EscalationActivities['recordEvent'] = (e) => (patched('blocker-local-record') ? localRecord.recordEvent(e) : acts.recordEvent(e));

const DEFAULT_REOPEN_WITHIN = 'P30D';
const SYSTEM = { kind: 'system' as const, id: null, name: 'system' };
/** A timer whose recording failed on a data error is tried again after this long, not in a tight loop. */
const RETRY_FAILED_TIMER_MS = 10 * 60_000;

export async function blockerEscalation(input: BlockerRunInput): Promise<BlockerState> {
  // Histories from before the full ladder keep replaying on the first version.
  if (!patched('ladder-v2')) return blockerEscalationV1(input);
  const hardened = patched('blocker-hardened');
  const carried: BlockerCarry | undefined = hardened ? input.carried : undefined;

  const ladder = carried?.ladder ?? input.ladder ?? DEFAULT_LADDER_RUNGS.slice(0, input.rungs.length);
  let policy: PolicySnapshot = carried?.policy ?? { policyId: input.policyId, rungs: input.rungs, repeatEvery: input.repeatEvery, reopenWithin: input.reopenWithin };
  let seq = carried?.seq ?? 0;
  let recordedSeq = seq; // the last event known recorded: a failed change gives its numbers back
  let activityEndedMs = 0; // when the last recording ended, by its own report (in the history): timers are armed from it
  let opened = !!carried;
  let warned = carried?.warned ?? false; // the reminder before the current due time was sent
  let dueSetByPerson = carried?.dueSetByPerson ?? !!input.firstDueAt; // an explicit due time is not recomputed from the calendar
  let nextRepeatAt: string | null = carried?.nextRepeatAt ?? null;
  let version = 0; // bumped by every change, so a waiting timer re-evaluates
  let locked = false;
  const mutex = new Mutex();
  const state: BlockerState = carried
    ? copy(carried.state)
    : {
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

  /**
   * One change at a time: a person's action and a timer never interleave their
   * awaits. Hardened: a real mutex, taken synchronously in call order; a change
   * that throws is undone (state and event numbers as before it).
   */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (!hardened) return exclusiveV3(fn);
    return mutex.runExclusive(async () => {
      const before = snapshot();
      try {
        return await fn();
      } catch (err) {
        restore(before);
        throw err;
      } finally {
        version++;
      }
    });
  }
  const isLocked = () => (hardened ? mutex.isLocked() : locked);

  function snapshot() {
    return { state: copy(state), policy: copy(policy), warned, dueSetByPerson, nextRepeatAt };
  }
  function restore(s: ReturnType<typeof snapshot>) {
    for (const k of Object.keys(state)) delete (state as unknown as Record<string, unknown>)[k];
    Object.assign(state, s.state);
    policy = s.policy;
    warned = s.warned;
    dueSetByPerson = s.dueSetByPerson;
    nextRepeatAt = s.nextRepeatAt;
    seq = recordedSeq; // a failed record took no number in the read model
  }

  /** Before `blocker-hardened`: a flag, which admits every waiter of one activation at once (kept for replay). */
  async function exclusiveV3<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !locked);
    locked = true;
    try {
      return await fn();
    } finally {
      locked = false;
      version++;
    }
  }

  async function record(
    type: BlockerEventType,
    e: { at?: string; actor?: BlockerCommand['actor'] | null; fromRung?: string | null; reason?: string | null; details?: Record<string, unknown> } = {},
  ) {
    const actor = !e.actor ? SYSTEM : e.actor.system ? { ...SYSTEM, name: e.actor.name } : { kind: 'person' as const, id: e.actor.personId, name: e.actor.name };
    const n = ++seq;
    const ended = await recordEvent({
      blockerId: input.blockerId,
      seq: n,
      type,
      at: e.at ?? nowIso(),
      actor,
      requestId: e.actor?.requestId ?? null,
      fromRung: e.fromRung === undefined ? state.rung : e.fromRung,
      toRung: state.rung,
      reason: e.reason ?? null,
      // A deputy's action says whom they stood in for. Only the activity's input changes (no new command), so no patch is needed.
      details: e.actor?.deputyFor ? { ...(e.details ?? {}), deputyFor: e.actor.deputyFor } : (e.details ?? {}),
      state: { ...state, acknowledgedBy: [...(state.acknowledgedBy ?? [])] },
      ladder,
      input: type === 'reported' ? input : undefined,
    });
    recordedSeq = Math.max(recordedSeq, n);
    // Histories recorded before the activity reported its end replay with no result here.
    if (ended?.endedAtMs) activityEndedMs = Math.max(activityEndedMs, ended.endedAtMs);
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
  setHandler(openedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  const validator = (cmd: BlockerCommand) => {
    const refused = refusal(cmd, state, ladder, nowMs());
    if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.en, details: [refused.zh] });
  };
  const systemResolve = ({ resolution }: { resolution: string }) =>
    apply({ action: 'resolve', resolution, actor: { personId: 'system', name: '系统', rungs: [], reporter: false, office: true, supervision: false, system: true } });
  async function recomputeDue(r: { reason: string }) {
    if (state.status !== 'open' || dueSetByPerson || state.overdueAtTop) return state;
    const before = state.dueAt;
    await setDue(state.enteredRungAt!, undefined, true); // the calendar just changed: no cached copy
    if (state.dueAt !== before) await record('due_recomputed', { reason: r.reason, details: { before } });
    return state;
  }

  /**
   * The report, the first holder of the lock: it is taken before any handler
   * is registered, so a message delivered with the start waits for it.
   */
  const reported = hardened ? (carried ? Promise.resolve() : exclusive(openReport)) : null;

  if (hardened) {
    // Each handler takes the lock at once (no await before it), in the order the messages arrived, ahead of a timer of the same activation.
    const whenOpen = async () => {
      if (!opened) await condition(() => opened);
    };
    setHandler(systemResolveSignal, (r) =>
      exclusive(async () => {
        await whenOpen();
        if (state.status === 'open') await systemResolve(r);
      }).catch((err) => {
        // A signal has no caller to tell: the change is undone and the matter stays open for a person to resolve.
        if (!failedActivity(err)) throw err;
        log.error('system resolve not recorded; the matter stays open', { blockerId: input.blockerId, error: err.cause?.message ?? err.message });
      }),
    );
    setHandler(
      actUpdate,
      (cmd) =>
        exclusive(async () => {
          await whenOpen();
          validator(cmd); // checked again now that the lock is held: the matter may have moved while waiting
          await apply(cmd);
          return state;
        }).catch(refusedForData),
      { validator },
    );
    setHandler(recomputeDueUpdate, (r) =>
      exclusive(async () => {
        await whenOpen();
        return recomputeDue(r);
      }).catch(refusedForData),
    );
  } else {
    setHandler(systemResolveSignal, (r) =>
      exclusive(async () => {
        if (state.status !== 'open') return;
        await systemResolve(r);
      }),
    );
    setHandler(
      actUpdate,
      (cmd) =>
        exclusive(async () => {
          // Checked again now that the lock is held: the matter may have moved while waiting.
          validator(cmd);
          await apply(cmd);
          return state;
        }),
      { validator },
    );
    setHandler(recomputeDueUpdate, (r) => exclusive(() => recomputeDue(r)));
  }

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

  if (reported) {
    await reported;
    return mainLoop();
  }

  await openReport();
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

  /** The report: rung 1 with its due time. */
  async function openReport() {
    const reportedAt = input.reportedAt && Date.parse(input.reportedAt) < nowMs() ? input.reportedAt : nowIso();
    state.enteredRungAt = reportedAt;
    await setDue(reportedAt, input.firstDueAt);
    await record('reported', {
      at: reportedAt,
      actor: {
        personId: input.reportedBy ?? 'system',
        name: input.reporterName ?? '',
        rungs: [],
        reporter: true,
        office: false,
        supervision: false,
        requestId: input.requestId,
        ...(input.reportedBy === null && { system: true }),
      },
      fromRung: null,
      reason: input.description,
    });
    opened = true;
  }

  /**
   * The clock (blocker-hardened): wait for the next timer, then re-decide with
   * the lock held and fire only what is still due; continue as new at a quiet
   * point once the history is long.
   */
  async function mainLoop(): Promise<BlockerState> {
    for (;;) {
      await condition(() => !isLocked());
      if (longHistory()) {
        await condition(() => allHandlersFinished() && !isLocked());
        // Re-read now, after every message of this activation has started its handler.
        if (allHandlersFinished() && !isLocked()) await continueAsNew<typeof blockerEscalation>({ ...input, carried: carry() });
        continue;
      }
      const v = version;
      if (state.status === 'resolved') {
        // Waits out the reopen period; a reopen bumps the version and the ladder resumes.
        const left = Date.parse(state.reopenUntil!) - nowMs();
        if (left > 0 && (await condition(() => version !== v, left))) continue;
        if (version !== v) continue;
        const closed = await exclusive(async () => {
          if (version !== v || state.status !== 'resolved' || Date.parse(state.reopenUntil!) > nowMs()) return false;
          await record('closed', { reason: '重新打开期限届满 / the reopen period ended' });
          return true;
        }).catch(timerFailed);
        if (closed === true) break;
        continue;
      }
      const next = nextTimer();
      if (next === null) {
        await condition(() => version !== v);
        continue;
      }
      // Armed from when the last recording ended, not the task's start (patched: histories before it armed from the task's start).
      const wait = Date.parse(next.at) - (patched('timer-from-recording') ? armingNowMs(activityEndedMs) : nowMs());
      // condition(fn, 0) would wait forever, so a time already passed is handled at once.
      if (wait > 0 && (await condition(() => version !== v, wait))) continue;
      if (version !== v) continue;
      await exclusive(async () => {
        // An action may have come first (主动上报, an extension, a transfer, a calendar change): fire only what is still due.
        const now = nextTimer();
        if (version !== v || state.status !== 'open' || !now || now.kind !== next.kind || now.at !== next.at || Date.parse(now.at) > nowMs()) return;
        await fire(next);
      }).catch(timerFailed);
    }
    await condition(allHandlersFinished);
    return state;
  }

  /** Time to continue as new: Temporal suggests it, or the run's history passed the bound. */
  function longHistory(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > BLOCKER_MAX_HISTORY_EVENTS;
  }

  function carry(): BlockerCarry {
    return { state: copy(state), seq, policy: copy(policy), ladder, warned, dueSetByPerson, nextRepeatAt };
  }

  /**
   * A timer's change whose recording failed (a data error) was undone; it is
   * tried again later, and meanwhile people can still act on the matter.
   */
  async function timerFailed(err: unknown): Promise<'failed'> {
    if (!failedActivity(err)) throw err;
    log.error('a timer of the matter could not be recorded; trying again later', { blockerId: input.blockerId, error: err.cause?.message ?? err.message });
    const v = version;
    await condition(() => version !== v, RETRY_FAILED_TIMER_MS);
    return 'failed';
  }

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

const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * An activity failed for good. A queued activity's failure
 * arrives inside an ActivityFailure; a local activity's (recordEvent, computeDue)
 * arrives as the bare ApplicationFailure, non-retryable (a data error or a
 * refusal classified in libs/temporal/src/activity-failures.ts). The workflow's
 * own refusals are never non-retryable, so they are not mistaken for one.
 */
function failedActivity(err: unknown): err is ActivityFailure | ApplicationFailure {
  return err instanceof ActivityFailure || (err instanceof ApplicationFailure && err.nonRetryable === true);
}

/**
 * A change whose activity failed for good (a data error the database refused)
 * was undone; the person is told so, as a refusal the API answers with 422.
 */
function refusedForData(err: unknown): never {
  const c = err instanceof ActivityFailure ? err.cause : err;
  if (failedActivity(err) && c instanceof ApplicationFailure) {
    const zh = typeof c.details?.[0] === 'string' ? (c.details[0] as string) : '该操作的数据无法保存，问题未作任何更改';
    throw ApplicationFailure.create({ type: 'Invalid', message: `The action could not be recorded; nothing changed: ${c.message}`, details: [zh], nonRetryable: true });
  }
  throw err;
}
