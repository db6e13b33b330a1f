import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BlockersService } from '../../../../libs/escalation/src/blockers.service';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx } from '../auth/access.decorators';
import { BlockerListQueryDto, ResolveBlockerDto } from '../dto/blocker.dto';

const READ = { roles: 'any', scopes: ['blockers:read'] } as const;

@ApiTags('blockers')
@Controller('blockers')
export class BlockersController {
  constructor(private readonly blockers: BlockersService) {}

  /** The blockers you may see: your unit's, your liaison projects', or all for the county, project office and supervision office. */
  @Allow(READ) @Get() list(@Ctx() ctx: RequestContext, @Query() q: BlockerListQueryDto) {
    return this.blockers.list(ctx.actor, q);
  }

  /** A blocker with its rung, status, due time and every event. */
  @Allow(READ) @Get(':id') get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.blockers.get(id, ctx.actor);
  }

  /** Resolves (办结) a blocker: people on its current rung or above; the resolution text is required. */
  @Allow({ roles: ['unit_staff', 'unit_head', 'liaison_leader', 'county_leader', 'project_office'] })
  @Post(':id/resolve')
  @HttpCode(200)
  resolve(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveBlockerDto) {
    return this.blockers.resolve(ctx, id, dto);
  }
}
