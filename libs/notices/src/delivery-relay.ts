import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { NOTICE_DIGEST_WORKFLOW_ID } from './digest.activities';

export const DELIVERY_CHANNEL = 'duban_delivery';
export const DELIVERY_SWEEP_SCHEDULE_ID = 'duban-delivery-sweep';

/**
 * The outbox's relay, in the worker process (no scheduler of our own):
 * LISTENs on duban_delivery (a trigger NOTIFYs each new delivery at its
 * commit) on a dedicated connection and starts each delivery's workflow; a
 * Temporal Schedule runs the sweep every minute for what a lost notification
 * or a crash between commit and start left behind. It also makes sure the
 * morning digest's workflow runs.
 */
@Injectable()
export class DeliveryRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeliveryRelay');
  private pg: PgClient | null = null;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dispatcher: DeliveryDispatcher,
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.startListening();
    await this.ensureSweep();
    await this.ensureDigest();
    // What was written while no worker listened (its NOTIFY went unheard) goes now, not at the sweep's next minute.
    this.dispatcher.dispatchPending().catch((err) => this.logger.warn(`startup sweep failed (the schedule will retry): ${err}`));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.pg?.end().catch(() => undefined);
  }

  /** LISTEN and start each new delivery's workflow (public for tests on the time-skipping server, which has no schedules). */
  async startListening(): Promise<void> {
    const pg = new PgClient({ connectionString: this.cfg.DATABASE_URL });
    pg.on('notification', (m) => {
      if (m.channel !== DELIVERY_CHANNEL || !m.payload) return;
      this.dispatcher.dispatch(m.payload).catch((err) => this.logger.warn(`delivery ${m.payload} not started (the sweep will): ${err}`));
    });
    pg.on('error', (err) => this.reconnect(pg, err));
    pg.on('end', () => this.reconnect(pg, new Error('connection ended')));
    try {
      await pg.connect();
      await pg.query(`LISTEN ${DELIVERY_CHANNEL}`);
      this.pg = pg;
    } catch (err) {
      this.reconnect(pg, err);
    }
  }

  /** A lost connection is replaced after a second; meanwhile the sweep covers what is missed. */
  private reconnect(pg: PgClient, err: unknown): void {
    if (this.stopped || this.reconnectTimer || (this.pg && this.pg !== pg)) return;
    this.logger.warn(`LISTEN ${DELIVERY_CHANNEL} lost (${err}); reconnecting`);
    this.pg = null;
    pg.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) void this.startListening().then(() => this.dispatcher.dispatchPending().catch(() => undefined));
    }, 1000);
  }

  private async ensureSweep(): Promise<void> {
    try {
      await this.temporal.schedule.create({
        scheduleId: DELIVERY_SWEEP_SCHEDULE_ID,
        spec: { intervals: [{ every: '1 minute' }] },
        action: { type: 'startWorkflow', workflowType: 'deliverySweep', taskQueue: this.cfg.TEMPORAL_TASK_QUEUE, args: [] },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
        memo: { description: 'starts outbox deliveries whose notification was missed' },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }

  private async ensureDigest(): Promise<void> {
    await this.temporal.workflow.start('noticeDigest', {
      workflowId: NOTICE_DIGEST_WORKFLOW_ID,
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      args: [],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}
