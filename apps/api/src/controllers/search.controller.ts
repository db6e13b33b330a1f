import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BlockersService } from '../../../../libs/escalation/src/blockers.service';
import { ProjectsService } from '../../../../libs/projects/src/projects.service';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx } from '../auth/access.decorators';
import { SearchQueryDto } from '../dto/search.dto';
import { Answer, SearchAnswer } from '../dto/responses';

/** At most this many of each group: a search box shows the best few; the lists (with `q`) page through the rest. */
const PER_GROUP = 10;

/** One search box over projects (name, code) and matters (title), each limited to what the caller may see. */
@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly blockers: BlockersService,
  ) {}

  @Answer(SearchAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get()
  async search(@Ctx() ctx: RequestContext, @Query() dto: SearchQueryDto) {
    const [projects, matters] = await Promise.all([
      this.projects.list(ctx.actor, { q: dto.q, page: 1, pageSize: PER_GROUP }),
      this.blockers.list(ctx.actor, { q: dto.q, sort: 'updatedAt', order: 'desc', page: 1, pageSize: PER_GROUP }),
    ]);
    return { q: dto.q, projects: { items: projects.items, total: projects.total }, matters: { items: matters.items, total: matters.total } };
  }
}
