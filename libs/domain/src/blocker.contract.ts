/**
 * Messages of the blocker escalation workflow, shared by the workflow and the
 * API so both speak the same names and types.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { BlockerCommand, BlockerState, ResolveCommand } from './blocker';

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
