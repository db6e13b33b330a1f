import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../libs/notices/src/deliveries.service';
import { PageQueryDto } from './page.dto';

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'dead: the dead-letter list' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

/** One delivery of the outbox (a notice on one channel to one person, a group summary, or a digest). */
export class DeliveryAnswer {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) noticeId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) recipientId: string | null;
  @ApiProperty({ nullable: true, type: String }) recipientName: string | null;
  @ApiProperty() channel: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) channelId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() urgent: boolean;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ description: 'Attempts since it was created or last retried' }) attempts: number;
  @ApiProperty({ description: 'Retries by the project office' }) retries: number;
  @ApiProperty({ description: 'A crash between the provider’s acceptance and our record: the person may have it twice' }) possibleDuplicate: boolean;
  @ApiProperty({ nullable: true, type: String }) providerMessageId: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) notBefore: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deadAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) retriedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) retriedAt: string | null;
}

export class DeliveryAttemptAnswer {
  @ApiProperty() attempt: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) ok: boolean | null;
  @ApiProperty({ nullable: true, type: Number }) httpStatus: number | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'What the provider answered' }) answer: unknown;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}

export class DeliveryDetailAnswer extends DeliveryAnswer {
  @ApiProperty() body: string;
  @ApiProperty({ type: [DeliveryAttemptAnswer] }) attemptLog: DeliveryAttemptAnswer[];
}

export class DeliveryPageAnswer {
  @ApiProperty({ type: [DeliveryAnswer] }) items: DeliveryAnswer[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
