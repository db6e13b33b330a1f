import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { mayReadContact } from '../../domain/src/access';
import { DomainError } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { mustBeSelfOrOffice, PERSON } from './access';
import { mask, normaliseMobile } from './rules';

/** A person's contact points: where each personal channel reaches them. */
export interface ContactPoints {
  personId: string;
  mobile: string | null;
  email: string | null;
  dingtalkUserId: string | null;
  wecomUserId: string | null;
  feishuOpenId: string | null;
}

/** undefined: leave as is; null: remove. */
export type ContactPointsChange = Partial<Omit<ContactPoints, 'personId'>> & { reason?: string };

const COLUMN: Record<keyof Omit<ContactPoints, 'personId'>, string> = {
  mobile: 'phone',
  email: 'email',
  dingtalkUserId: 'dingtalk_user_id',
  wecomUserId: 'wecom_user_id',
  feishuOpenId: 'feishu_open_id',
};
const FIELDS = Object.keys(COLUMN) as (keyof typeof COLUMN)[];

/** Contact points are personal data: read under the contact privacy rule, written by the person or the office, audited masked. */
@Injectable()
export class ContactPointsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(ctx: RequestContext, personId: string): Promise<ContactPoints> {
    // The same rule as the contact privacy interceptor (the person, the office, an org:write system).
    if (!mayReadContact(ctx.actor, personId))
      throw DomainError.forbidden('只有本人或项目办可以查看联系方式', 'Only the person themself or the project office may read contact points');
    return this.load(this.ds.manager, personId);
  }

  async set(ctx: RequestContext, personId: string, change: ContactPointsChange): Promise<ContactPoints> {
    mustBeSelfOrOffice(ctx.actor, personId);
    const next: Partial<Record<keyof typeof COLUMN, string | null>> = {};
    for (const f of FIELDS) {
      const v = change[f];
      if (v === undefined) continue;
      next[f] = v === null || v === '' ? null : f === 'mobile' ? normaliseMobile(v) : v;
    }
    return this.ds.transaction(async (em) => {
      const before = await this.load(em, personId, true);
      const changed = FIELDS.filter((f) => f in next && next[f] !== before[f]);
      if (!changed.length) return before;
      const sets = changed.map((f, i) => `${COLUMN[f]} = $${i + 2}`).join(', ');
      await em.query(`UPDATE person SET ${sets} WHERE id = $1`, [personId, ...changed.map((f) => next[f])]);
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'person.contact_points',
        targetType: 'person',
        targetId: personId,
        // Masked: the audit log is read more widely than contact data may be.
        before: Object.fromEntries(changed.map((f) => [f, mask(before[f])])),
        after: Object.fromEntries(changed.map((f) => [f, mask(next[f])])),
        reason: change.reason ?? null,
        requestId: ctx.requestId,
      });
      return { ...before, ...next };
    });
  }

  private async load(em: DataSource['manager'], personId: string, lock = false): Promise<ContactPoints> {
    const [row] = await em.query(`SELECT id, phone, email, dingtalk_user_id, wecom_user_id, feishu_open_id FROM person WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [personId]);
    if (!row) throw DomainError.notFound(PERSON, personId);
    return {
      personId: row.id,
      mobile: row.phone,
      email: row.email,
      dingtalkUserId: row.dingtalk_user_id,
      wecomUserId: row.wecom_user_id,
      feishuOpenId: row.feishu_open_id,
    };
  }
}
