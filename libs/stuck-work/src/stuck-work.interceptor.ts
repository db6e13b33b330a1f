import { Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next, WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { STUCK_AFTER_ATTEMPTS, StuckWorkStore } from './stuck-work.store';

const logger = new Logger('StuckWork');

/**
 * Makes a matter whose activity keeps failing visible instead of silently
 * wedged: from the STUCK_AFTER_ATTEMPTS-th failed attempt of a retryable
 * failure, the workflow, the activity, the attempt and the last error go into
 * stuck_activity (GET /api/admin/stuck-work, counted in GET /api/health); the
 * row goes when the activity succeeds. Best effort: a failure to record (the
 * database is what is down) is logged and never changes the activity's outcome.
 */
export class StuckWorkInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly store: StuckWorkStore,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const info = this.ctx.info;
    const key = { workflowId: info.workflowExecution?.workflowId ?? `(${info.activityId})`, activityType: info.activityType };
    try {
      const result = await next(input);
      // Only a retried activity can have a row: the first attempt's success costs nothing.
      if (info.attempt >= STUCK_AFTER_ATTEMPTS) await this.store.succeeded(key).catch((e) => logger.warn(`could not clear stuck ${key.workflowId}/${key.activityType}: ${e}`));
      return result;
    } catch (err) {
      const retryable = !(err instanceof ApplicationFailure && err.nonRetryable);
      if (retryable && info.attempt >= STUCK_AFTER_ATTEMPTS) {
        const e = err instanceof Error ? err : new Error(String(err));
        await this.store
          .failed({ ...key, workflowType: info.workflowType, attempt: info.attempt, errorType: errorType(err, e), error: e.message })
          .catch((x) => logger.warn(`could not record stuck ${key.workflowId}/${key.activityType}: ${x}`));
      }
      throw err;
    }
  }
}

function errorType(err: unknown, e: Error): string {
  if (err instanceof ApplicationFailure) return err.type ?? e.name;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${e.name} ${code}` : e.name;
}

/** The worker's interceptors: stuck-work tracking on every activity. */
export function stuckWorkInterceptors(ds: DataSource): NonNullable<WorkerOptions['interceptors']> {
  const store = new StuckWorkStore(ds);
  return { activity: [(ctx) => ({ inbound: new StuckWorkInterceptor(ctx, store) })] };
}
