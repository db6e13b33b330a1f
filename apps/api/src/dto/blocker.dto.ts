import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { BLOCKER_CATEGORY_KEYS, BlockerCategory, SEVERITIES, Severity } from '../../../../libs/domain/src/blocker';
import { RUNG_KEYS, RungKey } from '../../../../libs/domain/src/ladder';
import { PageQueryDto } from './page.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReportBlockerDto {
  @ApiProperty({ enum: BLOCKER_CATEGORY_KEYS, description: '征迁 relocation, 资金 funding, …' })
  @IsIn(BLOCKER_CATEGORY_KEYS)
  category: BlockerCategory;

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'normal' })
  @IsOptional() @IsIn(SEVERITIES)
  severity: Severity = 'normal';

  @ApiProperty({ example: '3户拆迁户未签订补偿协议' })
  @Transform(trim) @IsString() @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: '涉及城南片区3户，补偿标准存在争议' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(5000)
  description: string = '';

  @ApiPropertyOptional({ format: 'uuid', description: 'An explicit escalation policy (project office only); default: by category and severity' })
  @IsOptional() @IsUUID()
  policyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The unit responsible for this blocker; default: the project’s' })
  @IsOptional() @IsUUID()
  responsibleUnitId?: string;
}

export class ResolveBlockerDto {
  @ApiProperty({ example: '已与3户签订补偿协议，完成腾退' })
  @Transform(trim) @IsString() @IsNotEmpty({ message: 'resolution is required (办结须填写办理结果)' }) @MaxLength(5000)
  resolution: string;
}

export class BlockerListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() projectId?: string;
  @ApiPropertyOptional({ enum: ['open', 'resolved'] }) @IsOptional() @IsIn(['open', 'resolved']) status?: 'open' | 'resolved';
  @ApiPropertyOptional({ enum: RUNG_KEYS }) @IsOptional() @IsIn(RUNG_KEYS) rung?: RungKey;
  @ApiPropertyOptional({ enum: BLOCKER_CATEGORY_KEYS }) @IsOptional() @IsIn(BLOCKER_CATEGORY_KEYS) category?: BlockerCategory;
}

export class NoticeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  unreadOnly?: boolean;
}

export class PolicyRungDto {
  @ApiProperty({ enum: RUNG_KEYS }) @IsIn(RUNG_KEYS) rung: RungKey;
  @ApiProperty({ example: 'P3D', description: 'ISO-8601 duration: P3D, PT2H, PT10S' })
  @IsString() @Matches(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, { message: 'responseTime must be an ISO-8601 duration such as P3D, PT2H or PT10S' })
  responseTime: string;
}

export class CreatePolicyDto {
  @ApiProperty({ example: '征迁（一般）' }) @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ enum: BLOCKER_CATEGORY_KEYS, description: 'Omit for the default policy of a severity' })
  @IsOptional() @IsIn(BLOCKER_CATEGORY_KEYS) category?: BlockerCategory;
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) severity: Severity;
  @ApiPropertyOptional({ default: true, description: 'Chosen automatically for new matters of its category and severity; false: only when a report names it' })
  @IsOptional() @IsBoolean() automatic?: boolean;
  @ApiProperty({ type: [PolicyRungDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(RUNG_KEYS.length) @ValidateNested({ each: true }) @Type(() => PolicyRungDto)
  rungs: PolicyRungDto[];
}
