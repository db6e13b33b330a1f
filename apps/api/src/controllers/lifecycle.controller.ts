import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import { STAGES, type Stage } from '../../../../libs/domain/src/lifecycle';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { BattleMapService } from '../../../../libs/lifecycle/src/battle-map.service';
import { LifecycleService } from '../../../../libs/lifecycle/src/lifecycle.service';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { BattleMapQueryDto, CompletionDto, ConfirmationDto, LifecycleDecisionDto, MilestonePlanDto, NotApplicableDto, SetMilestonePlanDto } from '../dto/lifecycle.dto';
import { Answer, AnyAnswer, BattleMapAnswer, LifecycleAnswer } from '../dto/responses';

const UNIT_OFFICE = { roles: ['unit_staff', 'unit_head', 'project_office'] } as const;
const DECIDERS = { roles: ['liaison_leader', 'county_leader', 'project_office'] } as const;

function stageOf(s: string): Stage {
  if (!(STAGES as readonly string[]).includes(s))
    throw new DomainError(DomainErrorCode.Invalid, `没有这个阶段：${s}（应为${STAGES.join('、')}之一）`, `No such stage: ${s} (one of ${STAGES.join(', ')})`);
  return s as Stage;
}

/** A project's milestone plan (倒排工期) and stages, and the battle map (挂图作战) over all of them. */
@ApiTags('lifecycle')
@Controller()
export class LifecycleController {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly battleMap: BattleMapService,
  ) {}

  /** The plan, each stage's state and colour, every earlier plan, the replanning requests and the history. */
  @Answer(AnyAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('projects/:id/plan')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.get(ctx.actor, id);
  }

  /** Sets the plan (project office): the first starts the project's lifecycle; a later one replaces it, the old kept in history. */
  @Answer(LifecycleAnswer)
  @Allow(OFFICE_ONLY)
  @Put('projects/:id/plan')
  set(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SetMilestonePlanDto) {
    return this.lifecycle.setPlan(ctx, id, dto);
  }

  /** The unit reports a stage complete, with the documents as evidence; where configured it then awaits the office's confirmation. */
  @Answer(LifecycleAnswer)
  @Allow(UNIT_OFFICE)
  @Post('projects/:id/stages/:stage/completion')
  complete(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Param('stage') stage: string, @Body() dto: CompletionDto) {
    return this.lifecycle.act(ctx, id, { action: 'reportCompletion', stage: stageOf(stage), completedOn: dto.completedOn, evidence: dto.evidence, note: dto.note });
  }

  /** The project office confirms a reported completion, or sends it back with a reason. */
  @Answer(LifecycleAnswer)
  @Allow(OFFICE_ONLY)
  @Post('projects/:id/stages/:stage/confirmation')
  confirm(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Param('stage') stage: string, @Body() dto: ConfirmationDto) {
    return this.lifecycle.act(ctx, id, { action: 'confirmCompletion', stage: stageOf(stage), accept: dto.accept, reason: dto.reason });
  }

  /** The project office marks a stage not applicable (the land is already held), with the reason. */
  @Answer(LifecycleAnswer)
  @Allow(OFFICE_ONLY)
  @Post('projects/:id/stages/:stage/not-applicable')
  notApplicable(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Param('stage') stage: string, @Body() dto: NotApplicableDto) {
    return this.lifecycle.act(ctx, id, { action: 'markNotApplicable', stage: stageOf(stage), reason: dto.reason });
  }

  /** The unit asks for a new plan, with its reason; the liaison leader or the project office decides. */
  @Answer(LifecycleAnswer)
  @Allow(UNIT_OFFICE)
  @Post('projects/:id/replan-requests')
  requestReplan(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MilestonePlanDto) {
    return this.lifecycle.act(ctx, id, { action: 'requestReplan', plan: this.lifecycle.toPlan(dto), reason: dto.reason, requestId: this.lifecycle.newRequestId() });
  }

  /** Grants (the running timers follow the new dates) or refuses the pending request. */
  @Answer(LifecycleAnswer)
  @Allow(DECIDERS)
  @Post('projects/:id/replan-requests/decision')
  decide(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: LifecycleDecisionDto) {
    return this.lifecycle.act(ctx, id, { action: 'decideReplan', grant: dto.grant, reason: dto.reason });
  }

  /** Every project you may see with its stages, due days, colours, open blockers and investment; red first. */
  @Answer(BattleMapAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('battle-map')
  map(@Ctx() ctx: RequestContext, @Query() q: BattleMapQueryDto) {
    return this.battleMap.map(ctx.actor, q);
  }
}
