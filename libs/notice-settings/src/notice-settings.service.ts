import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import type { PersonalChannel } from '../../channels/src/channel';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { ALWAYS_URGENT_KINDS } from './rules';

/** The organisation's notice settings (one row): quiet hours, digest time, extra urgent kinds, allowed channels, retries. */
export interface NoticeSettings {
  quietStart: string;
  quietEnd: string;
  digestAt: string;
  /** The office's additions to the built-in urgent cases. */
  urgentKinds: string[];
  /** The personal channels people may choose. */
  allowedChannels: PersonalChannel[];
  maxAttempts: number;
  updatedAt: Date;
  updatedBy: string | null;
}

export type NoticeSettingsChange = Partial<Pick<NoticeSettings, 'quietStart' | 'quietEnd' | 'digestAt' | 'urgentKinds' | 'allowedChannels' | 'maxAttempts'>> & { reason: string };

const FIELDS = ['quietStart', 'quietEnd', 'digestAt', 'urgentKinds', 'allowedChannels', 'maxAttempts'] as const;

@Injectable()
export class NoticeSettingsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The settings, with the kinds that are urgent whatever the office says (for a settings page to show). */
  async get(em: EntityManager = this.ds.manager): Promise<NoticeSettings & { builtInUrgentKinds: readonly string[] }> {
    return { ...(await read(em)), builtInUrgentKinds: ALWAYS_URGENT_KINDS };
  }

  async update(ctx: RequestContext, change: NoticeSettingsChange): Promise<NoticeSettings & { builtInUrgentKinds: readonly string[] }> {
    return this.ds.transaction(async (em) => {
      const before = await read(em, true);
      const after = { ...before };
      for (const f of FIELDS) if (change[f] !== undefined) (after as Record<string, unknown>)[f] = change[f];
      after.urgentKinds = [...new Set(after.urgentKinds)];
      after.allowedChannels = [...new Set(after.allowedChannels)];
      if (after.quietStart === after.quietEnd)
        throw new DomainError(DomainErrorCode.Invalid, '免打扰开始时间与结束时间不能相同', 'Quiet hours must start and end at different times');
      const personId = ctx.actor.kind === 'person' ? ctx.actor.personId : null;
      await em.query(
        `UPDATE notice_settings SET quiet_start = $1, quiet_end = $2, digest_at = $3, urgent_kinds = $4, allowed_channels = $5, max_attempts = $6,
           updated_at = now(), updated_by = $7 WHERE id = 1`,
        [after.quietStart, after.quietEnd, after.digestAt, after.urgentKinds, after.allowedChannels, after.maxAttempts, personId],
      );
      const summary = (s: NoticeSettings) => Object.fromEntries(FIELDS.map((f) => [f, s[f]]));
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'notice_settings.update',
        targetType: 'notice_settings',
        targetId: '1',
        before: summary(before),
        after: summary(after),
        reason: change.reason,
        requestId: ctx.requestId,
      });
      return { ...(await read(em)), builtInUrgentKinds: ALWAYS_URGENT_KINDS };
    });
  }
}

/** The one row; the migration inserts it, and it is put back with the defaults should it ever be missing. */
async function read(em: EntityManager, lock = false): Promise<NoticeSettings> {
  const select = `SELECT * FROM notice_settings WHERE id = 1${lock ? ' FOR UPDATE' : ''}`;
  let [r] = await em.query(select);
  if (!r) {
    await em.query(`INSERT INTO notice_settings (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);
    [r] = await em.query(select);
  }
  return {
    quietStart: r.quiet_start,
    quietEnd: r.quiet_end,
    digestAt: r.digest_at,
    urgentKinds: r.urgent_kinds,
    allowedChannels: r.allowed_channels,
    maxAttempts: r.max_attempts,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}
