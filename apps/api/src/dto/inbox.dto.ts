import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { NOTICE_KINDS, NoticeKind } from '../../../../libs/notices/src/notice.entity';
import { IsInstant } from './instant';
import { PageQueryDto } from './page.dto';

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** My inbox, filtered. */
export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Only notices not yet read' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  unreadOnly?: boolean;

  @ApiPropertyOptional({ enum: NOTICE_KINDS })
  @IsOptional()
  @IsIn(NOTICE_KINDS)
  kind?: NoticeKind;

  @ApiPropertyOptional({ description: 'true: only urgent notices; false: only normal ones' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  urgent?: boolean;

  @ApiPropertyOptional({ description: 'true: only notices whose 签收 is still owed; false: all others' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  ackPending?: boolean;
}

export class ReadNoticeDto {
  @ApiPropertyOptional({ example: '已阅' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(500) reason?: string;
}

/** Marks my unread notices read: all, or of one kind, or stored up to an instant. */
export class ReadAllDto extends ReadNoticeDto {
  @ApiPropertyOptional({ enum: NOTICE_KINDS }) @IsOptional() @IsIn(NOTICE_KINDS) kind?: NoticeKind;
  @ApiPropertyOptional({ format: 'date-time', description: 'Only notices stored at or before this instant (what the page showed)' })
  @IsOptional()
  @IsInstant('before')
  before?: string;
}

export class StreamQueryDto {
  @ApiPropertyOptional({ description: 'A ticket from POST /api/notices/stream-tickets (single use, 60 s); or send Authorization: Bearer' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  ticket?: string;

  @ApiPropertyOptional({ description: 'As the Last-Event-ID header (a notice id, or the `ready` event’s id), for clients that cannot send it' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastEventId?: string;
}
