/**
 * VERSION 1, kept so that histories recorded before the full ladder (v2)
 * replay exactly: blockerEscalation() runs this when `patched('ladder-v2')`
 * is false. Do not change its commands. It was:
 *
 * The escalation of one blocker (问题督办) up its ladder, as in
 * shared/design/escalation.md: it sits on rung 1 with a due time; unresolved at
 * the due time it moves up one rung; at the top rung's due time it is marked
 * overdue-at-top and waits; resolved, it stops for good.
 *
 * Deterministic: time comes from the SDK (Date.now() inside a workflow is the
 * workflow clock, replayed identically), every side effect is an activity, and
 * due instants are computed by an activity so calendar rules stay out of here.
 */
import { ApplicationFailure, allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { EscalationActivitiesV1 } from '../libs/escalation/src/escalation-v1.activities';
import type { BlockerState, BlockerWorkflowInput, ResolveCommand } from '../libs/domain/src/blocker';
import { RUNG_LABELS, isTopRung } from '../libs/domain/src/ladder';
import { mayActAtRung } from '../libs/domain/src/access';
import { openedUpdate, resolveUpdate, stateQuery } from '../libs/domain/src/blocker.contract';

const acts = proxyActivities<EscalationActivitiesV1>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function blockerEscalationV1(input: BlockerWorkflowInput): Promise<BlockerState> {
  const { rungs } = input;
  let seq = 0;
  let opened = false;
  let resolution: ResolveCommand | null = null;
  const state: BlockerState = {
    blockerId: input.blockerId,
    status: 'open',
    rungIndex: 0,
    rung: rungs[0].rung,
    dueAt: null,
    overdueAtTop: false,
  };

  setHandler(stateQuery, () => state);
  setHandler(openedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  setHandler(
    resolveUpdate,
    async (cmd) => {
      // Claim the resolution before awaiting, so a timer firing meanwhile sees it
      // and does not escalate a matter that was resolved in time.
      resolution = cmd;
      state.status = 'resolved';
      await acts.recordResolved({
        blockerId: input.blockerId,
        seq: ++seq,
        at: new Date().toISOString(), // the workflow clock, replayed identically (see the header)
        rung: state.rung,
        actor: cmd.resolvedBy,
        actorName: cmd.resolverName,
        requestId: cmd.requestId,
        resolution: cmd.resolution.trim(),
      });
      return state;
    },
    {
      validator: (cmd) => {
        if (state.status === 'resolved') {
          throw ApplicationFailure.create({
            type: 'Conflict',
            message: 'Blocker is already resolved',
            details: ['该问题已办结，不能重复办结'],
          });
        }
        // Anyone on the current rung or above may resolve (shared/design/escalation.md).
        if (
          cmd?.actorRungs &&
          !mayActAtRung(
            cmd.actorRungs,
            rungs.map((r) => r.rung),
            state.rung,
            true,
          )
        ) {
          throw ApplicationFailure.create({
            type: 'Forbidden',
            message: `Only people on the ${state.rung} rung or above may resolve this blocker`,
            details: [`该问题当前在${RUNG_LABELS[state.rung].zh}层级，只有该层级及以上人员可以办结`],
          });
        }
        if (!cmd || typeof cmd.resolution !== 'string' || cmd.resolution.trim() === '') {
          throw ApplicationFailure.create({
            type: 'Invalid',
            message: 'A resolution text is required',
            details: ['办结须填写办理结果'],
          });
        }
      },
    },
  );

  // Rung 1: the report itself.
  const reportedAt = Date.now(); // the workflow clock, not the machine's (see the header)
  state.dueAt = await acts.computeDueAt({ fromMs: reportedAt, responseTime: rungs[0].responseTime as string });
  await acts.recordReported({ input, seq: seq, at: new Date(reportedAt).toISOString(), dueAt: state.dueAt });
  opened = true;

  while (state.status === 'open') {
    const remaining = Date.parse(state.dueAt!) - Date.now(); // the workflow clock (see the header)
    // condition(fn, 0) would wait forever, so a due time already passed is checked directly.
    const resolvedInTime = remaining > 0 ? await condition(() => resolution !== null, remaining) : resolution !== null;
    if (resolvedInTime || state.status !== 'open') break;

    // The matter became due at its due instant; that is when it moved, even if
    // a worker was down and the move is recorded later.
    const at: string = state.dueAt!;
    if (isTopRung(rungs, state.rungIndex)) {
      state.overdueAtTop = true;
      await acts.recordOverdueAtTop({ blockerId: input.blockerId, seq: ++seq, at, rung: state.rung });
      await condition(() => resolution !== null);
      break;
    }
    const from = state.rung;
    const nextIndex = state.rungIndex + 1;
    const dueAt: string = await acts.computeDueAt({ fromMs: Date.parse(at), responseTime: rungs[nextIndex].responseTime as string });
    // A resolve accepted while the due time was being computed wins: nothing escalates after it.
    if (resolution !== null) break;
    state.rungIndex = nextIndex;
    state.rung = rungs[nextIndex].rung;
    state.dueAt = dueAt;
    await acts.recordEscalated({ blockerId: input.blockerId, seq: ++seq, at, fromRung: from, toRung: state.rung, dueAt });
  }

  await condition(allHandlersFinished);
  return state;
}
