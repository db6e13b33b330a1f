import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BlockersService } from '../../../../libs/escalation/src/blockers.service';
import { ProjectsService } from '../../../../libs/projects/src/projects.service';
import { ReportBlockerDto } from '../dto/blocker.dto';
import { CreateProjectDto, ProjectListQueryDto } from '../dto/project.dto';

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly blockers: BlockersService,
  ) {}

  @Post() create(@Body() dto: CreateProjectDto) {
    return this.projects.create(dto);
  }

  @Get() list(@Query() q: ProjectListQueryDto) {
    return this.projects.list(q);
  }

  @Get(':id') get(@Param('id', ParseUUIDPipe) id: string) {
    return this.projects.get(id);
  }

  /** Reports a blocker (报告问题): it starts on the `unit` rung with a due time from its policy. */
  @Post(':id/blockers') report(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReportBlockerDto) {
    return this.blockers.report(id, dto);
  }
}
