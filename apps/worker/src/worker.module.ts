import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config/src/config.module';
import { ApprovalsModule } from '../../../libs/approvals/src/approvals.module';
import { BulletinsModule } from '../../../libs/bulletins/src/bulletins.module';
import { LifecycleModule } from '../../../libs/lifecycle/src/lifecycle.module';
import { EscalationModule } from '../../../libs/escalation/src/escalation.module';
import { PersistenceModule } from '../../../libs/persistence/src/persistence.module';
import { BackgroundJobsModule } from '../../../libs/background-jobs/src/background-jobs.module';
import { OutboxModule } from '../../../libs/notices/src/outbox.module';
import { WorkerService } from './worker.service';

@Module({
  imports: [ConfigModule, PersistenceModule, EscalationModule, LifecycleModule, BulletinsModule, ApprovalsModule, BackgroundJobsModule, OutboxModule],
  providers: [WorkerService],
})
export class WorkerModule {}
