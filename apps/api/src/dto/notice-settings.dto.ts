import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CHANNEL_KINDS, type ChannelKind, PERSONAL_CHANNELS, type PersonalChannel } from '../../../../libs/channels/src/channel';
import { RUNG_KEY_PATTERN } from '../../../../libs/domain/src/ladder';
import { NOTICE_KINDS, type NoticeKind } from '../../../../libs/notices/src/notice.entity';
import { CLOCK_PATTERN, FEISHU_OPEN_ID_PATTERN, MOBILE_PATTERN, PLATFORM_USER_ID_PATTERN } from '../../../../libs/notice-settings/src/rules';
import { IsInstant } from './instant';
import { PageQueryDto } from './page.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const required = (what: string) => ({ message: `${what} is required (须填写)` });
/** Each may be null to remove it. */
const nullable = (o: ApiPropertyOptions): ApiPropertyOptions => ({ ...o, nullable: true }) as ApiPropertyOptions;

export class ContactPointsDto {
  @ApiPropertyOptional(nullable({ example: '13800138000', description: 'Mainland mobile, optionally +86' }))
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(MOBILE_PATTERN, { message: 'mobile must be a mainland mobile number, e.g. 13800138000 (须为有效的手机号码)' })
  mobile?: string | null;

  @ApiPropertyOptional(nullable({ example: 'leader@county.gov.cn' }))
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an e-mail address (须为有效的电子邮箱)' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional(nullable({ example: 'manager4220', description: 'DingTalk userid (work notifications)' }))
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(PLATFORM_USER_ID_PATTERN, { message: 'dingtalkUserId must be 1–64 letters, digits or . _ - @ (须为有效的钉钉用户ID)' })
  dingtalkUserId?: string | null;

  @ApiPropertyOptional(nullable({ example: 'ZhangSan', description: 'WeCom userid (application messages)' }))
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(PLATFORM_USER_ID_PATTERN, { message: 'wecomUserId must be 1–64 letters, digits or . _ - @ (须为有效的企业微信用户ID)' })
  wecomUserId?: string | null;

  @ApiPropertyOptional(nullable({ example: 'ou_7d8a6e6df7621556ce0d21922b676706ccs', description: 'Feishu open_id' }))
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(FEISHU_OPEN_ID_PATTERN, { message: 'feishuOpenId must be ou_ followed by letters and digits (须为有效的飞书open_id)' })
  feishuOpenId?: string | null;

