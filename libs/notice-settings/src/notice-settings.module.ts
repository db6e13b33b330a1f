import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { ContactPointsService } from './contact-points.service';
import { DelegationsService } from './delegations.service';
import { NoticeChannelsService } from './notice-channels.service';
import { NoticeSettingsService } from './notice-settings.service';
import { PreferencesService } from './preferences.service';

/**
 * How people are told, as the office and each person set it up: contact
 * points, org-wide notice settings, the county's channels, preferences per
 * notice kind, and delegation (代理). The planner (libs/notices) reads what
 * this module writes; the deputy's right to act is libs/escalation/src/acting-rungs.ts.
 */
@Module({
  imports: [AuditModule],
  providers: [ContactPointsService, NoticeSettingsService, NoticeChannelsService, PreferencesService, DelegationsService],
  exports: [ContactPointsService, NoticeSettingsService, NoticeChannelsService, PreferencesService, DelegationsService],
})
export class NoticeSettingsModule {}
