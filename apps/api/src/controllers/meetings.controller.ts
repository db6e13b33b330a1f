import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { MeetingsService } from '../../../../libs/meetings/src/meetings.service';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { Answer, DecisionAnswer, MeetingAnswer, MeetingDetailAnswer } from '../dto/responses';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

class ScheduleMeetingDto {
  @ApiProperty({ example: '重点项目征迁专题协调会' }) @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }, { message: 'scheduledAt must be an ISO-8601 date-time' }) scheduledAt: string;
}

class DecisionDto {
  @ApiProperty({ example: '由城关镇牵头，7日内完成3户签约' }) @Transform(trim) @IsString() @Length(1, 500) text: string;
  @ApiProperty({ format: 'uuid', description: 'The unit that owns the decision' }) @IsUUID() ownerUnitId: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO-8601 date-time' }) dueAt: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The matter the decision is about' }) @IsOptional() @IsUUID() sourceBlockerId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Or the project, for a decision not about one matter' }) @IsOptional() @IsUUID() projectId?: string;
}

class MinutesDto {
  @ApiProperty({ example: '会议研究了5个逾期问题，形成3项议定事项' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'minutes is required (须填写会议纪要)' })
  @MaxLength(20000)
  minutes: string;
}

/** Coordination meetings (专题协调会): the agenda is every open matter on the top rung; decisions become matters. */
@ApiTags('meetings')
@Controller('meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Answer(MeetingAnswer)
  @Allow(OFFICE_ONLY)
  @Post()
  schedule(@Ctx() ctx: RequestContext, @Body() dto: ScheduleMeetingDto) {
    return this.meetings.schedule(ctx, dto);
  }

  @Answer(MeetingAnswer, { isArray: true })
  @Allow({ roles: ['project_office', 'county_leader', 'supervision'] })
  @Get()
  list() {
    return this.meetings.list();
  }

  @Answer(MeetingDetailAnswer)
  @Allow({ roles: ['project_office', 'county_leader', 'supervision'] })
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.meetings.get(id);
  }

  /** A decision (议定事项): a matter for its owner unit, due on the decided date, on the ladder until closed off (销号 = resolve). */
  @Answer(DecisionAnswer)
  @Allow(OFFICE_ONLY)
  @Post(':id/decisions')
  decide(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecisionDto) {
    return this.meetings.decide(ctx, id, dto);
  }

  @Answer(MeetingAnswer)
  @Allow(OFFICE_ONLY)
  @Post(':id/close')
  @HttpCode(200)
  close(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MinutesDto) {
    return this.meetings.close(ctx, id, dto.minutes);
  }
}
