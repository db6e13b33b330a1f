import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { BlockerAction } from '../../../../libs/domain/src/blocker';
import { BlockersService } from '../../../../libs/escalation/src/blockers.service';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx } from '../auth/access.decorators';
import { BlockerListQueryDto, ExtensionDecisionDto, ExtensionRequestDto, OptionalTextDto, ReasonTextDto, ResolveBlockerDto, TextDto, TransferDto } from '../dto/blocker.dto';
import { Answer, BlockerAnswer, BlockerDetailAnswer, pageOf } from '../dto/responses';

const READ = { roles: 'any', scopes: ['blockers:read'] } as const;
/** Who can ever act on a matter; which rung they may act at is the workflow's rule (blocker-rules.ts). */
const ACT = { roles: ['unit_staff', 'unit_head', 'liaison_leader', 'county_leader', 'project_office'] } as const;

/**
 * Blockers and the actions on them (shared/design/escalation.md, "Actions").
 * Every action goes to the matter's workflow as an update; a refusal comes
 * back at once as 403 / 409 / 422 with the reason, and changes nothing.
 */
@ApiTags('blockers')
@Controller('blockers')
export class BlockersController {
  constructor(private readonly blockers: BlockersService) {}

  /** The blockers you may see, by project, unit, rung, category, colour and due time, sorted and paginated. */
  @Answer(pageOf(BlockerAnswer))
  @Allow(READ)
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: BlockerListQueryDto) {
    return this.blockers.list(ctx.actor, q);
  }

  /** A blocker with its rung, status, due time, colour and every event. */
  @Answer(BlockerDetailAnswer)
  @Allow(READ)
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.blockers.get(id, ctx.actor);
  }

  /** 签收: people on the current rung confirm they have the matter. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/acknowledge')
  @HttpCode(200)
  acknowledge(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.act(ctx, id, { action: 'acknowledge' });
  }

  /** 进展反馈: anyone on the current rung or above, or the reporter. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/progress')
  @HttpCode(200)
  progress(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: TextDto) {
    return this.act(ctx, id, { action: 'progress', text: dto.text });
  }

  /** 办结: people on the current rung or above; the resolution text is required. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/resolve')
  @HttpCode(200)
  resolve(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveBlockerDto) {
    return this.act(ctx, id, { action: 'resolve', resolution: dto.resolution });
  }

  /** 主动上报: people on the current rung move it up at once, saying what was tried. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/escalate')
  @HttpCode(200)
  escalate(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonTextDto) {
    return this.act(ctx, id, { action: 'escalateNow', reason: dto.reason });
  }

  /** 申请延期: people on the current rung, before the due time; the clock keeps running until the rung above decides. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/extension-request')
  @HttpCode(200)
  requestExtension(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ExtensionRequestDto) {
    return this.act(ctx, id, { action: 'requestExtension', until: new Date(dto.until).toISOString(), reason: dto.reason });
  }

  /** 批准延期: the rung above; the new due time is the one asked for unless another is given. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/extension-request/grant')
  @HttpCode(200)
  grant(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ExtensionDecisionDto) {
    return this.act(ctx, id, { action: 'grantExtension', until: dto.until ? new Date(dto.until).toISOString() : undefined, reason: dto.reason });
  }

  /** 不予延期: the rung above. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/extension-request/refuse')
  @HttpCode(200)
  refuse(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonTextDto) {
    return this.act(ctx, id, { action: 'refuseExtension', reason: dto.reason });
  }

  /** 转办: the liaison rung or above hands the matter to another unit; the due time stays unless a new one is set. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/transfer')
  @HttpCode(200)
  transfer(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: TransferDto) {
    return this.act(ctx, id, { action: 'transfer', toUnitId: dto.toUnitId, toUnitName: '', dueAt: dto.dueAt ? new Date(dto.dueAt).toISOString() : undefined, reason: dto.reason });
  }

  /** 重新打开: the reporter or anyone above, within the reopen period: back to the rung where it was resolved, with a fresh due time. */
  @Answer(BlockerDetailAnswer)
  @Allow(ACT)
  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonTextDto) {
    return this.act(ctx, id, { action: 'reopen', reason: dto.reason });
  }

  /** 催办: the supervision office (or the project office) nudges the current rung. */
  @Answer(BlockerDetailAnswer)
  @Allow({ roles: ['supervision', 'project_office'] })
  @Post(':id/remind')
  @HttpCode(200)
  remind(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: OptionalTextDto) {
    return this.act(ctx, id, { action: 'remind', text: dto.text ?? '' });
  }

  private act(ctx: RequestContext, id: string, action: BlockerAction) {
    return this.blockers.act(ctx, id, action);
  }
}
