import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BackgroundJobsService } from '../../../../libs/background-jobs/src/background-jobs.service';
import { Allow, OFFICE_ONLY } from '../auth/access.decorators';
import { PageQueryDto } from '../dto/page.dto';
import { Answer, BackgroundJobAnswer, pageOf } from '../dto/responses';

/** Background jobs (后台任务): calendar recomputes and policy applications, with their progress; the project office's. */
@ApiTags('background jobs')
@Controller('background-jobs')
export class BackgroundJobsController {
  constructor(private readonly jobs: BackgroundJobsService) {}

  @Answer(pageOf(BackgroundJobAnswer))
  @Allow(OFFICE_ONLY)
  @Get()
  list(@Query() q: PageQueryDto) {
    return this.jobs.list(q);
  }

  /** Total matters, done, failed with the reason for each; status `done` once every matter has been reached. */
  @Answer(BackgroundJobAnswer)
  @Allow(OFFICE_ONLY)
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.jobs.get(id);
  }
}
