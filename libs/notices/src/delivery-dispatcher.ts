import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';

/** The delivery workflow's id: one per delivery, so Temporal itself refuses a second start. */
export const deliveryWorkflowId = (deliveryId: string) => `delivery-${deliveryId}`;
/** A retry from the dead-letter list runs under a new id: the first run has ended (dead). */
export const retryWorkflowId = (deliveryId: string, n: number) => `delivery-${deliveryId}-retry-${n}`;

/** Undispatched deliveries older than this are the sweep's (the relay's NOTIFY was lost: a crash between commit and start). */
export const SWEEP_AFTER_MS = 10_000;

/**
 * Starts the delivery workflow of an outbox row and records that it did
 * (dispatched_at). Safe to call twice or from two processes: the workflow id
 * is the delivery's and a second start is refused by Temporal and taken as done.
 * Its public methods are activities too (the sweep's schedule calls dispatchPending).
 */
@Injectable()
export class DeliveryDispatcher {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /**
   * Starts the delivery's workflow unless it is dispatched already; true when
   * this call started it. The id is delivery-<id>, or delivery-<id>-retry-<n>
   * after the office's n-th retry from the dead-letter list.
   */
  async dispatch(deliveryId: string): Promise<boolean> {
    const [d]: { not_before: Date; dispatched_at: Date | null; retries: number; max_attempts: number }[] = await this.ds.query(
      `SELECT d.not_before, d.dispatched_at, d.retries, (SELECT max_attempts FROM notice_settings WHERE id = 1) AS max_attempts FROM delivery d WHERE d.id = $1`,
      [deliveryId],
    );
    if (!d || d.dispatched_at) return false;
    let started = true;
    try {
      await this.temporal.workflow.start('noticeDelivery', {
        workflowId: d.retries ? retryWorkflowId(deliveryId, d.retries) : deliveryWorkflowId(deliveryId),
        taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
        args: [{ deliveryId, notBefore: new Date(d.not_before).toISOString(), maxAttempts: d.max_attempts ?? 8 }],
        // A second start (the relay and the sweep both, or two workers) is refused by Temporal: taken as done.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      started = false;
    }
    await this.ds.query(`UPDATE delivery SET dispatched_at = COALESCE(dispatched_at, now()) WHERE id = $1 AND retries = $2`, [deliveryId, d.retries]);
    return started;
  }

  /** The sweep: every delivery whose NOTIFY went unheard (older than 10 s and not dispatched) is started now. */
  async dispatchPending(): Promise<{ dispatched: number }> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM delivery WHERE dispatched_at IS NULL AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 500`,
      [SWEEP_AFTER_MS / 1000],
    );
    let dispatched = 0;
    for (const r of rows) if (await this.dispatch(r.id)) dispatched++;
    return { dispatched };
  }
}
