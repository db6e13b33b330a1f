import { DataSource, DataSourceOptions } from 'typeorm';
import { OrgUnit } from '../../org/src/org-unit.entity';
import { Person } from '../../org/src/person.entity';
import { Project } from '../../projects/src/project.entity';
import { EscalationPolicy } from '../../escalation/src/escalation-policy.entity';
import { Blocker } from '../../escalation/src/blocker.entity';
import { BlockerEvent } from '../../escalation/src/blocker-event.entity';
import { Notice } from '../../notices/src/notice.entity';
import { Initial1763870400000 } from './migrations/1763870400000-initial';
import { Identity1763950000000 } from './migrations/1763950000000-identity';
import { AuditLog1763960000000 } from './migrations/1763960000000-audit-log';
import { Account } from '../../identity/src/account.entity';
import { Session } from '../../identity/src/session.entity';
import { ApiKey } from '../../identity/src/api-key.entity';
import { AuditEntry } from '../../audit/src/audit-entry.entity';
import { Ladder } from '../../escalation/src/ladder.entity';
import { CalendarAmendmentRow, CalendarNoticeYear } from '../../calendar-store/src/calendar-day.entity';
import { Calendar1763970000000 } from './migrations/1763970000000-calendar';
import { Meetings1763990000000 } from './migrations/1763990000000-meetings';
import { Investment1764000000000 } from './migrations/1764000000000-investment';
import { Lifecycle1764010000000 } from './migrations/1764010000000-lifecycle';
import { Approvals1764030000000 } from './migrations/1764030000000-approvals';
import { DeemedApproval1764040000000 } from './migrations/1764040000000-deemed-approval';
import { CalendarNoticeDays1764150000000 } from './migrations/1764150000000-calendar-notice-days';
import { NoticeDelivery1764200000000 } from './migrations/1764200000000-notice-delivery';
import { DeliveryRetries1764210000000 } from './migrations/1764210000000-delivery-retries';
import { StreamTicket1764230000000 } from './migrations/1764230000000-stream-ticket';
import { LedgerMappingProgress1764320000000 } from './migrations/1764320000000-ledger-mapping-progress';
import { BackgroundJobs1764110000000 } from './migrations/1764110000000-background-jobs';
import { CoordinationMeeting, MeetingAgendaItem, MeetingDecision } from '../../meetings/src/meeting.entity';
import { LadderV21763980000000 } from './migrations/1763980000000-ladder-v2';
import { IdempotencyKey1764120000000 } from './migrations/1764120000000-idempotency-key';
import { IssuedDocumentNo1764140000000 } from './migrations/1764140000000-issued-document-no';
import { StuckActivity1764141000000 } from './migrations/1764141000000-stuck-activity';

export const ENTITIES = [
  OrgUnit,
  Person,
  Project,
  EscalationPolicy,
  Blocker,
  BlockerEvent,
  Notice,
  Account,
  Session,
  ApiKey,
  AuditEntry,
  Ladder,
  CalendarAmendmentRow,
  CalendarNoticeYear,
  CoordinationMeeting,
  MeetingAgendaItem,
  MeetingDecision,
];
/** Listed by hand, in order: the schema changes only through these committed migrations. */
export const MIGRATIONS = [
  Initial1763870400000,
  Identity1763950000000,
  AuditLog1763960000000,
  Calendar1763970000000,
  LadderV21763980000000,
  Meetings1763990000000,
  Investment1764000000000,
  Lifecycle1764010000000,
  Approvals1764030000000,
  DeemedApproval1764040000000,
  BackgroundJobs1764110000000,
  IdempotencyKey1764120000000,
  IssuedDocumentNo1764140000000,
  StuckActivity1764141000000,
  CalendarNoticeDays1764150000000,
  NoticeDelivery1764200000000,
  DeliveryRetries1764210000000,
  StreamTicket1764230000000,
  LedgerMappingProgress1764320000000,
];

export function dataSourceOptions(url: string, poolMax = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // A database that does not answer is reported (503) within seconds, not waited for.
    extra: { max: poolMax, connectionTimeoutMillis: 3000 },
  };
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
