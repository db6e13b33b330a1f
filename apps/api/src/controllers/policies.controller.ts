import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PoliciesService } from '../../../../libs/escalation/src/policies.service';
import { CreatePolicyDto } from '../dto/blocker.dto';
import { PageQueryDto } from '../dto/page.dto';

@ApiTags('escalation policies')
@Controller('escalation-policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Post() create(@Body() dto: CreatePolicyDto) {
    return this.policies.create(dto);
  }

  @Get() list(@Query() q: PageQueryDto) {
    return this.policies.list(q);
  }

  @Get(':id') get(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.get(id);
  }
}
