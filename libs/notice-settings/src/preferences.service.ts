import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import type { PersonalChannel } from '../../channels/src/channel';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import type { NoticeKind } from '../../notices/src/notice.entity';
import { mustBeSelfOrOffice, PERSON } from './access';
import { NoticeSettingsService } from './notice-settings.service';
import { type Choices, choicesOf, reachableChannels } from './read';
import { effectivePreferences, type EffectivePreference, undigestibleKinds } from './rules';

export interface PreferenceChoice {
  kind: NoticeKind;
  channels: PersonalChannel[];
  digest: boolean;
}

export interface PreferencesView {
  /** null: the organisation's defaults. */
  personId: string | null;
  allowedChannels: PersonalChannel[];
  /** Allowed, enabled, and (for a person) with a contact point of theirs: what notices can go on now. */
  reachableChannels: PersonalChannel[];
  /** Per kind: what applies now and where it came from (own, org default, built in). */
  effective: EffectivePreference[];
  /** What was chosen at this level (the person's own, or the office's defaults). */
  chosen: PreferenceChoice[];
}

/**
 * Channel preferences per notice kind. The office sets the organisation's
 * defaults (person_id NULL); a person narrows or widens their own within the
 * channels the office allows. A PUT replaces the whole set at its level: a
 * kind left out follows the level below (org default, then built in).
 */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly settings: NoticeSettingsService,
  ) {}

  async get(ctx: RequestContext, personId: string | null): Promise<PreferencesView> {
    if (personId) mustBeSelfOrOffice(ctx.actor, personId);
    return this.view(this.ds.manager, personId);
  }

  async set(ctx: RequestContext, personId: string | null, choices: PreferenceChoice[], reason: string | null): Promise<PreferencesView> {
    if (personId) mustBeSelfOrOffice(ctx.actor, personId);
    const kinds = choices.map((c) => c.kind);
    const twice = kinds.filter((k, i) => kinds.indexOf(k) !== i);
    if (twice.length) throw invalid(`通知类型重复：${[...new Set(twice)].join('、')}`, `A notice kind is given twice: ${[...new Set(twice)].join(', ')}`);
    return this.ds.transaction(async (em) => {
      if (personId && !(await em.query(`SELECT 1 FROM person WHERE id = $1`, [personId])).length) throw DomainError.notFound(PERSON, personId);
      const s = await this.settings.get(em);
      for (const c of choices) {
        const refused = c.channels.filter((ch) => !s.allowedChannels.includes(ch));
        if (refused.length)
          throw invalid(
            `项目办未开放以下渠道：${refused.join('、')}（可选：${s.allowedChannels.join('、') || '无'}）`,
            `The project office does not allow: ${refused.join(', ')} (allowed: ${s.allowedChannels.join(', ') || 'none'})`,
            { kind: c.kind, refused, allowed: s.allowedChannels },
          );
      }
      const urgent = undigestibleKinds(s.urgentKinds);
      const digestUrgent = choices.filter((c) => c.digest && urgent.has(c.kind)).map((c) => c.kind);
      if (digestUrgent.length)
        throw invalid(
          `紧急类通知不能放入汇总提醒，须即时送达：${digestUrgent.join('、')}`,
          `Urgent kinds are sent at once and cannot go into the digest: ${digestUrgent.join(', ')}`,
          { kinds: digestUrgent },
        );
      // One writer per level at a time: the set is replaced (delete, insert), and two at once would collide on the key.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('notice_preference:' || $1::text))`, [personId ?? 'defaults']);
      const before = await choicesOf(em, personId);
      await em.query(`DELETE FROM notice_preference WHERE person_id IS NOT DISTINCT FROM $1`, [personId]);
      const by = ctx.actor.kind === 'person' ? ctx.actor.personId : null;
      for (const c of choices) {
        await em.query(`INSERT INTO notice_preference (person_id, kind, channels, digest, updated_by) VALUES ($1,$2,$3,$4,$5)`, [
          personId,
          c.kind,
          [...new Set(c.channels)],
          c.digest,
          by,
        ]);
      }
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: personId ? 'notice_preference.update' : 'notice_preference.defaults',
        targetType: personId ? 'person' : 'notice_preference',
        targetId: personId ?? 'defaults',
        before: Object.fromEntries(before),
        after: Object.fromEntries(choices.map((c) => [c.kind, { channels: [...new Set(c.channels)], digest: c.digest }])),
        reason,
        requestId: ctx.requestId,
      });
      return this.view(em, personId);
    });
  }

  private async view(em: EntityManager, personId: string | null): Promise<PreferencesView> {
    if (personId && !(await em.query(`SELECT 1 FROM person WHERE id = $1`, [personId])).length) throw DomainError.notFound(PERSON, personId);
    const s = await this.settings.get(em);
    const defaults = await choicesOf(em, null);
    const own: Choices = personId ? await choicesOf(em, personId) : new Map();
    const chosen = personId ? own : defaults;
    const reachable = await reachableChannels(em, personId, s.allowedChannels);
    return {
      personId,
      allowedChannels: s.allowedChannels,
      reachableChannels: reachable,
      effective: effectivePreferences(own, defaults, reachable, s.urgentKinds),
      chosen: [...chosen].map(([kind, c]) => ({ kind: kind as NoticeKind, channels: c.channels as PersonalChannel[], digest: c.digest })),
    };
  }
}

const invalid = (zh: string, en: string, details?: unknown) => new DomainError(DomainErrorCode.Invalid, zh, en, details);
