import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BulletinsService } from '../../../../libs/bulletins/src/bulletins.service';
import { SCHEDULE_KEYS, SchedulesService, type ScheduleKey } from '../../../../libs/bulletins/src/schedules.service';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { CronDto } from '../dto/lifecycle.dto';
import { PageQueryDto } from '../dto/page.dto';
import { Answer, BulletinAnswer, BulletinSummaryAnswer, ScheduleAnswer, TriggeredAnswer, pageOf } from '../dto/responses';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function keyOf(k: string): ScheduleKey {
  if (!(SCHEDULE_KEYS as string[]).includes(k))
    throw new DomainError(DomainErrorCode.NotFound, `没有这个定时任务：${k}（${SCHEDULE_KEYS.join('、')}）`, `No such schedule: ${k} (${SCHEDULE_KEYS.join(', ')})`);
  return k as ScheduleKey;
}

/** Weekly bulletins (通报) with the ranking (一周一排序), and the schedules that produce them. */
@ApiTags('bulletins')
@Controller()
export class BulletinsController {
  constructor(
    private readonly bulletins: BulletinsService,
    private readonly schedules: SchedulesService,
  ) {}

  @Answer(pageOf(BulletinSummaryAnswer))
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins')
  list(@Query() q: PageQueryDto) {
    return this.bulletins.list(q);
  }

  /** The latest bulletin. */
  @Answer(BulletinAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/current')
  current(@Ctx() ctx: RequestContext) {
    return this.bulletins.get(ctx.actor, 'current');
  }

  @Answer(BulletinAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/:id')
  one(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.bulletins.get(ctx.actor, id);
  }

  /** The bulletin as an .xlsx ledger. */
  @Answer(null, { xlsx: true })
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/:id/xlsx')
  async xlsx(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    if (id !== 'current' && !/^[0-9a-f-]{36}$/i.test(id)) throw new DomainError(DomainErrorCode.Invalid, `通报编号无效：${id}`, `Not a bulletin id: ${id}`);
    const { number, file } = await this.bulletins.xlsx(ctx.actor, id);
    // Type on the file, not @Header: a refusal must still answer JSON.
    return new StreamableFile(file, { type: XLSX, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(number)}.xlsx` });
  }

  /** The schedules (weekly bulletin, monthly investment check): their times and the next and recent runs. */
  @Answer(ScheduleAnswer, { isArray: true })
  @Allow(OFFICE_ONLY)
  @Get('schedules')
  list2() {
    return this.schedules.list();
  }

  /** A new time for a schedule (project office). */
  @Answer(ScheduleAnswer)
  @Allow(OFFICE_ONLY)
  @Put('schedules/:key')
  reschedule(@Param('key') key: string, @Body() dto: CronDto) {
    return this.schedules.reschedule(keyOf(key), dto.cron);
  }

  /** Runs a schedule now (project office): the bulletin of this week is produced again. */
  @Answer(TriggeredAnswer)
  @Allow(OFFICE_ONLY)
  @Post('schedules/:key/trigger')
  async trigger(@Param('key') key: string) {
    await this.schedules.trigger(keyOf(key));
    return { triggered: key };
  }
}
