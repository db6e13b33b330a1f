import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SCHEDULE_KEYS, SchedulesService, type ScheduleKey } from '../../../../libs/bulletins/src/schedules.service';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { ReasonTextDto } from '../dto/blocker.dto';
import { CronDto } from '../dto/lifecycle.dto';
import { Answer, ScheduleAnswer, TriggeredAnswer } from '../dto/responses';

function keyOf(k: string): ScheduleKey {
  if (!(SCHEDULE_KEYS as string[]).includes(k))
    throw new DomainError(DomainErrorCode.NotFound, `没有这个定时任务：${k}（${SCHEDULE_KEYS.join('、')}）`, `No such schedule: ${k} (${SCHEDULE_KEYS.join(', ')})`);
  return k as ScheduleKey;
}

/** The schedules that produce the bulletins and checks (Temporal Schedules), kept by the project office. */
@ApiTags('bulletins')
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** The schedules (weekly bulletin, monthly investment check): their times, paused or not with the note, the next and recent runs. */
  @Answer(ScheduleAnswer, { isArray: true })
  @Allow(OFFICE_ONLY)
  @Get()
  list() {
    return this.schedules.list();
  }

  /** A new time for a schedule (project office); audited. */
  @Answer(ScheduleAnswer)
  @Allow(OFFICE_ONLY)
  @Put(':key')
  reschedule(@Ctx() ctx: RequestContext, @Param('key') key: string, @Body() dto: CronDto) {
    return this.schedules.reschedule(ctx, keyOf(key), dto.cron);
  }

  /** Runs a schedule now (project office): the bulletin of this week is produced again. */
  @Answer(TriggeredAnswer)
  @Allow(OFFICE_ONLY)
  @Post(':key/trigger')
  async trigger(@Param('key') key: string) {
    await this.schedules.trigger(keyOf(key));
    return { triggered: key };
  }

  /** Pauses a schedule (e.g. over the Spring Festival); the reason is its note, shown in the list, and audited. */
  @Answer(ScheduleAnswer)
  @Allow(OFFICE_ONLY)
  @Post(':key/pause')
  @HttpCode(200)
  pause(@Ctx() ctx: RequestContext, @Param('key') key: string, @Body() dto: ReasonTextDto) {
    return this.schedules.setPaused(ctx, keyOf(key), true, dto.reason);
  }

  /** Resumes a paused schedule; the reason replaces the note, and is audited. */
  @Answer(ScheduleAnswer)
  @Allow(OFFICE_ONLY)
  @Post(':key/resume')
  @HttpCode(200)
  resume(@Ctx() ctx: RequestContext, @Param('key') key: string, @Body() dto: ReasonTextDto) {
    return this.schedules.setPaused(ctx, keyOf(key), false, dto.reason);
  }
}
