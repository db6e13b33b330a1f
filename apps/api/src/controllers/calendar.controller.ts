import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import { computeDue } from '../../../../libs/calendar/src';
import { CalendarStore } from '../../../../libs/calendar-store/src/calendar-store.service';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { ReasonTextDto } from '../dto/blocker.dto';
import { ParseDayPipe, ParseYearPipe } from '../params';
import { AmendmentDto, DaysQueryDto, DueQueryDto, NoticeDaysDto, NoticeYearDto } from '../dto/calendar.dto';
import { AmendmentAnswer, Answer, CalendarAnswer, DayAnswer, DueAnswer, NoticeYearAnswer } from '../dto/responses';

/** The working-day calendar (工作日历): read by everyone, amended by the project office. */
@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(private readonly store: CalendarStore) {}

  @Answer(CalendarAnswer)
  @Allow({ roles: 'any' })
  @Get()
  async get() {
    const cal = await this.store.current();
    const data = await this.store.data();
    return { settings: cal.settings, coverage: cal.coverage(), ...data };
  }

  /** Each day between two dates (at most 400): working or not, and why. */
  @Answer(DayAnswer, { isArray: true })
  @Allow({ roles: 'any' })
  @Get('days')
  async days(@Query() q: DaysQueryDto) {
    const from = DateTime.fromISO(q.from);
    const to = DateTime.fromISO(q.to);
    const n = to.diff(from, 'days').days;
    if (!from.isValid || !to.isValid || n < 0 || n > 400)
      throw new DomainError(DomainErrorCode.Invalid, '日期范围须在400天以内且起止有效', 'from..to must be valid dates at most 400 days apart');
    const cal = await this.store.current();
    return Array.from({ length: n + 1 }, (_, i) => cal.describeDay(from.plus({ days: i }).toFormat('yyyy-MM-dd')));
  }

  /** When N working days (or hours) from an instant end: lets a person check a deadline. */
  @Answer(DueAnswer)
  @Allow({ roles: 'any' })
  @Get('due')
  async due(@Query() q: DueQueryDto) {
    if (!q.workingDays === !q.workingHours)
      throw new DomainError(DomainErrorCode.Invalid, '须且只能指定 workingDays 或 workingHours 之一', 'Give exactly one of workingDays or workingHours');
    const spec = q.workingDays ? { unit: 'workingDays' as const, amount: q.workingDays } : { unit: 'workingHours' as const, amount: q.workingHours! };
    return computeDue(await this.store.current(), q.from, spec);
  }

  @Answer(AmendmentAnswer)
  @Allow(OFFICE_ONLY)
  @Post('amendments')
  amend(@Ctx() ctx: RequestContext, @Body() dto: AmendmentDto) {
    return this.store.amend(ctx, dto);
  }

  @Answer(null)
  @ApiParam({ name: 'date', schema: { type: 'string', format: 'date' } })
  @Allow(OFFICE_ONLY)
  @Delete('amendments/:date')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('date', ParseDayPipe) date: string, @Body() dto: ReasonTextDto) {
    await this.store.removeAmendment(ctx, date, dto.reason);
  }

  /** Loads a year's State Council holiday notice; open matters' due times follow. */
  @Answer(NoticeYearAnswer)
  @Allow(OFFICE_ONLY)
  @Post('notice-years')
  loadYear(@Ctx() ctx: RequestContext, @Body() dto: NoticeYearDto) {
    return this.store.loadNoticeYear(ctx, dto);
  }

  /** Corrects a loaded notice (a wrong year): its days are replaced; reason required; open matters' due times follow. */
  @Answer(NoticeYearAnswer)
  @Allow(OFFICE_ONLY)
  @Put('notice-years/:year')
  replaceYear(@Ctx() ctx: RequestContext, @Param('year', ParseYearPipe) year: number, @Body() dto: NoticeDaysDto) {
    return this.store.replaceNoticeYear(ctx, year, dto);
  }

  /** Removes a loaded notice: the year is provisional again; reason required; open matters' due times follow. */
  @Answer(null)
  @Allow(OFFICE_ONLY)
  @Delete('notice-years/:year')
  @HttpCode(204)
  async removeYear(@Ctx() ctx: RequestContext, @Param('year', ParseYearPipe) year: number, @Body() dto: ReasonTextDto) {
    await this.store.removeNoticeYear(ctx, year, dto.reason);
  }
}
