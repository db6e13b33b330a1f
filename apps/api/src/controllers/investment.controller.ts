import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { GROUPS, Group, InvestmentService } from '../../../../libs/investment/src/investment.service';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { ReasonTextDto } from '../dto/blocker.dto';
import { IsDay } from '../dto/instant';
import { ParseYearPipe } from '../params';
import { Answer, AnyAnswer, InvestmentAnswer, InvestmentLagAnswer } from '../dto/responses';

class PlanDto extends ReasonTextDto {
  @ApiProperty({ example: 12000, description: '万元' }) @Type(() => Number) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1e12) amount: number;
}

class ReportDto {
  @ApiProperty({ example: 2026 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiProperty({ example: 10, minimum: 1, maximum: 12 }) @Type(() => Number) @IsInt() @Min(1) @Max(12) month: number;
  @ApiProperty({ example: 6800, description: 'Completed this year up to and including the month, 万元' })
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1e12)
  completed: number;
  @ApiPropertyOptional({ example: '主体结构完成60%' }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

class LagQueryDto {
  @ApiProperty({ example: 2026 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiPropertyOptional({ example: '2026-11-23', description: 'The day; default today' }) @IsOptional() @IsDay('on') on?: string;
  @ApiPropertyOptional({ enum: GROUPS, default: 'project' }) @IsOptional() @IsIn(GROUPS) groupBy: Group = 'project';
}

/** Investment (投资): annual plans, completed-investment reports, and the lag behind time-proportional progress (序时进度). */
@ApiTags('investment')
@Controller()
export class InvestmentController {
  constructor(private readonly investment: InvestmentService) {}

  @Answer(InvestmentAnswer)
  @Allow({ roles: 'any' })
  @Get('projects/:id/investment')
  ofProject(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.investment.ofProject(ctx.actor, id);
  }

  /** Sets a project's annual plan (年度计划投资), 万元: the project office. */
  @Answer(AnyAnswer)
  @ApiParam({ name: 'year', schema: { type: 'integer', minimum: 2000, maximum: 2100 } })
  @Allow(OFFICE_ONLY)
  @Put('projects/:id/investment-plans/:year')
  plan(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Param('year', ParseYearPipe) year: number, @Body() dto: PlanDto) {
    return this.investment.setPlan(ctx, id, year, dto.amount, dto.reason);
  }

  /** Reports completed investment, year to date: the project's unit or the project office; every report is kept. */
  @Answer(AnyAnswer)
  @Allow({ roles: ['unit_staff', 'unit_head', 'project_office'] })
  @Post('projects/:id/investment-reports')
  report(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReportDto) {
    return this.investment.report(ctx, id, dto);
  }

  /** Completed investment against the year, per project, unit, township, category or the county; the projects you may see. */
  @Answer(InvestmentLagAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('investment/lag')
  lag(@Ctx() ctx: RequestContext, @Query() q: LagQueryDto) {
    return this.investment.lag(ctx.actor, q);
  }
}
