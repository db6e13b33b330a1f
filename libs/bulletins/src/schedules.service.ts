import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, type RequestContext } from '../../identity/src/context';
import { temporalCall } from '../../temporal/src/calls';

/** The recurring jobs, each a Temporal Schedule starting one workflow (no scheduler of our own). */
export const SCHEDULES = {
  'weekly-bulletin': { workflow: 'weeklyBulletin', name: { zh: '每周排序与通报', en: 'weekly ranking and bulletin' }, cron: (c: DubanConfig) => c.DUBAN_BULLETIN_CRON },
  'investment-check': { workflow: 'investmentCheck', name: { zh: '每月投资进度检查', en: 'monthly investment check' }, cron: (c: DubanConfig) => c.DUBAN_INVESTMENT_CHECK_CRON },
} as const;
export type ScheduleKey = keyof typeof SCHEDULES;
export const SCHEDULE_KEYS = Object.keys(SCHEDULES) as ScheduleKey[];

const scheduleId = (key: ScheduleKey) => `duban-${key}`;
/**
 * Temporal keeps a cron as calendar specs, so the expression as given is kept in the schedule's note,
 * on its first line; the note of the last pause or resume (pause/unpause replace the whole note) follows.
 */
const noteOf = (cron: string | null, text?: string | null) => [`cron: ${cron ?? ''}`, ...(text ? [text] : [])].join('\n');
const noteParts = (note: string | undefined) => {
  const [first, ...rest] = (note ?? '').split('\n');
  return { cron: /^cron: (.+)$/.exec(first)?.[1] ?? null, text: rest.join('\n') || null };
};

@Injectable()
export class SchedulesService {
  private readonly logger = new Logger('Schedules');

  constructor(
    private readonly temporal: Client,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Creates the schedules that do not exist yet; one the project office changed is left as it is. */
  async ensure(): Promise<void> {
    for (const key of SCHEDULE_KEYS) {
      const s = SCHEDULES[key];
      try {
        await this.temporal.schedule.create({
          scheduleId: scheduleId(key),
          spec: { cronExpressions: [s.cron(this.cfg)], timezone: this.cfg.DUBAN_TIME_ZONE },
          action: { type: 'startWorkflow', workflowType: s.workflow, taskQueue: this.cfg.TEMPORAL_TASK_QUEUE, args: [] },
          // A run missed while everything was down is made up within a day, once.
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
          memo: { description: s.name.en },
          state: { note: noteOf(s.cron(this.cfg)) },
        });
        this.logger.log(`created schedule ${scheduleId(key)} (${s.cron(this.cfg)} ${this.cfg.DUBAN_TIME_ZONE})`);
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      }
    }
  }

  async describe(key: ScheduleKey) {
    const d = await temporalCall(this.temporal, () => this.handle(key).describe()).catch(notFound(key));
    const note = noteParts(d.state.note);
    return {
      key,
      name: SCHEDULES[key].name,
      cron: note.cron,
      timeZone: d.spec.timezone ?? this.cfg.DUBAN_TIME_ZONE,
      paused: d.state.paused,
      /** Why it was last paused or resumed (the project office's note), if ever. */
      note: note.text,
      nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      recentRuns: d.info.recentActions
        .slice(-5)
        .map((a) => ({ scheduledAt: a.scheduledAt.toISOString(), takenAt: a.takenAt.toISOString(), workflowId: a.action.workflow.workflowId })),
    };
  }

  async list() {
    return Promise.all(SCHEDULE_KEYS.map((k) => this.describe(k)));
  }

  /** A new time (a cron in the organisation's zone); Temporal checks it, and a bad one changes nothing (nor is audited). */
  async reschedule(ctx: RequestContext, key: ScheduleKey, cron: string) {
    const before = await this.describe(key);
    try {
      await this.ds.transaction(async (em) => {
        await this.audit.record(em, {
          actor: auditActorOf(ctx.actor),
          action: 'schedule.reschedule',
          targetType: 'schedule',
          targetId: key,
          before: { cron: before.cron },
          after: { cron },
          reason: null,
          requestId: ctx.requestId,
        });
        await temporalCall(this.temporal, () =>
          this.handle(key).update((prev) => ({
            ...prev,
            spec: { cronExpressions: [cron], timezone: this.cfg.DUBAN_TIME_ZONE },
            state: { ...prev.state, note: noteOf(cron, noteParts(prev.state.note).text) },
          })),
        );
      });
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw notFoundError(key);
      if (err instanceof Error && /invalid|cron|parse/i.test(err.message)) {
        throw new DomainError(
          DomainErrorCode.Invalid,
          `时间表达式无效：${cron}（cron格式，如“30 8 * * MON”表示每周一8:30）`,
          `Invalid cron expression: ${cron} (e.g. "30 8 * * MON")`,
        );
      }
      throw err;
    }
    return this.describe(key);
  }

  /** Runs it now, besides its times. */
  async trigger(key: ScheduleKey): Promise<void> {
    await temporalCall(this.temporal, () => this.handle(key).trigger(ScheduleOverlapPolicy.ALLOW_ALL)).catch(notFound(key));
  }

  /**
   * Pauses (no runs until resumed; a manual trigger still runs) or resumes a schedule, with the office's
   * note kept on the schedule and the change audited with it as the reason. The audit row commits only
   * if Temporal took the change. Pausing a paused schedule (or resuming a running one) is refused.
   */
  async setPaused(ctx: RequestContext, key: ScheduleKey, paused: boolean, reason: string) {
    const before = await this.describe(key);
    if (before.paused === paused) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        paused ? `定时任务已暂停：${SCHEDULES[key].name.zh}` : `定时任务未暂停：${SCHEDULES[key].name.zh}`,
        paused ? `The schedule ${key} is already paused` : `The schedule ${key} is not paused`,
      );
    }
    const note = noteOf(before.cron, reason);
    await this.ds.transaction(async (em) => {
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: paused ? 'schedule.pause' : 'schedule.resume',
        targetType: 'schedule',
        targetId: key,
        before: { paused: before.paused, note: before.note },
        after: { paused, note: reason },
        reason,
        requestId: ctx.requestId,
      });
      await temporalCall(this.temporal, () => (paused ? this.handle(key).pause(note) : this.handle(key).unpause(note))).catch(notFound(key));
    });
    return this.describe(key);
  }

  private handle(key: ScheduleKey) {
    return this.temporal.schedule.getHandle(scheduleId(key));
  }
}

const notFoundError = (key: ScheduleKey) =>
  new DomainError(DomainErrorCode.NotFound, `定时任务尚未建立：${key}（工作进程启动时建立）`, `Schedule ${key} does not exist yet (the worker creates it at start-up)`);
const notFound =
  (key: ScheduleKey) =>
  (err: unknown): never => {
    if (err instanceof ScheduleNotFoundError) throw notFoundError(key);
    throw err;
  };
