import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { CalendarStore } from '../../calendar-store/src/calendar-store.service';
import { CONTACT_OF, PERSONAL_CHANNELS, type PersonalChannel } from '../../channels/src/channel';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { localDate, nextDigestAt } from '../../domain/src/notice-rules';
import { NORMAL_FALLBACK_ORDER, loadNoticeSettings, reachableChannels } from './delivery-planner';

/** The digest workflow's id: one for the organisation, started by the worker at boot. */
export const NOTICE_DIGEST_WORKFLOW_ID = 'duban-notice-digest';

interface DigestItem {
  id: string;
  recipient_id: string;
  kind: string;
  title: string;
  created_at: Date;
  matter: string | null;
}

/**
 * The morning digest's side effects (汇总提醒): when it is due (the office's
 * digest time on the calendar's next working day), and one delivery per person
 * and digest channel listing their unread digest notices, grouped by matter.
 * Idempotent: the delivery's key is d:<local date>:<person>:<channel>, and the
 * notices listed are marked digested in the same transaction.
 */
@Injectable()
export class DigestActivities {
  constructor(
    private readonly ds: DataSource,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
    private readonly calendar: CalendarStore,
  ) {}

  async nextDigestTime(a: { afterIso: string }): Promise<string> {
    const settings = await loadNoticeSettings(this.ds.manager);
    const cal = await this.calendar.current(true);
    return new Date(nextDigestAt(Date.parse(a.afterIso), settings.digest_at, this.cfg.DUBAN_TIME_ZONE, (d) => cal.isWorkingDay(d))).toISOString();
  }

  async sendDigests(a: { atIso: string }): Promise<{ people: number; deliveries: number }> {
    const at = Date.parse(a.atIso);
    const day = localDate(at, this.cfg.DUBAN_TIME_ZONE);
    return this.ds.transaction(async (em) => {
      const items: DigestItem[] = await em.query(
        `SELECT n.id, n.recipient_id, n.kind, n.title, n.created_at, COALESCE(b.title, p.name) AS matter
           FROM notice n LEFT JOIN blocker b ON b.id = n.blocker_id LEFT JOIN project p ON p.id = COALESCE(n.project_id, b.project_id)
          WHERE n.digest AND n.digested_at IS NULL AND n.read_at IS NULL AND n.created_at <= $1
          ORDER BY n.recipient_id, matter NULLS LAST, n.created_at, n.id
          FOR UPDATE OF n`,
        [a.atIso],
      );
      if (!items.length) return { people: 0, deliveries: 0 };
      const settings = await loadNoticeSettings(em);
      const enabled = new Map<string, string>();
      for (const c of await em.query(`SELECT id, kind FROM notice_channel WHERE enabled ORDER BY created_at, id`)) {
        if ((PERSONAL_CHANNELS as readonly string[]).includes(c.kind) && !enabled.has(c.kind)) enabled.set(c.kind, c.id);
      }
      const byPerson = new Map<string, DigestItem[]>();
      for (const i of items) byPerson.set(i.recipient_id, [...(byPerson.get(i.recipient_id) ?? []), i]);
      let deliveries = 0;
      for (const [personId, list] of byPerson) {
        const [person] = await em.query(`SELECT id, name, phone, email, dingtalk_user_id, wecom_user_id FROM person WHERE id = $1`, [personId]);
        if (!person) continue;
        const reachable = reachableChannels(person, settings.allowed_channels, enabled);
        const channels = await this.digestChannels(personId, [...new Set(list.map((i) => i.kind))], reachable);
        const { title, body } = this.text(list);
        for (const c of channels) {
          const inserted = await em.query(
            `INSERT INTO delivery (dedupe_key, recipient_id, channel, channel_id, address, title, body, params, urgent, not_before)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,false,$9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
            [`d:${day}:${personId}:${c}`, personId, c, enabled.get(c), person[CONTACT_OF[c]].trim(), title, body, JSON.stringify({ count: String(list.length) }), a.atIso],
          );
          deliveries += inserted.length;
        }
        // Listed (or reachable only in the inbox, where they are anyway): not listed again tomorrow.
        await em.query(`UPDATE notice SET digested_at = $2 WHERE id = ANY($1::uuid[])`, [list.map((i) => i.id), a.atIso]);
      }
      return { people: byPerson.size, deliveries };
    });
  }

  /** The channels of the person's digest preferences for these kinds (theirs, else the office's), else the built-in normal channel. */
  private async digestChannels(personId: string, kinds: string[], reachable: PersonalChannel[]): Promise<PersonalChannel[]> {
    const rows: { person_id: string | null; kind: string; channels: string[] }[] = await this.ds.query(
      `SELECT DISTINCT ON (kind) person_id, kind, channels FROM notice_preference
        WHERE kind = ANY($2) AND digest AND (person_id = $1 OR person_id IS NULL) ORDER BY kind, person_id NULLS LAST`,
      [personId, kinds],
    );
    const wanted = new Set(rows.flatMap((r) => r.channels));
    const chosen = reachable.filter((c) => wanted.has(c));
    if (chosen.length) return chosen;
    const first = NORMAL_FALLBACK_ORDER.find((c) => reachable.includes(c));
    return first ? [first] : [];
  }

  private text(list: DigestItem[]): { title: string; body: string } {
    const groups = new Map<string, DigestItem[]>();
    for (const i of list) groups.set(i.matter ?? '其他', [...(groups.get(i.matter ?? '其他') ?? []), i]);
    const lines: string[] = [];
    for (const [matter, items] of groups) {
      lines.push(`【${matter}】`);
      for (const i of items) lines.push(`· ${DateTime.fromJSDate(new Date(i.created_at), { zone: this.cfg.DUBAN_TIME_ZONE }).toFormat('M月d日 HH:mm')} ${i.title}`);
    }
    return { title: `【汇总提醒】您有${list.length}条未读通知`, body: `${lines.join('\n')}\n请登录督办系统查看处理。` };
  }
}
