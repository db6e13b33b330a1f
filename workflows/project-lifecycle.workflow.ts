/**
 * A key project's life (shared/design/lifecycle.md), one workflow per project:
 * planning → approval → land → start → completion, driven by its milestone
 * plan (倒排工期).
 *
 *   a stage becomes active when the ones before it are settled (done or n/a),
 *   or on its own start day where the plan lets stages overlap;
 *   an active stage is green, yellow from its warning time, red from its due
 *   time: one timer at the next boundary, re-armed whenever the plan changes;
 *   red opens a `schedule` (进度滞后) matter on the project's ladder; the stage
 *   done (or a new plan that makes up the gap) resolves it;
 *   the start stage not done by its due day opens a late-start explanation
 *   matter (未按期开工书面说明);
 *   people act through one validated update (report / confirm a completion,
 *   mark n/a, ask for / decide on / set a new plan).
 *
 * Deterministic: time is the workflow clock, matter ids come from the
 * workflow's seeded uuid4, every side effect is an activity keyed by
 * (project, seq) or by the matter id.
 */
import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities, setHandler, uuid4 } from '@temporalio/workflow';
import { continueWhenIdle, oneAtATime, timeToContinue } from './support/one-at-a-time';
import type { LifecycleActivities, LifecycleEventRecord } from '../libs/lifecycle/src/lifecycle.activities';
import { STAGE_NAMES, stageColour } from '../libs/domain/src/lifecycle';
import {
  type LifecycleActor,
  type LifecycleCommand,
  type LifecycleEventType,
  type LifecycleInput,
  type LifecycleState,
  type StagePlan,
  type StageStatus,
  lifecycleActUpdate,
  lifecycleOpenedUpdate,
  lifecycleRefusal,
  lifecycleStateQuery,
} from '../libs/domain/src/lifecycle-plan';
import { iso, nowIso, nowMs } from './support/clock';

const acts = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
/**
 * Events are recorded by a local activity: no round trip through the task
 * queue, one workflow task per change instead of two (a ledger import starts
 * thousands of lifecycles at once). Executions started before keep the queued one.
 */
const local = proxyLocalActivities<LifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const SYSTEM: LifecycleActor = { personId: null, name: '系统', office: false, liaison: false, unit: false, system: true };
const settled = (s: StageStatus) => s.state === 'done' || s.state === 'n/a';

