import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { StuckWorkStore } from '../../../../libs/stuck-work/src/stuck-work.store';
import { Allow, OFFICE_ONLY } from '../auth/access.decorators';
import { Answer, StuckWorkAnswer } from '../dto/responses';

/** Work that keeps failing (an activity at its third failed attempt or later), for the project office to look into. */
@ApiTags('admin')
@Allow(OFFICE_ONLY)
@Controller('admin/stuck-work')
export class StuckWorkController {
  constructor(private readonly stuck: StuckWorkStore) {}

  /** Each stuck activity: workflow id and type, activity, attempt, last error, since when. */
  @Answer(StuckWorkAnswer)
  @Get()
  async list() {
    const items = await this.stuck.list();
    return { total: items.length, items };
  }
}
