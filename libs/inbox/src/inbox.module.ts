import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { ConfigModule } from '../../config/src/config.module';
import { EscalationModule } from '../../escalation/src/escalation.module';
import { InboxService } from './inbox.service';
import { InboxStreams } from './inbox-streams.service';
import { NoticeListener } from './notice-listener.service';
import { StreamTicketsService } from './stream-tickets.service';

/** The inbox as people use it (read, read all, counts, 签收) and its live stream (LISTEN, SSE). API only. */
@Module({
  imports: [ConfigModule, AuditModule, EscalationModule],
  providers: [InboxService, StreamTicketsService, NoticeListener, InboxStreams],
  exports: [InboxService, StreamTicketsService, InboxStreams],
})
export class InboxModule {}
