import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { EscalationModule } from '../../escalation/src/escalation.module';
import { TemporalModule } from '../../temporal/src/temporal.module';
import { BattleMapService } from './battle-map.service';
import { LifecycleActivities } from './lifecycle.activities';
import { LifecycleService } from './lifecycle.service';

/** A key project's life: its milestone plan, stages and their colours (one workflow per project), and the battle map over them. */
@Module({
  imports: [TemporalModule, AuditModule, EscalationModule],
  providers: [LifecycleService, LifecycleActivities, BattleMapService],
  exports: [LifecycleService, LifecycleActivities, BattleMapService],
})
export class LifecycleModule {}
