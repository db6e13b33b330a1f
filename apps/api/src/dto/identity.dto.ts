import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDate, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { API_SCOPES, ApiScope } from '../../../../libs/domain/src/access';
import { PageQueryDto } from './page.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LoginDto {
  @ApiProperty({ example: 'office' }) @IsString() @Length(1, 100) username: string;
  @ApiProperty() @IsString() @Length(1, 200) password: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @Length(1, 200) refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @Length(1, 200) currentPassword: string;
  @ApiProperty({ description: '10+ characters, letters and digits, not containing the username' }) @IsString() @Length(1, 200) newPassword: string;
}

/** Why an administrative change is made: kept in the audit log. */
export class ReasonDto {
  @ApiProperty({ example: '人员调离' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'reason is required (须填写原因)' })
  @MaxLength(1000)
  reason: string;
}

export class CreateAccountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId: string;
  @ApiProperty({ example: 'wangjianguo' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(/^[a-z0-9._-]{3,40}$/, { message: 'username must be 3–40 lower-case letters, digits, dot, underscore or hyphen' })
  username: string;
  @ApiPropertyOptional({ description: 'Initial password; generated (and shown once) when absent' }) @IsOptional() @IsString() @Length(1, 200) password?: string;
  @ApiPropertyOptional({ default: true, description: 'The person must change the password at first login' }) @IsOptional() @IsBoolean() mustChangePassword?: boolean;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: '市重点项目平台' }) @Transform(trim) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ enum: API_SCOPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_SCOPES, { each: true })
  scopes: ApiScope[];
}

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'blocker' }) @IsOptional() @IsString() @MaxLength(50) targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) targetId?: string;
  @ApiPropertyOptional({ description: 'person or API key id' }) @IsOptional() @IsString() @MaxLength(100) actorId?: string;
  @ApiPropertyOptional({ example: 'blocker.resolve' }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate({ message: 'from must be a date-time' }) from?: Date;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate({ message: 'to must be a date-time' }) to?: Date;
}

export class UpdatePersonDto extends ReasonDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orgUnitId?: string;
  @ApiPropertyOptional({ example: '县发改局局长' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(100) title?: string;
  @ApiPropertyOptional({ isArray: true, description: 'The person’s roles (they decide what the person may do)' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(['unit_staff', 'unit_head', 'liaison_leader', 'county_leader', 'project_office', 'supervision', 'approval_staff'], { each: true })
  roles?: string[];
}
