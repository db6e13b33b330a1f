import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { DelegationsService } from '../../../../libs/notice-settings/src/delegations.service';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { ReasonTextDto } from '../dto/blocker.dto';
import { CreateDelegationDto, DelegationListQueryDto } from '../dto/notice-settings.dto';
import { Answer, pageOf } from '../dto/responses';
import { DelegationAnswer, PersonDelegationsAnswer } from '../dto/notice-settings.responses';

/**
 * 代理: a person names a deputy for a period (or the project office does for
 * them); the deputy gets their notices and may act on their rung meanwhile.
 */
@ApiTags('delegation')
@Controller()
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  /** By the person themself or the project office; no overlap, no chaining, at most 90 days. */
  @Answer(DelegationAnswer)
  @Allow({ roles: 'any' })
  @Post('people/:id/delegations')
  create(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateDelegationDto) {
    return this.delegations.create(ctx, id, dto);
  }

  /** Given (the person's deputies) and received (whom the person stands in for). */
  @Answer(PersonDelegationsAnswer)
  @Allow({ roles: 'any' })
  @Get('people/:id/delegations')
  ofPerson(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.delegations.ofPerson(ctx, id);
  }

  @Answer(pageOf(DelegationAnswer))
  @Allow(OFFICE_ONLY)
  @Get('delegations')
  list(@Query() q: DelegationListQueryDto) {
    return this.delegations.list(q);
  }

  /** Revokes from now on, by the person who named the deputy or the project office, with a reason. */
  @Answer(DelegationAnswer)
  @Allow({ roles: 'any' })
  @Delete('delegations/:id')
  @HttpCode(200)
  revoke(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonTextDto) {
    return this.delegations.revoke(ctx, id, dto.reason);
  }
}
