import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activitiesOf } from '../../apps/worker/src/worker.service';
import { ApprovalActivities } from '../../libs/approvals/src/approval.activities';
import { AuditService } from '../../libs/audit/src/audit.service';
import { CalendarStore } from '../../libs/calendar-store/src/calendar-store.service';
import { type DubanConfig, loadConfig } from '../../libs/config/src';
import { Blocker } from '../../libs/escalation/src/blocker.entity';
import { BlockerEvent } from '../../libs/escalation/src/blocker-event.entity';
import { BlockersService } from '../../libs/escalation/src/blockers.service';
import { EscalationActivities } from '../../libs/escalation/src/escalation.activities';
import { EscalationPolicy } from '../../libs/escalation/src/escalation-policy.entity';
import { Ladder } from '../../libs/escalation/src/ladder.entity';
import { PoliciesService } from '../../libs/escalation/src/policies.service';
import { LifecycleActivities } from '../../libs/lifecycle/src/lifecycle.activities';
import { LifecycleService } from '../../libs/lifecycle/src/lifecycle.service';
import { Project } from '../../libs/projects/src/project.entity';
import { stuckWorkInterceptors } from '../../libs/stuck-work/src/stuck-work.interceptor';
import type { TestDatabase } from './db';
import { testBundle } from './temporal';
import { BackgroundJobActivities } from '../../libs/background-jobs/src/background-job.activities';
import { BackgroundJobsService } from '../../libs/background-jobs/src/background-jobs.service';
import { DeliveryActivities } from '../../libs/notices/src/delivery.activities';
import { DeliveryDispatcher } from '../../libs/notices/src/delivery-dispatcher';
import { DigestActivities } from '../../libs/notices/src/digest.activities';

export interface TestWorker {
  cfg: DubanConfig;
  audit: AuditService;
  calendar: CalendarStore;
  lifecycle: LifecycleService;
  lifecycleActivities: LifecycleActivities;
  approvalActivities: ApprovalActivities;
  /** Background jobs, listening to calendar changes as in the API. */
  jobs: BackgroundJobsService;
  stop(): Promise<void>;
}

/**
 * A worker on the time-skipping server with every real activity, wired as the
 * worker app wires them (escalation, lifecycle, approvals), over a test database;
 * matters the workflows open are started through the test server's client.
 */
export async function startTestWorker(db: TestDatabase, env: TestWorkflowEnvironment, taskQueue: string, zone = 'Asia/Shanghai'): Promise<TestWorker> {
  const cfg = loadConfig({ DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: taskQueue, DUBAN_TIME_ZONE: zone });
  const audit = new AuditService(db.ds);
  const calendar = new CalendarStore(db.ds, audit, cfg);
  const policies = new PoliciesService(db.ds.getRepository(EscalationPolicy), db.ds.getRepository(Ladder), db.ds, audit);
  const blockers = new BlockersService(db.ds.getRepository(Blocker), db.ds.getRepository(BlockerEvent), policies, db.ds.getRepository(Project), env.client, cfg, calendar);
  const lifecycleActivities = new LifecycleActivities(db.ds, audit, blockers, cfg);
  const approvalActivities = new ApprovalActivities(db.ds, audit, calendar, blockers, env.client, cfg);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code: await testBundle() },
    activities: activitiesOf(
      new EscalationActivities(db.ds, cfg, audit, calendar),
      lifecycleActivities,
      approvalActivities,
      new BackgroundJobActivities(db.ds, env.client, blockers, policies),
      // The outbox: deliveries, the digest, and the sweep (started by tests through DeliveryRelay.startListening or the dispatcher).
      new DeliveryActivities(db.ds, cfg),
      new DigestActivities(db.ds, cfg, calendar),
      new DeliveryDispatcher(db.ds, env.client, cfg),
    ),
    interceptors: stuckWorkInterceptors(db.ds),
  });
  const running = worker.run();
  const jobs = new BackgroundJobsService(db.ds, env.client, audit, calendar, policies, cfg);
  jobs.onModuleInit();
  return {
    cfg,
    audit,
    calendar,
    lifecycle: new LifecycleService(db.ds, env.client, cfg),
    lifecycleActivities,
    approvalActivities,
    jobs,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}
