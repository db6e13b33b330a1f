import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PoliciesService } from '../../../../libs/escalation/src/policies.service';
import { CreatePolicyDto } from '../dto/blocker.dto';
import { PageQueryDto } from '../dto/page.dto';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';

@ApiTags('escalation policies')
@Controller('escalation-policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Allow(OFFICE_ONLY) @Post() create(@Ctx() ctx: RequestContext, @Body() dto: CreatePolicyDto) {
    return this.policies.create(ctx, dto);
  }

  @Allow({ roles: 'any' }) @Get() list(@Query() q: PageQueryDto) {
    return this.policies.list(q);
  }

  @Allow({ roles: 'any' }) @Get(':id') get(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.get(id);
  }
}
