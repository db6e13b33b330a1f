import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/src/audit.module';
import { EscalationModule } from '../../escalation/src/escalation.module';
import { CoordinationMeeting, MeetingAgendaItem, MeetingDecision } from './meeting.entity';
import { MeetingsService } from './meetings.service';

/** Coordination meetings of the county committee (专题协调会) and their decisions. */
@Module({
  imports: [TypeOrmModule.forFeature([CoordinationMeeting, MeetingAgendaItem, MeetingDecision]), AuditModule, EscalationModule],
  providers: [MeetingsService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
