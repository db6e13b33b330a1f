import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { responseTimeProblem } from '../../../../libs/domain/src/policy-rules';
import { BLOCKER_CATEGORY_KEYS, BlockerCategory, SEVERITIES, Severity } from '../../../../libs/domain/src/blocker';
import { COLOURS, Colour } from '../../../../libs/escalation/src/blockers.service';
import { RUNG_KEY_PATTERN, ResponseTime, RungKey, RungMembers, WarningBefore } from '../../../../libs/domain/src/ladder';
import { PageQueryDto } from './page.dto';
import { SearchText } from './search.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReportBlockerDto {
  @ApiProperty({ enum: BLOCKER_CATEGORY_KEYS, description: '征迁 relocation, 资金 funding, …' })
  @IsIn(BLOCKER_CATEGORY_KEYS)
  category: BlockerCategory;

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'normal' })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity: Severity = 'normal';

  @ApiProperty({ example: '3户拆迁户未签订补偿协议' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: '涉及城南片区3户，补偿标准存在争议' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(5000)
  description: string = '';

  @ApiPropertyOptional({ format: 'uuid', description: 'An explicit escalation policy (project office only); default: by category and severity' })
  @IsOptional()
  @IsUUID()
  policyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The unit responsible for this blocker; default: the project’s' })
  @IsOptional()
  @IsUUID()
  responsibleUnitId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'A first due time set by the assigner (交办时限): project office or liaison leader only' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO-8601 date-time' })
  dueAt?: string;
}

export class ResolveBlockerDto {
  @ApiProperty({ example: '已与3户签订补偿协议，完成腾退' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'resolution is required (办结须填写办理结果)' })
  @MaxLength(5000)
  resolution: string;
}

export class BlockerListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() projectId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The responsible unit' }) @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional({ enum: ['open', 'resolved'] }) @IsOptional() @IsIn(['open', 'resolved']) status?: 'open' | 'resolved';
  @ApiPropertyOptional({ example: 'liaison' }) @IsOptional() @Matches(RUNG_KEY_PATTERN, { message: 'rung must be a rung key such as unit, liaison or county' }) rung?: RungKey;
  @ApiPropertyOptional({ enum: BLOCKER_CATEGORY_KEYS }) @IsOptional() @IsIn(BLOCKER_CATEGORY_KEYS) category?: BlockerCategory;
  @ApiPropertyOptional({ enum: COLOURS, description: 'green; yellow: due soon (in the warning window); red: overdue' }) @IsOptional() @IsIn(COLOURS) colour?: Colour;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate({ message: 'dueBefore must be a date-time' }) dueBefore?: Date;
  @ApiPropertyOptional({ enum: ['dueAt', 'reportedAt', 'updatedAt'], default: 'dueAt' }) @IsOptional() @IsIn(['dueAt', 'reportedAt', 'updatedAt']) sort?:
    'dueAt' | 'reportedAt' | 'updatedAt';
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @SearchText('matters whose title is') q?: string;
}

const required = (what: string) => ({ message: `${what} is required (须填写)` });

export class TextDto {
  @ApiProperty({ example: '已与3户中的2户签订协议' }) @Transform(trim) @IsString() @IsNotEmpty(required('text')) @MaxLength(5000) text: string;
}
export class OptionalTextDto {
  @ApiPropertyOptional({ example: '请于本周内反馈进展' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(5000) text?: string;
}
export class ReasonTextDto {
  @ApiProperty({ example: '已多次协调，需县级层面协调资金' }) @Transform(trim) @IsString() @IsNotEmpty(required('reason')) @MaxLength(5000) reason: string;
}
export class ExtensionRequestDto extends ReasonTextDto {
  @ApiProperty({ format: 'date-time', description: 'The due time asked for' }) @IsISO8601({ strict: true }, { message: 'until must be an ISO-8601 date-time' }) until: string;
}
export class ExtensionDecisionDto extends ReasonTextDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Grant: the new due time (default: the one asked for)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO-8601 date-time' })
  until?: string;
}
export class TransferDto extends ReasonTextDto {
  @ApiProperty({ format: 'uuid', description: 'The unit that becomes responsible' }) @IsUUID() toUnitId: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'A new due time; default: the rung’s stays' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO-8601 date-time' })
  dueAt?: string;
}

export class NoticeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unreadOnly?: boolean;
}

