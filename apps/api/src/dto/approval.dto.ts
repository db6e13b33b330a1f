import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDay, IsInstant } from './instant';
import { PROJECT_CATEGORIES } from '../../../../libs/projects/src/project.entity';
import { CLOCK_STOPS, type ClockStopKind } from '../../../../libs/domain/src/approval';
import { ReasonTextDto } from './blocker.dto';
import { PageQueryDto } from './page.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Optional fields without initializers: a PATCH must not reset what it does not name (defaults are applied on create). */
export class CatalogueItemDto extends ReasonTextDto {
  @ApiProperty({ example: 'water-permit' }) @Matches(/^[a-z][a-z0-9-]{1,49}$/, { message: 'code must be lower-case letters, digits and dashes' }) code: string;
  @ApiProperty({ example: '取水许可' }) @Transform(trim) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ format: 'uuid', description: 'The approval department (an org unit)' }) @IsUUID() departmentId: string;
  @ApiProperty({ enum: ['planning', 'approval', 'land', 'start'] }) @IsIn(['planning', 'approval', 'land', 'start']) stage: 'planning' | 'approval' | 'land' | 'start';
  @ApiProperty({ example: 20, description: 'Statutory limit, working days' }) @IsInt() @Min(1) @Max(365) statutoryDays: number;
  @ApiProperty({ example: 10, description: 'Promised limit, working days' }) @IsInt() @Min(1) @Max(365) promisedDays: number;
  @ApiPropertyOptional({ example: 0.5, description: 'Green channel: the promised limit times this' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.1)
  @Max(1)
  greenFactor?: number;
  @ApiPropertyOptional({ example: 2 }) @IsOptional() @IsInt() @Min(0) @Max(30) warningDays?: number;
  @ApiPropertyOptional({ example: ['取水许可申请书'] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) requiredDocuments?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() parallel?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() acceptWithDeficiencies?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() suspendOnMissedCommitment?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() commitmentBased?: boolean;
  @ApiPropertyOptional({ description: 'Deemed approval on timeout (超时默认), where local rules adopt it' }) @IsOptional() @IsBoolean() deemedApproval?: boolean;
  @ApiPropertyOptional({ example: 20 }) @IsOptional() @IsInt() @Min(1) @Max(365) verificationDays?: number;
  @ApiPropertyOptional({ example: 5 }) @IsOptional() @IsInt() @Min(1) @Max(60) deemedAcceptDays?: number;
  @ApiPropertyOptional({ enum: Object.keys(PROJECT_CATEGORIES), isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(Object.keys(PROJECT_CATEGORIES), { each: true })
  categories?: string[];
  @ApiPropertyOptional({ example: '水法：…' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(500) source?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateCatalogueItemDto extends PartialType(CatalogueItemDto) {
  @ApiProperty({ example: '承诺时限压缩' }) @Transform(trim) @IsString() @Length(1, 1000, { message: 'reason is required (须说明理由)' }) declare reason: string;
}

export class ApprovalPlanDto extends ReasonTextDto {
  @ApiPropertyOptional({ type: [String], description: 'Catalogue items; default: those listed for the project’s category' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  catalogueItemIds?: string[];
}

export class SubmitDto {
  @ApiPropertyOptional({ example: '本单位承诺所报材料真实有效，并在规定期限内达到审批条件', description: 'Commitment-based approval (告知承诺制): the written commitment' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  commitment?: string;
}

export class DeficienciesDto {
  @ApiProperty({ example: ['施工图审查合格书'] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) missing: string[];
  @ApiProperty({ example: '2026-12-04', description: 'The applicant commits to supply them by the end of this day' }) @IsDay('commitOn') commitOn: string;
}

export class AcceptDto {
  @ApiPropertyOptional({ type: DeficienciesDto, description: 'Accept with deficiencies (容缺受理), green channel only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeficienciesDto)
  deficiencies?: DeficienciesDto;
}

export class SupplementDto {
  @ApiProperty({ example: ['环评报告表（修改稿）'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'missing: list what is needed (须一次性列明)' })
  @ArrayMaxSize(30)
  @IsString({ each: true })
  missing: string[];
  @ApiProperty({ example: '报告表结论不明确' }) @Transform(trim) @IsString() @Length(1, 2000, { message: 'reason is required (须说明理由)' }) reason: string;
}

export class NoteDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) note: string = '';
}

export class ApproveDto extends NoteDto {
  @ApiPropertyOptional({ example: '县发改投资〔2026〕18号' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(100) documentNo?: string;
}

export class RejectDto {
  @ApiProperty({ example: '不符合国土空间规划' }) @Transform(trim) @IsString() @Length(1, 2000, { message: 'reason is required (不予批准须说明理由)' }) reason: string;
}

export class VerifyDto extends NoteDto {
  @ApiProperty() @IsBoolean() passed: boolean;
}

export class GreenChannelDto extends ReasonTextDto {}

const QUEUE_STATUS_VALUES = ['planned', 'submitted', 'supplement_requested', 'accepted', 'under_review', 'approved', 'rejected'] as const;

/** GET /api/approvals/queue: the department's items; by default those it works on now. */
export class ApprovalQueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The department (project office, supervision, county leaders); a clerk sees their own' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;
  @ApiPropertyOptional({ enum: QUEUE_STATUS_VALUES, description: 'Default: submitted, supplement_requested, accepted, under_review' })
  @IsOptional()
  @IsIn(QUEUE_STATUS_VALUES)
  status?: (typeof QUEUE_STATUS_VALUES)[number];
  @ApiPropertyOptional({ enum: ['green', 'yellow', 'red'], description: 'The clock colour: yellow in the warning window, red at or past the due time' })
  @IsOptional()
  @IsIn(['green', 'yellow', 'red'])
  colour?: 'green' | 'yellow' | 'red';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() projectId?: string;
}

export class DepartmentQueryDto {
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsInstant('from') from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsInstant('to') to?: string;
}

export class ExtensionDto {
  @ApiPropertyOptional({ example: 10, description: 'Working days (commonly 10)' }) @IsOptional() @IsInt() @Min(1) @Max(30) days: number = 10;
  @ApiProperty({ example: '需组织现场踏勘' }) @Transform(trim) @IsString() @Length(1, 2000, { message: 'reason is required (须说明理由)' }) reason: string;
}

export class ClockStopDto {
  @ApiProperty({ enum: Object.keys(CLOCK_STOPS), description: '专家评审 expert review, 听证 hearing, 技术审查 appraisal' }) @IsIn(Object.keys(CLOCK_STOPS)) kind: ClockStopKind;
  @ApiProperty({ example: '组织专家评审' }) @Transform(trim) @IsString() @Length(1, 2000, { message: 'reason is required (须说明理由)' }) reason: string;
  @ApiProperty({ example: 10, description: 'The stop’s own time limit, working days' }) @IsInt() @Min(1) @Max(60) days: number;
}
