import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CONTACT_OF, GROUP_CHANNELS, PERSONAL_CHANNELS, type PersonalChannel } from '../../channels/src/channel';
import { rungLabel, type LadderRung } from '../../domain/src/ladder';
import { NORMAL_FALLBACK_ORDER, chooseChannels, isUrgent, localDate, quietUntil } from '../../domain/src/notice-rules';

/** Re-exported for the digest and the tests: the rule itself lives in libs/domain/src/notice-rules.ts. */
export { NORMAL_FALLBACK_ORDER, chooseChannels };

/**
 * The outbox's planner (shared/design/notices.md, "Channels and rules"):
 * called INSIDE the transaction that inserted the notices, so a notice and its
 * deliveries commit together or not at all. For each new notice it decides
 * urgency, delegation (代理), the person's channels and quiet hours or digest,
 * the group robots' summaries, and whether the project office must be told
 * that someone is reachable only in the inbox. It writes rows only: sending
 * is the delivery workflow's (the NOTIFY on delivery wakes the relay).
 *
 * Idempotent: every row it writes has a unique key (delivery.dedupe_key, the
 * notice's (event|source, recipient, channel)), so planning a notice twice
 * writes nothing the second time.
 */
export interface PlannerConfig {
  DUBAN_TIME_ZONE: string;
}

/** Built-in order of a person's channels for a normal notice when neither they nor the office set one: IM first, e-mail, SMS last (it costs and interrupts). */

/** A deputy's copy is a notice of its own: channel `deputy:<person id>` keeps the notice keys unique beside the deputy's own notice of the same event. */
export const deputyChannel = (personId: string) => `deputy:${personId}`;

export interface NoticeSettingsRow {
  quiet_start: string;
  quiet_end: string;
  digest_at: string;
  urgent_kinds: string[];
  allowed_channels: string[];
  max_attempts: number;
}

interface NoticeRow {
  id: string;
  event_id: string | null;
  source_key: string | null;
  blocker_id: string | null;
  project_id: string | null;
  recipient_id: string;
  kind: string;
  rung: string;
  title: string;
  body: string;
  title_en: string;
  body_en: string;
  document_no: string | null;
  created_at: Date;
  deputy_for: string | null;
  severity: string | null;
  ladder: LadderRung[] | null;
  matter_title: string | null;
  due_at: Date | null;
  unit_id: string | null;
  project_name: string | null;
}

interface PersonRow {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  dingtalk_user_id: string | null;
  wecom_user_id: string | null;
}

interface ChannelRow {
  id: string;
  kind: string;
  scope: { rungs?: string[]; orgUnitIds?: string[] } | null;
}

interface PrefRow {
  person_id: string | null;
  kind: string;
  channels: string[];
  digest: boolean;
}

export async function loadNoticeSettings(em: EntityManager): Promise<NoticeSettingsRow> {
  const [s] = await em.query(`SELECT quiet_start, quiet_end, digest_at, urgent_kinds, allowed_channels, max_attempts FROM notice_settings WHERE id = 1`);
  return s ?? { quiet_start: '22:00', quiet_end: '07:30', digest_at: '08:30', urgent_kinds: [], allowed_channels: [...PERSONAL_CHANNELS], max_attempts: 8 };
}

/** The personal channels a person can be reached on now: allowed by the office, enabled, and with an address of theirs. */
export function reachableChannels(person: PersonRow, allowed: readonly string[], enabled: Map<string, string>): PersonalChannel[] {
  return PERSONAL_CHANNELS.filter((c) => allowed.includes(c) && enabled.has(c) && !!person[CONTACT_OF[c]]?.trim());
}

/** Short values for SMS templates (a template variable is limited by the providers, ~20 characters). */
function paramsOf(n: NoticeRow, zone: string): Record<string, string> {
  const short = (s: string | null | undefined) => (s ?? '').slice(0, 20);
  return {
    project: short(n.project_name),
    matter: short(n.matter_title ?? n.title),
    rung: short(rungLabel(n.rung, n.ladder ?? undefined).zh),
    due: n.due_at ? DateTime.fromJSDate(new Date(n.due_at), { zone }).toFormat('yyyy-MM-dd HH:mm') : '',
    documentNo: short(n.document_no),
  };
}

