import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DUBAN_CONFIG, DubanConfig } from '../../../libs/config/src';
import { EscalationActivities } from '../../../libs/escalation/src/escalation.activities';
import { ApprovalActivities } from '../../../libs/approvals/src/approval.activities';
import { BulletinActivities } from '../../../libs/bulletins/src/bulletin.activities';
import { SchedulesService } from '../../../libs/bulletins/src/schedules.service';
import { LifecycleActivities } from '../../../libs/lifecycle/src/lifecycle.activities';
import { DataSource } from 'typeorm';
import { classifyingFailures } from '../../../libs/temporal/src/activity-failures';
import { stuckWorkInterceptors } from '../../../libs/stuck-work/src/stuck-work.interceptor';
import { BackgroundJobActivities } from '../../../libs/background-jobs/src/background-job.activities';
import { OutboxActivities } from '../../../libs/notices/src/outbox.module';
import { workflowCode } from './workflow-bundle';

/**
 * Binds an injectable's public methods into Temporal's activity map, each
 * wrapped once here so that a domain refusal or a data error is non-retryable
 * for every activity class (libs/temporal/src/activity-failures.ts).
 */
export function activitiesOf(...providers: object[]): Record<string, (...args: never[]) => Promise<unknown>> {
  const map: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const provider of providers) {
    // Public methods along the class chain (a version's activities may live in a base class).
    for (let proto = Object.getPrototypeOf(provider); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const fn = (provider as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof fn !== 'function' || map[name]) continue;
        map[name] = classifyingFailures((fn as (...args: never[]) => Promise<unknown>).bind(provider));
      }
    }
  }
  return map;
}

/** The worker's slots, pollers and cache from configuration (README, "Where one machine is not enough"). */
export function workerSizing(cfg: DubanConfig) {
  return {
    maxConcurrentWorkflowTaskExecutions: cfg.WORKER_WORKFLOW_TASK_SLOTS,
    maxConcurrentActivityTaskExecutions: cfg.WORKER_ACTIVITY_SLOTS,
    maxConcurrentLocalActivityExecutions: cfg.WORKER_LOCAL_ACTIVITY_SLOTS,
    workflowTaskPollerBehavior: { type: 'simple-maximum' as const, maximum: cfg.WORKER_WORKFLOW_POLLERS },
    activityTaskPollerBehavior: { type: 'simple-maximum' as const, maximum: cfg.WORKER_ACTIVITY_POLLERS },
    ...(cfg.WORKER_MAX_CACHED_WORKFLOWS > 0 && { maxCachedWorkflows: cfg.WORKER_MAX_CACHED_WORKFLOWS }),
    stickyQueueScheduleToStartTimeout: cfg.WORKER_STICKY_TIMEOUT_SECONDS * 1000,
  };
}

/** Runs the Temporal worker inside the Nest application context. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Worker');
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
    private readonly escalation: EscalationActivities,
    private readonly lifecycle: LifecycleActivities,
    private readonly bulletins: BulletinActivities,
    private readonly approvals: ApprovalActivities,
    private readonly schedules: SchedulesService,
    private readonly ds: DataSource,
    private readonly jobs: BackgroundJobActivities,
    private readonly outbox: OutboxActivities,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = await NativeConnection.connect({ address: this.cfg.TEMPORAL_ADDRESS });
    this.worker = await Worker.create({
      connection,
      namespace: this.cfg.TEMPORAL_NAMESPACE,
      taskQueue: this.cfg.TEMPORAL_TASK_QUEUE,
      ...workflowCode(),
      activities: activitiesOf(this.escalation, this.lifecycle, this.bulletins, this.approvals, this.jobs, ...this.outbox.all()),
      interceptors: stuckWorkInterceptors(this.ds),
      ...workerSizing(this.cfg),
    });
    this.running = this.worker.run().finally(() => connection.close());
    this.running.catch((err) => {
      this.logger.error(`worker stopped: ${err}`);
      process.exitCode = 1;
    });
    // The weekly bulletin and the monthly investment check run on Temporal Schedules; created once, then the office's to change.
    await this.schedules.ensure();
    this.logger.log(`polling task queue ${this.cfg.TEMPORAL_TASK_QUEUE} on ${this.cfg.TEMPORAL_ADDRESS}`);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
  }
}
