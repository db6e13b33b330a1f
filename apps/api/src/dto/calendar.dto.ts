import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsDay } from './instant';
import { ReasonTextDto } from './blocker.dto';

export class AmendmentDto extends ReasonTextDto {
  @ApiProperty({ example: '2026-12-31' }) @IsDay('date') date: string;
  @ApiProperty({ enum: ['off', 'work'] }) @IsIn(['off', 'work']) kind: 'off' | 'work';
  @ApiPropertyOptional({ example: '县庆放假一天' }) @IsOptional() @IsString() @MaxLength(200) note: string = '';
}

export class NoticeDayDto {
  @ApiProperty({ example: '2027-01-01' }) @IsDay('date') date: string;
  @ApiProperty({ enum: ['off', 'work'] }) @IsIn(['off', 'work']) kind: 'off' | 'work';
  @ApiPropertyOptional({ example: '元旦' }) @IsOptional() @IsString() @MaxLength(100) note?: string;
}

/** A notice's content: what a load sets, and what a replacement sets instead. */
export class NoticeDaysDto extends ReasonTextDto {
  @ApiProperty({ example: '国务院办公厅关于2027年部分节假日安排的通知' }) @IsString() @MaxLength(200) note: string;
  @ApiProperty({ type: [NoticeDayDto] }) @IsArray() @ArrayMaxSize(80) @ValidateNested({ each: true }) @Type(() => NoticeDayDto) days: NoticeDayDto[];
}

export class NoticeYearDto extends NoticeDaysDto {
  @ApiProperty({ example: 2027 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
}

export class DaysQueryDto {
  @ApiProperty({ example: '2026-10-01' }) @IsDay('from') from: string;
  @ApiProperty({ example: '2026-10-31' }) @IsDay('to') to: string;
}

export class DueQueryDto {
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 date-time' }) from: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365) workingDays?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2000) workingHours?: number;
}
