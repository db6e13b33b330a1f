import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BlockersService } from '../../../../libs/escalation/src/blockers.service';
import { ProjectsService } from '../../../../libs/projects/src/projects.service';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx } from '../auth/access.decorators';
import { ReportBlockerDto } from '../dto/blocker.dto';
import { CreateProjectDto, ProjectListQueryDto } from '../dto/project.dto';
import { Answer, BlockerDetailAnswer, ProgressNoteAnswer, ProjectAnswer, pageOf } from '../dto/responses';

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly blockers: BlockersService,
  ) {}

  /** Adds a key project to the register: the project office, or a system with `projects:write`. */
  @Answer(ProjectAnswer)
  @Allow({ roles: ['project_office'], scopes: ['projects:write'] })
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateProjectDto) {
    return this.projects.create(ctx, dto);
  }

  /** The projects you may see: your unit's, your liaison projects', or all for the county, project office and supervision office. */
  @Answer(pageOf(ProjectAnswer))
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: ProjectListQueryDto) {
    return this.projects.list(ctx.actor, q);
  }

  @Answer(ProjectAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.projects.get(id, ctx.actor);
  }

  /** The project's progress notes month by month (形象进度, 存在问题, 下步计划), newest first: what the monthly ledgers brought. */
  @Answer(ProgressNoteAnswer, { isArray: true })
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get(':id/progress-notes')
  progressNotes(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.projects.progressNotes(id, ctx.actor);
  }

  /** Reports a blocker (报告问题) as the logged-in person: the project's unit, its liaison leader or the project office. */
  @Answer(BlockerDetailAnswer)
  @Allow({ roles: ['unit_staff', 'unit_head', 'liaison_leader', 'project_office'] })
  @Post(':id/blockers')
  report(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReportBlockerDto) {
    return this.blockers.report(ctx, id, dto);
  }
}
