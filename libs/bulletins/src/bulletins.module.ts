import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { TemporalModule } from '../../temporal/src/temporal.module';
import { BulletinActivities } from './bulletin.activities';
import { BulletinsService } from './bulletins.service';
import { SchedulesService } from './schedules.service';

/** Weekly ranking and bulletins (一周一排序, 通报) and the monthly investment check, on Temporal Schedules. */
@Module({
  imports: [TemporalModule, AuditModule],
  providers: [BulletinsService, SchedulesService, BulletinActivities],
  exports: [BulletinsService, SchedulesService, BulletinActivities],
})
export class BulletinsModule {}
