/**
 * Messages of the blocker escalation workflow, shared by the workflow and the
 * API so both speak the same names and types.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { BlockerCommand, BlockerState, BlockerWorkflowInput, ResolveCommand } from './blocker';
import type { LadderRung, PolicySnapshot } from './ladder';

/** Waits until the report is recorded in the read model; used with update-with-start. */
export const openedUpdate = defineUpdate<BlockerState>('opened');
/** Every action of a person on a matter (v2); validated against the live state. */
export const actUpdate = defineUpdate<BlockerState, [BlockerCommand]>('act');
/** The calendar changed (a notice loaded, a local day off): recompute the current due time. */
export const recomputeDueUpdate = defineUpdate<BlockerState, [{ reason: string }]>('recomputeDue');
/** v1 only: matters opened before v2 know this one action. */
export const resolveUpdate = defineUpdate<BlockerState, [ResolveCommand]>('resolve');
export const stateQuery = defineQuery<BlockerState>('state');
/**
 * The system resolves a matter it opened itself, once what opened it is gone
 * (the overdue stage done). A signal, so the activity sending it never waits
 * on the matter's own activities; ignored when the matter is no longer open.
 */
export const systemResolveSignal = defineSignal<[{ resolution: string }]>('systemResolve');

/**
 * What a blocker's run hands to the next when it continues as new (its
 * history kept bounded): everything the ladder needs, so the next run neither
 * records 'reported' again nor recomputes a due time, and its event numbers
 * (`seq`) continue where this run's stopped.
 */
export interface BlockerCarry {
  state: BlockerState;
  seq: number;
  policy: PolicySnapshot;
  ladder: LadderRung[];
  /** The reminder before the current due time was sent. */
  warned: boolean;
  /** The current due time was set by a person (交办时限, extension, transfer): not recomputed from the calendar. */
  dueSetByPerson: boolean;
  /** The next repeat reminder while overdue at the top rung. */
  nextRepeatAt: string | null;
}

/**
 * A run continues as new past this many history events (or when Temporal
 * suggests it). A repeat reminder costs about 12 events, so a run holds some
 * 160 repeats; Temporal's hard limit is 51,200 events.
 */
export const BLOCKER_MAX_HISTORY_EVENTS = 2_000;

/** The workflow's argument: the report, and on a continued run what the previous run carried over. */
export type BlockerRunInput = BlockerWorkflowInput & { carried?: BlockerCarry };
