import { DataSource } from 'typeorm';
import { AuditService } from '../../libs/audit/src/audit.service';
import { CalendarStore } from '../../libs/calendar-store/src/calendar-store.service';
import { loadConfig } from '../../libs/config/src';
import { EscalationActivities } from '../../libs/escalation/src/escalation.activities';

/** The escalation's real activities over a test database, wired as the worker wires them (its audit log and calendar store). */
export function escalationActivities(db: { ds: DataSource; url: string }): EscalationActivities {
  const cfg = loadConfig({ DATABASE_URL: db.url });
  const audit = new AuditService(db.ds);
  return new EscalationActivities(db.ds, cfg, audit, new CalendarStore(db.ds, audit, cfg));
}