class Planner {
  private settings!: NoticeSettingsRow;
  /** Enabled personal channel kinds → the notice_channel row used (the oldest enabled one). */
  private personal = new Map<string, string>();
  private groups: ChannelRow[] = [];
  private people = new Map<string, PersonRow>();
  private prefs: PrefRow[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly cfg: PlannerConfig,
  ) {}

  async run(noticeIds: string[], depth: number): Promise<void> {
    if (!noticeIds.length) return;
    this.settings = await loadNoticeSettings(this.em);
    const channels: ChannelRow[] = await this.em.query(`SELECT id, kind, scope FROM notice_channel WHERE enabled ORDER BY created_at, id`);
    for (const c of channels) {
      if ((PERSONAL_CHANNELS as readonly string[]).includes(c.kind) && !this.personal.has(c.kind)) this.personal.set(c.kind, c.id);
      if ((GROUP_CHANNELS as readonly string[]).includes(c.kind)) this.groups.push(c);
    }
    const notices = await this.load(noticeIds);
    const unreachable = new Set<string>();
    for (const n of notices) {
      const urgent = isUrgent(
        {
          kind: n.kind,
          rungKey: n.rung,
          topRungKey: n.ladder?.length ? n.ladder[n.ladder.length - 1].key : null,
          severity: n.severity,
          deemedApproved: await this.deemedApproved(n),
        },
        { urgentKinds: this.settings.urgent_kinds },
      );
      await this.em.query(`UPDATE notice SET urgent = $2, ack_required = $3 WHERE id = $1`, [n.id, urgent, n.kind === 'escalation']);
      await this.groupSummaries(n, urgent);
      const copy = n.deputy_for ? null : await this.deputyCopy(n, urgent);
      // During a delegation the person keeps the notice in their inbox; their channels carry the deputy's copy instead.
      if (copy) {
        const reached = await this.personalDeliveries(copy, urgent);
        if (!reached) unreachable.add(copy.recipient_id);
        continue;
      }
      const reached = await this.personalDeliveries(n, urgent);
      if (!reached) unreachable.add(n.recipient_id);
    }
    // Inbox only by design when the office has enabled no personal channel: nobody to tell then.
    if (depth === 0 && this.personal.size) {
      const at = notices[0]?.created_at ?? new Date();
      for (const personId of unreachable) await this.tellOffice(personId, at, depth);
    }
  }

  private async load(ids: string[]): Promise<NoticeRow[]> {
    return this.em.query(
      `SELECT n.id, n.event_id, n.source_key, n.blocker_id, n.project_id, n.recipient_id, n.kind, n.rung, n.title, n.body, n.title_en, n.body_en,
              n.document_no, n.created_at, n.deputy_for, b.severity, b.ladder, b.title AS matter_title, b.due_at,
              COALESCE(b.responsible_unit_id, p.responsible_unit_id) AS unit_id, p.name AS project_name
         FROM notice n
         LEFT JOIN blocker b ON b.id = n.blocker_id
         LEFT JOIN project p ON p.id = COALESCE(n.project_id, b.project_id)
        WHERE n.id = ANY($1::uuid[])
        ORDER BY n.created_at, n.id`,
      [ids],
    );
  }

  /** An approval notice of a `deemed_approved` event (超时默认): its source key is approval:<item>:<seq>. */
  private async deemedApproved(n: NoticeRow): Promise<boolean> {
    const m = n.kind === 'approval' ? /^approval:([0-9a-f-]{36}):(\d+)$/.exec(n.source_key ?? '') : null;
    if (!m) return false;
    const [e] = await this.em.query(`SELECT type FROM approval_item_event WHERE item_id = $1 AND seq = $2`, [m[1], Number(m[2])]);
    return e?.type === 'deemed_approved';
  }

