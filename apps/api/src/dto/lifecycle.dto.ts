import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsDay } from './instant';
import { STAGES, type Colour, type Stage } from '../../../../libs/domain/src/lifecycle';
import { PROJECT_CATEGORIES, type ProjectCategory } from '../../../../libs/projects/src/project.entity';
import { PageQueryDto } from './page.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class StagePlanDto {
  @ApiProperty({ enum: STAGES }) @IsIn(STAGES, { message: `stage must be one of ${STAGES.join(', ')}` }) stage: Stage;
  @ApiProperty({ example: '2027-03-31', description: 'Due by the end of this day (local time)' }) @IsDay('dueOn') dueOn: string;
  @ApiPropertyOptional({ example: '2027-01-15', description: 'May begin on this day before the stage before it is done (overlap)' })
  @IsOptional()
  @IsDay('startsOn')
  startsOn?: string;
  @ApiPropertyOptional({ example: '2026-05-20', description: 'Already done before the project came into Duban (first plan only): the day it was done' })
  @IsOptional()
  @IsDay('doneOn')
  doneOn?: string;
  @ApiPropertyOptional({ example: '已取得土地使用权', description: 'Not applicable, with the reason (project office)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 500)
  notApplicable?: string;
}

export class MilestonePlanDto {
  @ApiProperty({ type: [StagePlanDto], description: 'The five stages in order: planning, approval, land, start, completion' })
  @IsArray()
  @ArrayMinSize(5)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => StagePlanDto)
  stages: StagePlanDto[];
  @ApiPropertyOptional({ example: 10, description: 'Days of yellow warning before each due day; default 10' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(90)
  warningDays?: number;
  @ApiProperty({ example: '按县重点项目倒排工期计划' }) @Transform(trim) @IsString() @Length(1, 1000, { message: 'reason is required (须说明理由)' }) reason: string;
}

export class SetMilestonePlanDto extends MilestonePlanDto {
  @ApiPropertyOptional({ description: 'Stage completions wait for the project office’s confirmation' }) @IsOptional() @IsBoolean() confirmCompletion?: boolean;
}

export class EvidenceDto {
  @ApiProperty({ example: '建筑工程施工许可证' }) @Transform(trim) @IsString() @Length(1, 200) title: string;
  @ApiPropertyOptional({ example: '341122202611230101' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(100) number?: string;
  @ApiPropertyOptional({ example: '县住建局' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(100) issuedBy?: string;
  @ApiPropertyOptional({ example: '2026-11-20' }) @IsOptional() @IsDay('issuedOn') issuedOn?: string;
}

export class CompletionDto {
  @ApiProperty({ example: '2026-11-20' }) @IsDay('completedOn') completedOn: string;
  @ApiProperty({ type: [EvidenceDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'evidence: list at least one document (须至少列出一份佐证材料)' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EvidenceDto)
  evidence: EvidenceDto[];
  @ApiPropertyOptional({ example: '已取得施工许可并举行开工仪式' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) note: string = '';
}

export class ConfirmationDto {
  @ApiProperty({ description: 'true: confirmed; false: sent back (reason required)' }) @IsBoolean() accept: boolean;
  @ApiPropertyOptional({ example: '缺少竣工验收备案表' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) reason: string = '';
}

export class LifecycleDecisionDto {
  @ApiProperty({ description: 'true: granted; false: refused (reason required)' }) @IsBoolean() grant: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) reason: string = '';
}

/** 不适用: the reason is the workflow's to require (its refusal names what is missing). */
export class NotApplicableDto {
  @ApiPropertyOptional({ example: '已取得土地使用权' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) reason: string = '';
}

export class BattleMapQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() townshipId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The responsible unit' }) @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() liaisonLeaderId?: string;
  @ApiPropertyOptional({ enum: Object.keys(PROJECT_CATEGORIES) }) @IsOptional() @IsIn(Object.keys(PROJECT_CATEGORIES)) category?: ProjectCategory;
  @ApiPropertyOptional({ enum: ['red', 'yellow', 'green', 'none'], description: 'red: a stage overdue; yellow: one due soon; green: on plan; none: no plan yet' })
  @IsOptional()
  @IsIn(['red', 'yellow', 'green', 'none'])
  colour?: Colour | 'none';
  @ApiPropertyOptional({ enum: STAGES, description: 'The stage the project is in' }) @IsOptional() @IsIn(STAGES) stage?: Stage;
}

export class CronDto {
  @ApiProperty({ example: '30 8 * * MON', description: 'A cron expression in the organisation’s time zone' })
  @Transform(trim)
  @IsString()
  @Length(9, 100)
  @Matches(/^\S+( \S+){4}$/, { message: 'cron must have five fields, e.g. "30 8 * * MON" (每周一8:30)' })
  cron: string;
}
