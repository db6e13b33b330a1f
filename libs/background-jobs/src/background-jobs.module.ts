import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { CalendarStoreModule } from '../../calendar-store/src/calendar-store.module';
import { EscalationModule } from '../../escalation/src/escalation.module';
import { TemporalModule } from '../../temporal/src/temporal.module';
import { BackgroundJobActivities } from './background-job.activities';
import { BackgroundJobsService } from './background-jobs.service';

/** Durable background jobs over many open matters (calendar recompute, policy apply). */
@Module({
  imports: [TemporalModule, AuditModule, CalendarStoreModule, EscalationModule],
  providers: [BackgroundJobsService, BackgroundJobActivities],
  exports: [BackgroundJobsService, BackgroundJobActivities],
})
export class BackgroundJobsModule {}
