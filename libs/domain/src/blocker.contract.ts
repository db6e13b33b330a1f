/**
 * Messages of the blocker escalation workflow, shared by the workflow and the
 * API so both speak the same names and types.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { BlockerState, ResolveCommand } from './blocker';

/** Waits until the report is recorded in the read model; used with update-with-start. */
export const openedUpdate = defineUpdate<BlockerState>('opened');
export const resolveUpdate = defineUpdate<BlockerState, [ResolveCommand]>('resolve');
export const stateQuery = defineQuery<BlockerState>('state');
