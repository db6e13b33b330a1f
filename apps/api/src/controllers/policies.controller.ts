import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BackgroundJobsService } from '../../../../libs/background-jobs/src/background-jobs.service';
import { PoliciesService } from '../../../../libs/escalation/src/policies.service';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { CreateLadderDto, CreatePolicyDto, ReasonTextDto, UpdateLadderDto, UpdatePolicyDto } from '../dto/blocker.dto';
import { PageQueryDto } from '../dto/page.dto';
import { Answer, BackgroundJobAnswer, LadderAnswer, PolicyAnswer, pageOf } from '../dto/responses';

/** Escalation policies (督办规则), kept by the project office. */
@ApiTags('escalation policies')
@Controller('escalation-policies')
export class PoliciesController {
  constructor(
    private readonly policies: PoliciesService,
    private readonly jobs: BackgroundJobsService,
  ) {}

  @Answer(PolicyAnswer)
  @Allow(OFFICE_ONLY)
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreatePolicyDto) {
    return this.policies.create(ctx, dto);
  }

  @Answer(pageOf(PolicyAnswer))
  @Allow({ roles: 'any' })
  @Get()
  list(@Query() q: PageQueryDto) {
    return this.policies.list(q);
  }

  @Answer(PolicyAnswer)
  @Allow({ roles: 'any' })
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.get(id);
  }

  /** A new version of the policy, for new matters; open ones keep theirs (see /apply). */
  @Answer(PolicyAnswer)
  @Allow(OFFICE_ONLY)
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePolicyDto) {
    return this.policies.update(ctx, id, dto);
  }

  /**
   * Applies the policy's current version to its open matters: a background job (202, at once), in which each
   * matter recomputes its due time, recorded on each; progress and failures at /background-jobs/{id}.
   */
  @Answer(BackgroundJobAnswer)
  @Allow(OFFICE_ONLY)
  @Post(':id/apply')
  @HttpCode(202)
  apply(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonTextDto) {
    return this.jobs.applyPolicy(ctx, id, dto.reason);
  }
}

/** Ladders (督办层级): the rungs and who sits on each. */
@ApiTags('escalation policies')
@Controller('ladders')
export class LaddersController {
  constructor(private readonly policies: PoliciesService) {}

  @Answer(LadderAnswer, { isArray: true })
  @Allow({ roles: 'any' })
  @Get()
  list() {
    return this.policies.listLadders();
  }

  @Answer(LadderAnswer)
  @Allow(OFFICE_ONLY)
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateLadderDto) {
    return this.policies.createLadder(ctx, dto);
  }

  /**
   * Edits the rungs (names, who sits on each), with a reason; audited. Open matters keep the ladder
   * they were opened with (a snapshot, as the design has for policies): the edit is for new matters.
   * While a policy uses the ladder its rung keys and order stay (409 otherwise).
   */
  @Answer(LadderAnswer)
  @Allow(OFFICE_ONLY)
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateLadderDto) {
    return this.policies.updateLadder(ctx, id, dto);
  }
}
