import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { CalendarStoreModule } from '../../calendar-store/src/calendar-store.module';
import { EscalationModule } from '../../escalation/src/escalation.module';
import { TemporalModule } from '../../temporal/src/temporal.module';
import { ApprovalActivities } from './approval.activities';
import { ApprovalQueueService } from './approval-queue.service';
import { ApprovalsService } from './approvals.service';
import { CatalogueService } from './catalogue.service';

/** The approval green channel: the catalogue, project approval plans, one workflow per item, escalation on the approvals ladder. */
@Module({
  imports: [TemporalModule, AuditModule, CalendarStoreModule, EscalationModule],
  providers: [ApprovalsService, ApprovalQueueService, CatalogueService, ApprovalActivities],
  exports: [ApprovalsService, ApprovalQueueService, CatalogueService, ApprovalActivities],
})
export class ApprovalsModule {}