  private async person(id: string): Promise<PersonRow | null> {
    if (!this.people.has(id)) {
      const [p] = await this.em.query(`SELECT id, name, phone, email, dingtalk_user_id, wecom_user_id FROM person WHERE id = $1`, [id]);
      if (!p) return null;
      this.people.set(id, p);
    }
    return this.people.get(id)!;
  }

  private async pref(personId: string, kind: string): Promise<PrefRow | null> {
    const rows: PrefRow[] = await this.em.query(
      `SELECT person_id, kind, channels, digest FROM notice_preference WHERE kind = $2 AND (person_id = $1 OR person_id IS NULL) ORDER BY person_id NULLS LAST LIMIT 1`,
      [personId, kind],
    );
    return rows[0] ?? null;
  }

  /**
   * 代理: an active, unrevoked delegation of the recipient covering the notice's
   * time gives the deputy a copy marked 代<name>. Copies are never delegated
   * again (no chaining). Returns the copy when one was made now.
   */
  private async deputyCopy(n: NoticeRow, urgent: boolean): Promise<NoticeRow | null> {
    const [d] = await this.em.query(
      `SELECT d.id, d.deputy_id, p.name FROM delegation d JOIN person p ON p.id = d.person_id
        WHERE d.person_id = $1 AND d.revoked_at IS NULL AND d.starts_at <= $2 AND d.ends_at > $2
        ORDER BY d.starts_at DESC, d.created_at DESC LIMIT 1`,
      [n.recipient_id, n.created_at],
    );
    if (!d) return null;
    const inserted: { id: string }[] = await this.em.query(
      `INSERT INTO notice (event_id, blocker_id, project_id, source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, document_no, created_at,
                           urgent, ack_required, deputy_for, delegation_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        n.event_id,
        n.blocker_id,
        n.project_id,
        n.source_key,
        d.deputy_id,
        deputyChannel(n.recipient_id),
        n.kind,
        n.rung,
        `【代${d.name}】${n.title}`,
        n.body,
        `[Deputy for ${d.name}] ${n.title_en}`,
        n.body_en,
        n.document_no,
        n.created_at,
        urgent,
        n.kind === 'escalation',
        n.recipient_id,
        d.id,
      ],
    );
    if (!inserted.length) return null;
    return {
      ...n,
      id: inserted[0].id,
      recipient_id: d.deputy_id,
      deputy_for: n.recipient_id,
      title: `【代${d.name}】${n.title}`,
      title_en: `[Deputy for ${d.name}] ${n.title_en}`,
    };
  }

  /**
   * The person's own channels for one notice; false when they are reachable on
   * no channel at all ("no working channel": the office is told). A person who
   * is reachable but whose choice sends this kind nowhere is not unreachable.
   */
  private async personalDeliveries(n: NoticeRow, urgent: boolean): Promise<boolean> {
    const person = await this.person(n.recipient_id);
    if (!person) return true;
    const reachable = reachableChannels(person, this.settings.allowed_channels, this.personal);
    const plan = chooseChannels(reachable, await this.pref(person.id, n.kind), urgent);
    if (plan.digest) {
      await this.em.query(`UPDATE notice SET digest = true WHERE id = $1`, [n.id]);
      return true;
    }
    const created = new Date(n.created_at).getTime();
    const notBefore = urgent ? created : (quietUntil(created, { quietStart: this.settings.quiet_start, quietEnd: this.settings.quiet_end }, this.cfg.DUBAN_TIME_ZONE) ?? created);
    for (const c of plan.channels) {
      await this.insertDelivery({
        dedupeKey: `n:${n.id}:${c}`,
        noticeId: n.id,
        recipientId: person.id,
        channel: c,
        channelId: this.personal.get(c)!,
        address: person[CONTACT_OF[c]]!.trim(),
        n,
        urgent,
        notBefore,
      });
    }
    return reachable.length > 0;
  }

  /**
   * A group robot carries one summary per notice source (a matter's event, a
   * lifecycle event …), never a person's queue: the first notice of the source
   * whose rung or unit is in the channel's scope (an empty scope: every notice).
   */
  private async groupSummaries(n: NoticeRow, urgent: boolean): Promise<void> {
    // A deputy's copy repeats its original; the office's "reachable only in the inbox" is internal: neither goes to a group.
    if (n.deputy_for || n.kind === 'unreachable') return;
    const source = n.event_id ?? n.source_key;
    if (!source) return;
    const created = new Date(n.created_at).getTime();
    const notBefore = urgent ? created : (quietUntil(created, { quietStart: this.settings.quiet_start, quietEnd: this.settings.quiet_end }, this.cfg.DUBAN_TIME_ZONE) ?? created);
    for (const g of this.groups) {
      const scope = g.scope ?? {};
      const scoped = !!scope.rungs?.length || !!scope.orgUnitIds?.length;
      const matches = !scoped || !!scope.rungs?.includes(n.rung) || (!!n.unit_id && !!scope.orgUnitIds?.includes(n.unit_id));
      if (!matches) continue;
      await this.insertDelivery({ dedupeKey: `g:${source}:${g.id}`, noticeId: n.id, recipientId: null, channel: g.kind, channelId: g.id, address: null, n, urgent, notBefore });
    }
  }

  private async insertDelivery(d: {
    dedupeKey: string;
    noticeId: string;
    recipientId: string | null;
    channel: string;
    channelId: string;
    address: string | null;
    n: NoticeRow;
    urgent: boolean;
    notBefore: number;
  }): Promise<void> {
    await this.em.query(
      `INSERT INTO delivery (dedupe_key, notice_id, recipient_id, channel, channel_id, address, title, body, params, urgent, not_before)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        d.dedupeKey,
        d.noticeId,
        d.recipientId,
        d.channel,
        d.channelId,
        d.address,
        d.n.title,
        d.n.body,
        JSON.stringify(paramsOf(d.n, this.cfg.DUBAN_TIME_ZONE)),
        d.urgent,
        new Date(d.notBefore).toISOString(),
      ],
    );
  }

  /** The project office hears once per person and local day that someone is reachable only in the inbox; that notice is planned too (no deeper). */
  private async tellOffice(personId: string, at: Date, depth: number): Promise<void> {
    const person = await this.person(personId);
    if (!person) return;
    const day = localDate(new Date(at).getTime(), this.cfg.DUBAN_TIME_ZONE);
    const inserted: { id: string }[] = await this.em.query(
      `INSERT INTO notice (source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
       SELECT $1, o.id, 'inbox', 'unreachable', 'county', $2, $3, $4, $5, $6 FROM person o WHERE 'project_office' = ANY(o.roles)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        `unreachable:${day}:${personId}`,
        `【仅站内可达】${person.name}`,
        `${person.name}未配置可用的通知渠道（钉钉、企业微信、短信、邮件），今日起的督办通知只能在站内收件箱中看到。请联系其补充联系方式或调整通知偏好。`,
        `Reachable only in the inbox: ${person.name}`,
        `${person.name} has no working channel (DingTalk, WeCom, SMS, e-mail); their notices are only in the Duban inbox. Ask them to add a contact point or change their preferences.`,
        at,
      ],
    );
    await new Planner(this.em, this.cfg).run(
      inserted.map((r) => r.id),
      depth + 1,
    );
  }
}

/**
 * Plans the deliveries of the given new notices (ids, or the rows of
 * `INSERT … RETURNING id`), inside the caller's transaction, the one that inserted them.
 */
export async function planDeliveries(em: EntityManager, notices: string[] | { id: string }[], cfg: PlannerConfig): Promise<void> {
  await new Planner(em, cfg).run(
    notices.map((n) => (typeof n === 'string' ? n : n.id)),
    0,
  );
}
