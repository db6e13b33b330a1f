import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'calendar.amend',
        targetType: 'calendar',
        targetId: a.date,
        after: { kind: a.kind, note: a.note },
        reason: a.reason,
        requestId: ctx.requestId,
      });
    });
    const recomputeJobId = await this.changed({ dates: [a.date], years: [] }, ctx);
    return { date: a.date, kind: a.kind, note: a.note, recomputeJobId };
  }

  async removeAmendment(ctx: RequestContext, date: string, reason: string): Promise<void> {
    const row = await this.ds.getRepository(CalendarAmendmentRow).findOneBy({ date });
    if (!row) throw DomainError.notFound({ zh: '日历调整', en: 'Calendar amendment' }, date);
    await this.ds.transaction(async (em) => {
      await em.delete(CalendarAmendmentRow, { date });
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'calendar.amendment_remove',
        targetType: 'calendar',
        targetId: date,
        before: { kind: row.kind, note: row.note },
        reason,
        requestId: ctx.requestId,
      });
    });
    await this.changed({ dates: [date], years: [] }, ctx);
  }

  /** A year's State Council notice: its days off and adjusted working days, in one go; the year stops being provisional. */
  async loadNoticeYear(ctx: RequestContext, n: NoticeInput & { year: number }): Promise<{ year: number; days: number; recomputeJobId: string | null }> {
    if (await this.ds.getRepository(CalendarNoticeYear).existsBy({ year: n.year })) {
      throw conflict(`${n.year}年的放假安排已载入；如需更正，请使用替换（PUT）`, `The notice for ${n.year} is already loaded; replace it with PUT to correct it`);
    }
    checkDays(n.year, n.days);
    if ((await this.current()).coverage().years.includes(n.year)) throw conflict(`${n.year}年的放假安排已包含在内置数据中`, `${n.year} is already in the bundled data`);
    await this.ds.transaction(async (em) => {
      await em.insert(CalendarNoticeYear, { year: n.year, note: n.note, createdBy: personOf(ctx) });
      await this.writeDays(em, ctx, n.year, n);
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'calendar.notice_load',
        targetType: 'calendar',
        targetId: String(n.year),
        after: { note: n.note, days: n.days },
        reason: n.reason,
        requestId: ctx.requestId,
      });
    });
    const recomputeJobId = await this.changed({ dates: n.days.map((d) => d.date), years: [n.year] }, ctx);
    return { year: n.year, days: n.days.length, recomputeJobId };
  }

  /** Corrects a loaded notice: its days are replaced by these, in one go; the office's own amendments stay. */
  async replaceNoticeYear(ctx: RequestContext, year: number, n: NoticeInput): Promise<{ year: number; days: number; recomputeJobId: string | null }> {
    checkDays(year, n.days);
    const before = await this.ds.transaction(async (em) => {
      const old = await this.lockNotice(em, year);
      await em.delete(CalendarAmendmentRow, { noticeYear: year });
      await this.writeDays(em, ctx, year, n);
      await em.update(CalendarNoticeYear, { year }, { note: n.note });
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'calendar.notice_replace',
        targetType: 'calendar',
        targetId: String(year),
        before: old,
        after: { note: n.note, days: n.days },
        reason: n.reason,
        requestId: ctx.requestId,
      });
      return old;
    });
    const recomputeJobId = await this.changed({ dates: [...new Set([...before.days, ...n.days].map((d) => d.date))], years: [year] }, ctx);
    return { year, days: n.days.length, recomputeJobId };
  }

  /** Removes a loaded notice: its days go and the year is provisional again (the office's own amendments stay). */
  async removeNoticeYear(ctx: RequestContext, year: number, reason: string): Promise<string | null> {
    const before = await this.ds.transaction(async (em) => {
      const old = await this.lockNotice(em, year);
      await em.delete(CalendarAmendmentRow, { noticeYear: year });
      await em.delete(CalendarNoticeYear, { year });
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'calendar.notice_remove',
        targetType: 'calendar',
        targetId: String(year),
        before: old,
        reason,
        requestId: ctx.requestId,
      });
      return old;
    });
    return this.changed({ dates: before.days.map((d) => d.date), years: [year] }, ctx);
  }

  /** The loaded notice of a year, locked against a concurrent replace or remove; 404 if none. */
  private async lockNotice(em: EntityManager, year: number): Promise<{ note: string; days: NoticeDay[] }> {
    const [row] = await em.query(`SELECT note FROM calendar_notice_year WHERE year = $1 FOR UPDATE`, [year]);
    if (!row) throw DomainError.notFound({ zh: '已载入的放假安排', en: 'Loaded holiday notice' }, String(year));
    const days = await em.find(CalendarAmendmentRow, { where: { noticeYear: year }, order: { date: 'ASC' } });
    return { note: row.note, days: days.map((d) => ({ date: d.date, kind: d.kind, note: d.note })) };
  }

  /** A notice's days win over what was on those dates (an amendment of the office's own is overwritten, as when loaded). */
  private async writeDays(em: EntityManager, ctx: RequestContext, year: number, n: NoticeInput): Promise<void> {
    for (const d of n.days) await em.upsert(CalendarAmendmentRow, { date: d.date, kind: d.kind, note: d.note ?? n.note, createdBy: personOf(ctx), noticeYear: year }, ['date']);
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

type NoticeDay = { date: string; kind: 'off' | 'work'; note?: string };
type NoticeInput = { note: string; days: NoticeDay[]; reason: string };

function checkDays(year: number, days: NoticeDay[]): void {
  const outside = days.filter((d) => !DATE.test(d.date) || !d.date.startsWith(`${year}-`) || Number.isNaN(Date.parse(d.date)));
  if (outside.length) throw invalid(`以下日期不属于${year}年：${outside.map((d) => d.date).join('、')}`, `Not in ${year}: ${outside.map((d) => d.date).join(', ')}`);
}

const personOf = (ctx: RequestContext) => (ctx.actor.kind === 'person' ? ctx.actor.personId : null);
const invalid = (zh: string, en: string) => new DomainError(DomainErrorCode.Invalid, zh, en);
const conflict = (zh: string, en: string) => new DomainError(DomainErrorCode.Conflict, zh, en);
