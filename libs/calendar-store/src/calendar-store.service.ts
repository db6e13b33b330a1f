import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { Calendar, createCalendar, type CalendarAmendment } from '../../calendar/src';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { CalendarAmendmentRow, CalendarNoticeYear } from './calendar-day.entity';

export type CalendarChange = { dates: string[]; years: number[] };
export type CalendarListener = (c: CalendarChange, ctx: RequestContext) => Promise<string | void>;
const TTL_MS = 30_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The organisation's working-day calendar: the bundled State Council data,
 * plus what the project office has amended or loaded (a local day off, next
 * year's notice). Office hours and close of business are the library's
 * defaults (09:00–12:00, 13:30–18:00; 18:00); the time zone is DUBAN_TIME_ZONE.
 *
 * Cached per process for 30 s, and re-read at once after this process's own
 * writes: a change made through another API process reaches this one within
 * the TTL.
 */
@Injectable()
export class CalendarStore {
  private readonly logger = new Logger('Calendar');
  private cached: { at: number; calendar: Calendar } | null = null;
  private readonly listeners: CalendarListener[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** `fresh`: read the data now (after a change made by another process). */
  async current(fresh = false): Promise<Calendar> {
    if (!fresh && this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.calendar;
    const d = await this.data();
    const calendar = createCalendar({ settings: { timeZone: this.cfg.DUBAN_TIME_ZONE }, amendments: d.amendments, noticeYears: d.noticeYears });
    this.cached = { at: Date.now(), calendar };
    return calendar;
  }

  async data(): Promise<{ amendments: CalendarAmendment[]; noticeYears: number[] }> {
    const [rows, years] = await Promise.all([
      this.ds.getRepository(CalendarAmendmentRow).find({ order: { date: 'ASC' } }),
      this.ds.getRepository(CalendarNoticeYear).find({ order: { year: 'ASC' } }),
    ]);
    return { amendments: rows.map((r) => ({ date: r.date, kind: r.kind, note: r.note })), noticeYears: years.map((y) => y.year) };
  }

  /** A listener answers with the id of the background job it started (BackgroundJobsService: open matters recomputed). */
  onChange(listener: CalendarListener): void {
    this.listeners.push(listener);
  }

  /** A local day off or an extra working day. */
  async amend(ctx: RequestContext, a: { date: string; kind: 'off' | 'work'; note: string; reason: string }): Promise<CalendarAmendment & { recomputeJobId: string | null }> {
    if (!DATE.test(a.date) || Number.isNaN(Date.parse(a.date))) throw invalid(`日期格式不正确：${a.date}`, `Not a date: ${a.date}`);
    const cal = await this.current();
    if (await this.ds.getRepository(CalendarAmendmentRow).existsBy({ date: a.date })) throw conflict(`该日已有调整：${a.date}`, `${a.date} is already amended`);
    if (cal.isWorkingDay(a.date) === (a.kind === 'work')) {
      throw invalid(`${a.date}本来就是${a.kind === 'work' ? '工作日' : '休息日'}，无需调整`, `${a.date} is already a ${a.kind === 'work' ? 'working day' : 'day off'}`);
    }
    await this.ds.transaction(async (em) => {
      await em.insert(CalendarAmendmentRow, { date: a.date, kind: a.kind, note: a.note, createdBy: personOf(ctx) });
      await this.audit.record(em, { actor: auditActorOf(ctx.actor), action: 'calendar.amend', targetType: 'calendar', targetId: a.date, after: { kind: a.kind, note: a.note }, reason: a.reason, requestId: ctx.requestId });
    });
    const recomputeJobId = await this.changed({ dates: [a.date], years: [] }, ctx);
    return { date: a.date, kind: a.kind, note: a.note, recomputeJobId };
  }

  async removeAmendment(ctx: RequestContext, date: string, reason: string): Promise<void> {
    const row = await this.ds.getRepository(CalendarAmendmentRow).findOneBy({ date });
    if (!row) throw DomainError.notFound({ zh: '日历调整', en: 'Calendar amendment' }, date);
    await this.ds.transaction(async (em) => {
      await em.delete(CalendarAmendmentRow, { date });
      await this.audit.record(em, { actor: auditActorOf(ctx.actor), action: 'calendar.amendment_remove', targetType: 'calendar', targetId: date, before: { kind: row.kind, note: row.note }, reason, requestId: ctx.requestId });
    });
    await this.changed({ dates: [date], years: [] }, ctx);
  }

  /** A year's State Council notice: its days off and adjusted working days, in one go; the year stops being provisional. */
  async loadNoticeYear(ctx: RequestContext, n: { year: number; note: string; days: { date: string; kind: 'off' | 'work'; note?: string }[]; reason: string }): Promise<{ year: number; days: number; recomputeJobId: string | null }> {
    if (await this.ds.getRepository(CalendarNoticeYear).existsBy({ year: n.year })) throw conflict(`${n.year}年的放假安排已载入`, `The notice for ${n.year} is already loaded`);
    const outside = n.days.filter((d) => !DATE.test(d.date) || !d.date.startsWith(`${n.year}-`));
    if (outside.length) throw invalid(`以下日期不属于${n.year}年：${outside.map((d) => d.date).join('、')}`, `Not in ${n.year}: ${outside.map((d) => d.date).join(', ')}`);
    if ((await this.current()).coverage().years.includes(n.year)) throw conflict(`${n.year}年的放假安排已包含在内置数据中`, `${n.year} is already in the bundled data`);
    await this.ds.transaction(async (em) => {
      for (const d of n.days) await em.upsert(CalendarAmendmentRow, { date: d.date, kind: d.kind, note: d.note ?? n.note, createdBy: personOf(ctx) }, ['date']);
      await em.insert(CalendarNoticeYear, { year: n.year, note: n.note, createdBy: personOf(ctx) });
      await this.audit.record(em, { actor: auditActorOf(ctx.actor), action: 'calendar.notice_load', targetType: 'calendar', targetId: String(n.year), after: { note: n.note, days: n.days }, reason: n.reason, requestId: ctx.requestId });
    });
    const recomputeJobId = await this.changed({ dates: n.days.map((d) => d.date), years: [n.year] }, ctx);
    return { year: n.year, days: n.days.length, recomputeJobId };
  }

  /**
   * The change is committed; open matters follow it in a durable background
   * job (its id returned, its progress at /api/background-jobs/{id}). A job
   * that cannot be started is logged: the calendar change itself stands.
   */
  private async changed(c: CalendarChange, ctx: RequestContext): Promise<string | null> {
    this.cached = null;
    let jobId: string | null = null;
    for (const l of this.listeners) {
      jobId = (await l(c, ctx).catch((err) => void this.logger.error(`calendar listener failed: ${err}`))) ?? jobId;
    }
    return jobId;
  }
}

const personOf = (ctx: RequestContext) => (ctx.actor.kind === 'person' ? ctx.actor.personId : null);
const invalid = (zh: string, en: string) => new DomainError(DomainErrorCode.Invalid, zh, en);
const conflict = (zh: string, en: string) => new DomainError(DomainErrorCode.Conflict, zh, en);
