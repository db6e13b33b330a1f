import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/src/audit.module';
import { Person } from '../../org/src/person.entity';
import { Project } from '../../projects/src/project.entity';
import { TemporalModule } from '../../temporal/src/temporal.module';
import { Blocker } from './blocker.entity';
import { BlockerEvent } from './blocker-event.entity';
import { BlockersService } from './blockers.service';
import { EscalationActivities } from './escalation.activities';
import { EscalationPolicy } from './escalation-policy.entity';
import { Ladder } from './ladder.entity';
import { CalendarStoreModule } from '../../calendar-store/src/calendar-store.module';
import { PoliciesService } from './policies.service';

/** Blockers and their escalation up the ladder (层级督办). */
@Module({
  imports: [TemporalModule, AuditModule, TypeOrmModule.forFeature([Blocker, BlockerEvent, EscalationPolicy, Ladder, Project, Person]), CalendarStoreModule],
  providers: [BlockersService, PoliciesService, EscalationActivities],
  exports: [BlockersService, PoliciesService, EscalationActivities],
})
export class EscalationModule {}