/** A response time as the domain checks it: an ISO-8601 string, or working days / hours / a duration. */
const IsResponseTime = (what: string) =>
  ValidateBy({
    name: 'isResponseTime',
    validator: {
      validate: (v: unknown) => v !== undefined && responseTimeProblem(v as ResponseTime, what) === null,
      defaultMessage: () => `${what} must be an ISO-8601 duration such as P3D or PT2H, or {"unit":"workingDays"|"workingHours","amount":N} or {"unit":"duration","iso":"PT2H"}`,
    },
  });

export class PolicyRungDto {
  @ApiProperty({ example: 'unit' }) @Matches(RUNG_KEY_PATTERN, { message: 'rung must be a rung key such as unit, liaison or county' }) rung: RungKey;
  @ApiProperty({ example: { unit: 'workingDays', amount: 5 }, description: 'Working days or hours on the calendar, or an ISO-8601 duration (P3D, PT2H, PT10S)' })
  @IsResponseTime('responseTime')
  responseTime: ResponseTime;
  @ApiPropertyOptional({
    example: { unit: 'workingDays', amount: 1 },
    description: 'A reminder before the due time: {"fraction":0.2}, {"unit":"workingDays","amount":1} or {"unit":"duration","iso":"PT4H"}',
  })
  @IsOptional()
  @IsObject()
  warningBefore?: WarningBefore;
}

export class CreatePolicyDto {
  @ApiProperty({ example: '征迁（一般）' }) @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ enum: BLOCKER_CATEGORY_KEYS, description: 'Omit for the default policy of a severity' })
  @IsOptional()
  @IsIn(BLOCKER_CATEGORY_KEYS)
  category?: BlockerCategory;
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES) severity: Severity;
  @ApiPropertyOptional({ default: true, description: 'Chosen automatically for new matters of its category and severity; false: only when a report names it' })
  @IsOptional()
  @IsBoolean()
  automatic?: boolean;
  @ApiProperty({ type: [PolicyRungDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => PolicyRungDto)
  rungs: PolicyRungDto[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The ladder; default: unit → liaison leader → county committee' }) @IsOptional() @IsUUID() ladderId?: string;
  @ApiPropertyOptional({ example: 'P7D', description: 'At the top rung, once overdue: repeat reminders this often' })
  @IsOptional()
  @IsResponseTime('repeatEvery')
  repeatEvery?: string;
  @ApiPropertyOptional({ example: 'P30D', description: 'How long after resolving a matter may be reopened' }) @IsOptional() @IsResponseTime('reopenWithin') reopenWithin?: string;
}

export class UpdatePolicyDto extends ReasonTextDto {
  @ApiPropertyOptional({ type: [PolicyRungDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => PolicyRungDto)
  rungs?: PolicyRungDto[];
  @ApiPropertyOptional({ example: 'P7D' }) @IsOptional() @IsResponseTime('repeatEvery') repeatEvery?: string;
  @ApiPropertyOptional({ example: 'P30D' }) @IsOptional() @IsResponseTime('reopenWithin') reopenWithin?: string;
}

export class LadderRungDto {
  @ApiProperty({ example: 'city' }) @Matches(RUNG_KEY_PATTERN, { message: 'key must be lower-case letters, digits or underscores' }) key: string;
  @ApiProperty({ example: { zh: '市委市政府', en: 'city committee' } }) @IsObject() name: { zh: string; en: string };
  @ApiProperty({
    example: { kind: 'role', role: 'county_leader' },
    description:
      'responsible_unit | responsible_unit_head | department_staff | unit_leader_in_charge | project_liaison | county_committee | role {role, orgUnitId?} | people {personIds}',
  })
  @IsObject()
  members: RungMembers;
}

export class CreateLadderDto {
  @ApiProperty({ example: '市级督办层级' }) @Transform(trim) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ type: [LadderRungDto] }) @IsArray() @ArrayMinSize(2) @ArrayMaxSize(8) @ValidateNested({ each: true }) @Type(() => LadderRungDto) rungs: LadderRungDto[];
}

/** A ladder's rungs as they are to be (the whole list), and why. */
export class UpdateLadderDto extends ReasonTextDto {
  @ApiProperty({ type: [LadderRungDto] }) @IsArray() @ArrayMinSize(2) @ArrayMaxSize(8) @ValidateNested({ each: true }) @Type(() => LadderRungDto) rungs: LadderRungDto[];
}
