import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BlockersService } from '../../../../libs/escalation/src/blockers.service';
import { BlockerListQueryDto, ResolveBlockerDto } from '../dto/blocker.dto';

@ApiTags('blockers')
@Controller('blockers')
export class BlockersController {
  constructor(private readonly blockers: BlockersService) {}

  @Get() list(@Query() q: BlockerListQueryDto) {
    return this.blockers.list(q);
  }

  /** A blocker with its rung, status, due time and every event. */
  @Get(':id') get(@Param('id', ParseUUIDPipe) id: string) {
    return this.blockers.get(id);
  }

  /** Resolves (办结) a blocker; the resolution text is required. */
  @Post(':id/resolve') @HttpCode(200) resolve(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResolveBlockerDto) {
    return this.blockers.resolve(id, dto);
  }
}