export async function projectLifecycle(input: LifecycleInput): Promise<LifecycleState> {
  // New executions: a real mutex, start-up before any command, commands wait
  // until the workflow is open, and continue-as-new (one-at-a-time.ts).
  const hardened = patched('lifecycle-mutex');
  let seq = input.carried?.seq ?? 0;
  let opened = false;
  const state: LifecycleState = input.carried?.state ?? {
    projectId: input.projectId,
    revision: 1,
    confirmCompletion: input.confirmCompletion,
    stages: input.plan.map((p) => ({
      ...p,
      state: p.notApplicable ? 'n/a' : p.doneOn ? 'done' : 'pending',
      colour: null,
      activatedAt: null,
      doneAt: p.doneOn && !p.notApplicable ? nowIso() : null,
      completedOn: p.notApplicable ? null : (p.doneOn ?? null),
      evidence: [],
      reported: null,
      scheduleBlockerId: null,
    })),
    pendingReplan: null,
    lateStartBlockerId: null,
    completedAt: null,
  };

  const changes = oneAtATime(() => flush(), hardened);
  const exclusive = <T>(fn: () => Promise<T>) => changes.run(fn);

  /** Events wait here and go to the read model together: one activity per change, not one per event. */
  const pending: LifecycleEventRecord[] = [];
  function record(type: LifecycleEventType, e: { actor?: LifecycleActor; reason?: string | null; details?: Record<string, unknown> } = {}) {
    pending.push({
      projectId: input.projectId,
      seq: ++seq,
      type,
      at: nowIso(),
      actor: e.actor ?? SYSTEM,
      reason: e.reason ?? null,
      details: e.details ?? {},
      state: JSON.parse(JSON.stringify(state)) as LifecycleState,
    });
  }

  async function flush() {
    if (pending.length) await (patched('local-record') ? local : acts).recordLifecycle(pending.splice(0));
  }

  /** Brings stages, colours and matters up to the workflow clock. */
  async function evaluate() {
    const now = nowMs();
    for (const [i, st] of state.stages.entries()) {
      const begins = state.stages.slice(0, i).every(settled) || (!!st.startsAt && now >= Date.parse(st.startsAt));
      if (st.state === 'pending' && begins) {
        st.state = 'active';
        st.activatedAt = iso(now);
        record('stage_activated', { details: { stage: st.stage } });
      }
    }
    for (const st of state.stages) {
      const colour = colourOf(st, now);
      if (colour !== st.colour) {
        const from = st.colour;
        st.colour = colour;
        if (colour) record('colour_changed', { details: { stage: st.stage, from, to: colour } });
      }
      if (colour === 'red' && !st.scheduleBlockerId) {
        const blockerId = uuid4();
        await flush();
        await acts.openMatter({ kind: 'schedule', blockerId, projectId: input.projectId, stage: st.stage, dueOn: st.dueOn, at: iso(now) });
        st.scheduleBlockerId = blockerId;
        record('schedule_blocker_opened', { details: { stage: st.stage, blockerId } });
      } else if (colour !== 'red' && st.scheduleBlockerId) {
        await closeScheduleMatter(st, st.state === 'done' ? `${STAGE_NAMES[st.stage].zh}阶段已完成` : `计划调整后${STAGE_NAMES[st.stage].zh}阶段不再逾期`);
      }
    }
    const start = state.stages.find((s) => s.stage === 'start')!;
    if (!settled(start) && now >= Date.parse(start.dueAt) && !state.lateStartBlockerId) {
      const blockerId = uuid4();
      await flush();
      await acts.openMatter({ kind: 'late_start', blockerId, projectId: input.projectId, stage: 'start', dueOn: start.dueOn, at: iso(now) });
      state.lateStartBlockerId = blockerId;
      record('late_start', { details: { blockerId, committedStartOn: start.dueOn } });
    }
    if (state.stages.every(settled) && !state.completedAt) {
      state.completedAt = iso(now);
      record('completed');
    }
  }

  async function closeScheduleMatter(st: StageStatus, reason: string) {
    const blockerId = st.scheduleBlockerId!;
    await flush();
    await acts.resolveMatter({ blockerId, reason });
    st.scheduleBlockerId = null;
    record('schedule_blocker_resolved', { reason, details: { stage: st.stage, blockerId } });
  }

  /** The next instant at which something changes by itself (a stage begins, a colour turns), or null. */
  function nextBoundary(now: number): number | null {
    const times: number[] = [];
    for (const st of state.stages) {
      if (st.state === 'pending' && st.startsAt) times.push(Date.parse(st.startsAt));
      if (st.state === 'active') times.push(Date.parse(st.warnAt), Date.parse(st.dueAt));
      if (st.stage === 'start' && !settled(st) && !state.lateStartBlockerId) times.push(Date.parse(st.dueAt));
    }
    const future = times.filter((t) => t > now);
    return future.length ? Math.min(...future) : null;
  }

  function applyPlan(plan: StagePlan[]) {
    for (const p of plan) {
      const st = state.stages.find((s) => s.stage === p.stage)!;
      if (settled(st)) continue;
      Object.assign(st, { dueOn: p.dueOn, dueAt: p.dueAt, warnAt: p.warnAt, startsOn: p.startsOn ?? null, startsAt: p.startsAt ?? null });
      if (p.notApplicable) Object.assign(st, { state: 'n/a', notApplicable: p.notApplicable, colour: null });
    }
    state.revision++;
  }

  async function markDone(st: StageStatus, done: { completedOn: string; evidence: StageStatus['evidence'] }, actor: LifecycleActor, reason: string | null) {
    Object.assign(st, { state: 'done', doneAt: nowIso(), completedOn: done.completedOn, evidence: done.evidence, reported: null, colour: null });
    record('stage_done', { actor, reason, details: { stage: st.stage, completedOn: done.completedOn, evidence: done.evidence } });
    if (st.scheduleBlockerId) await closeScheduleMatter(st, `${STAGE_NAMES[st.stage].zh}阶段已完成`);
  }

  async function apply(cmd: LifecycleCommand) {
    const actor = cmd.actor;
    const st = 'stage' in cmd ? state.stages.find((s) => s.stage === cmd.stage)! : null;
    switch (cmd.action) {
      case 'reportCompletion': {
        const done = { completedOn: cmd.completedOn, evidence: cmd.evidence };
        if (state.confirmCompletion && !actor.office) {
          st!.reported = { by: actor.personId ?? '', byName: actor.name, at: nowIso(), ...done, note: cmd.note };
          record('completion_reported', { actor, reason: cmd.note || null, details: { stage: cmd.stage, ...done } });
        } else await markDone(st!, done, actor, cmd.note || null);
        break;
      }
      case 'confirmCompletion': {
        const reported = st!.reported!;
        if (cmd.accept) await markDone(st!, reported, actor, cmd.reason || null);
        else {
          st!.reported = null;
          record('completion_returned', { actor, reason: cmd.reason, details: { stage: cmd.stage } });
        }
        break;
      }
      case 'markNotApplicable':
        Object.assign(st!, { state: 'n/a', notApplicable: cmd.reason.trim(), colour: null, reported: null });
        record('stage_not_applicable', { actor, reason: cmd.reason, details: { stage: cmd.stage } });
        if (st!.scheduleBlockerId) await closeScheduleMatter(st!, `${STAGE_NAMES[st!.stage].zh}阶段不适用`);
        break;
      case 'requestReplan':
        state.pendingReplan = { id: cmd.requestId, plan: cmd.plan, reason: cmd.reason, requestedBy: actor.personId, requestedByName: actor.name, requestedAt: nowIso() };
        record('replan_requested', { actor, reason: cmd.reason, details: { requestId: cmd.requestId, plan: cmd.plan } });
        break;
      case 'decideReplan': {
        const request = state.pendingReplan!;
        state.pendingReplan = null;
        if (cmd.grant) {
          const before = planOf(state.stages);
          applyPlan(request.plan);
          record('replan_granted', {
            actor,
            reason: cmd.reason || null,
            details: { requestId: request.id, revision: state.revision, before, plan: planOf(state.stages), request },
          });
        } else record('replan_refused', { actor, reason: cmd.reason, details: { requestId: request.id } });
        break;
      }
      case 'setPlan': {
        const before = planOf(state.stages);
        applyPlan(cmd.plan);
        if (cmd.confirmCompletion !== undefined) state.confirmCompletion = cmd.confirmCompletion;
        record('plan_set', { actor, reason: cmd.reason, details: { revision: state.revision, before, plan: planOf(state.stages) } });
        break;
      }
    }
    await evaluate();
  }

  setHandler(lifecycleStateQuery, () => state);
  setHandler(lifecycleOpenedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  const act = (cmd: LifecycleCommand) =>
    exclusive(async () => {
      const refused = lifecycleRefusal(cmd, state); // again, now that the lock is held
      if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.en, details: [refused.zh] });
      await apply(cmd);
      return state;
    });
  setHandler(
    lifecycleActUpdate,
    // Open: straight for the lock, in arrival order (before a timer of the same activation re-decides).
    // Not yet open: after the start-up, which holds the lock from the first activation on.
    async (cmd) => {
      if (hardened && !opened) await condition(() => opened);
      return act(cmd);
    },
    {
      validator: (cmd) => {
        const refused = lifecycleRefusal(cmd, state);
        if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.en, details: [refused.zh] });
      },
    },
  );

  await exclusive(async () => {
    // A continued run starts where the last left off: nothing to record but what the clock changed since.
    if (!input.carried) record('plan_set', { actor: input.setBy, reason: input.reason, details: { revision: 1, plan: planOf(state.stages) } });
    await evaluate();
    await flush(); // recorded before the opened update answers, so the API's next read sees it
    opened = true;
  });

  while (!state.completedAt) {
    // Between changes, never inside one: the next run gets the state and numbering as they stand.
    if (hardened && timeToContinue(input.continueAsNewAfter)) await continueWhenIdle<[LifecycleInput]>(() => [{ ...input, carried: { seq, state } }]);
    // A timer chosen here fires `evaluate`, which decides again, inside the lock, on the state as it is then.
    if (!(await changes.next(nextBoundary(nowMs())))) await exclusive(evaluate);
  }
  await condition(allHandlersFinished);
  return state;
}

/** The colour of an active stage by its own warning time (the plan carries it, computed by the API). */
function colourOf(st: StageStatus, now: number) {
  return stageColour(st, now);
}

function planOf(stages: StageStatus[]): StagePlan[] {
  return stages.map(({ stage, dueOn, dueAt, warnAt, startsOn, startsAt, notApplicable }) => ({
    stage,
    dueOn,
    dueAt,
    warnAt,
    startsOn: startsOn ?? null,
    startsAt: startsAt ?? null,
    notApplicable: notApplicable ?? null,
  }));
}
