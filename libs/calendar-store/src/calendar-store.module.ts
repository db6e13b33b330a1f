import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/src/audit.module';
import { CalendarAmendmentRow, CalendarNoticeYear } from './calendar-day.entity';
import { CalendarStore } from './calendar-store.service';

/** The organisation's working-day calendar, as data the project office keeps. */
@Module({
  imports: [TypeOrmModule.forFeature([CalendarAmendmentRow, CalendarNoticeYear]), AuditModule],
  providers: [CalendarStore],
  exports: [CalendarStore],
})
export class CalendarStoreModule {}