  @ApiPropertyOptional({ example: '更换手机号码' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(5000) reason?: string;
}

export class NoticeSettingsDto {
  @ApiPropertyOptional({ example: '22:00', pattern: CLOCK_PATTERN.source })
  @IsOptional()
  @Matches(CLOCK_PATTERN, { message: 'quietStart must be HH:mm (须为时:分，如22:00)' })
  quietStart?: string;

  @ApiPropertyOptional({ example: '07:30', pattern: CLOCK_PATTERN.source })
  @IsOptional()
  @Matches(CLOCK_PATTERN, { message: 'quietEnd must be HH:mm (须为时:分，如07:30)' })
  quietEnd?: string;

  @ApiPropertyOptional({ example: '08:30', pattern: CLOCK_PATTERN.source })
  @IsOptional()
  @Matches(CLOCK_PATTERN, { message: 'digestAt must be HH:mm (须为时:分，如08:30)' })
  digestAt?: string;

  @ApiPropertyOptional({ enum: NOTICE_KINDS, isArray: true, description: 'Kinds the office makes urgent, beside the built-in urgent cases' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(NOTICE_KINDS, { each: true, message: `urgentKinds must be notice kinds: ${NOTICE_KINDS.join(', ')} (须为通知类型)` })
  urgentKinds?: NoticeKind[];

  @ApiPropertyOptional({ enum: PERSONAL_CHANNELS, isArray: true, description: 'The personal channels people may choose' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(PERSONAL_CHANNELS, { each: true, message: `allowedChannels must be personal channels: ${PERSONAL_CHANNELS.join(', ')} (须为个人渠道)` })
  allowedChannels?: PersonalChannel[];

  @ApiPropertyOptional({ minimum: 1, maximum: 50, example: 8 })
  @IsOptional()
  @IsInt({ message: 'maxAttempts must be an integer (须为整数)' })
  @Min(1, { message: 'maxAttempts must be at least 1 (至少1次)' })
  @Max(50, { message: 'maxAttempts must be at most 50 (至多50次)' })
  maxAttempts?: number;

  @ApiProperty({ example: '调整免打扰时段' }) @Transform(trim) @IsString() @IsNotEmpty(required('reason')) @MaxLength(5000) reason: string;
}

export class ChannelScopeDto {
  @ApiPropertyOptional({ type: [String], example: ['county'], description: 'Rung keys whose notices the group gets' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(RUNG_KEY_PATTERN, { each: true, message: 'rungs must be rung keys (须为层级代码)' })
  rungs?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Units whose matters the group gets' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'orgUnitIds must be uuids (须为单位ID)' })
  orgUnitIds?: string[];
}

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_KINDS }) @IsIn(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')} (渠道类型无效)` }) kind: ChannelKind;
  @ApiProperty({ example: '县委县政府督办群' }) @Transform(trim) @IsString() @IsNotEmpty(required('name')) @MaxLength(100) name: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The provider settings; checked by the channel adapter (see README)' })
  @IsObject({ message: 'settings must be an object (须为对象)' })
  settings: Record<string, unknown>;
  @ApiPropertyOptional({ type: ChannelScopeDto }) @IsOptional() @ValidateNested() @Type(() => ChannelScopeDto) scope?: ChannelScopeDto;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateChannelDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) name?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Merged over the stored settings: a masked secret need not be sent again' })
  @IsOptional()
  @IsObject({ message: 'settings must be an object (须为对象)' })
  settings?: Record<string, unknown>;
  @ApiPropertyOptional({ type: ChannelScopeDto }) @IsOptional() @ValidateNested() @Type(() => ChannelScopeDto) scope?: ChannelScopeDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiProperty({ example: '更换机器人密钥' }) @Transform(trim) @IsString() @IsNotEmpty(required('reason')) @MaxLength(5000) reason: string;
}

export class ChannelTestDto {
  @ApiPropertyOptional({ example: '13800138000', description: 'For a personal channel: the address to send the test to (user id, mobile, e-mail)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  address?: string;
}

export class PreferenceDto {
  @ApiProperty({ enum: NOTICE_KINDS }) @IsIn(NOTICE_KINDS, { message: 'kind must be a notice kind (通知类型无效)' }) kind: NoticeKind;
  @ApiProperty({ enum: PERSONAL_CHANNELS, isArray: true, description: 'Besides the inbox, which is always there' })
  @IsArray()
  @ArrayUnique()
  @IsIn(PERSONAL_CHANNELS, { each: true, message: `channels must be personal channels: ${PERSONAL_CHANNELS.join(', ')} (须为个人渠道)` })
  channels: PersonalChannel[];
  @ApiPropertyOptional({ default: false, description: 'Wait for the morning digest instead of a message of its own (not for urgent kinds)' })
  @IsOptional()
  @IsBoolean()
  digest: boolean = false;
}

class PreferenceSetDto {
  @ApiProperty({ type: [PreferenceDto], description: 'Replaces the whole set at this level; a kind left out follows the level below' })
  @IsArray()
  @ArrayMaxSize(NOTICE_KINDS.length)
  @ValidateNested({ each: true })
  @Type(() => PreferenceDto)
  preferences: PreferenceDto[];
}

export class PreferencesDto extends PreferenceSetDto {
  @ApiPropertyOptional({ example: '休假期间只收短信' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(5000) reason?: string;
}

export class DefaultPreferencesDto extends PreferenceSetDto {
  @ApiProperty({ example: '统一默认渠道' }) @Transform(trim) @IsString() @IsNotEmpty(required('reason')) @MaxLength(5000) reason: string;
}

export class CreateDelegationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'deputyId must be a uuid (须为人员ID)' }) deputyId: string;
  @ApiProperty({ format: 'date-time' }) @IsInstant('startsAt') startsAt: string;
  @ApiProperty({ format: 'date-time' }) @IsInstant('endsAt') endsAt: string;
  @ApiProperty({ example: '外出学习培训' }) @Transform(trim) @IsString() @IsNotEmpty(required('reason')) @MaxLength(5000) reason: string;
}

export class DelegationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only delegations running now' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false (须为true或false)' })
  active?: boolean;
}
