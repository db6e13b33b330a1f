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

interface DelegationRow {
  notice_id: string;
  id: string;
  deputy_id: string;
  name: string;
}

/** One delivery row to write; the planner writes all of a call's in one statement. */
interface DeliveryRow {
  dedupeKey: string;
  noticeId: string;
  recipientId: string | null;
  channel: string;
  channelId: string;
  address: string | null;
  n: NoticeRow;
  urgent: boolean;
  notBefore: number;
}

/**
 * Reads everything it needs for all notices of a call in a few queries
 * (people, preferences, delegations), decides per notice in memory, in order,
 * and writes the notices' flags and the deliveries in one statement each: the
 * worker's cost is per query, and one escalation plans several notices.
 */
class Planner {
  private settings!: NoticeSettingsRow;
  /** Enabled personal channel kinds → the notice_channel row used (the oldest enabled one). */
  private personal = new Map<string, string>();
  private groups: ChannelRow[] = [];
  private people = new Map<string, PersonRow>();
  /** `<person id>|<kind>` → the person's own row; `|<kind>` → the office default. */
  private prefs = new Map<string, PrefRow>();
  /** Notice id → the recipient's delegation active at the notice's time. */
  private delegations = new Map<string, DelegationRow>();
  private deemed = new Map<string, boolean>();
  /** Per notice: its urgency, and whether its person takes it in the digest. */
  private flags = new Map<string, { urgent: boolean; ack: boolean; digest: boolean }>();
  private deliveries = new Map<string, DeliveryRow>();

  constructor(
    private readonly em: EntityManager,
    private readonly cfg: PlannerConfig,
  ) {}

  /** `groups`: the notices in planning order, group by group (e.g. an event's plans); within a group by creation time and id. */
  async run(groups: string[][], depth: number): Promise<void> {
    if (!groups.some((g) => g.length)) return;
    this.settings = await loadNoticeSettings(this.em);
    const channels: ChannelRow[] = await this.em.query(`SELECT id, kind, scope FROM notice_channel WHERE enabled ORDER BY created_at, id`);
    for (const c of channels) {
      if ((PERSONAL_CHANNELS as readonly string[]).includes(c.kind) && !this.personal.has(c.kind)) this.personal.set(c.kind, c.id);
      if ((GROUP_CHANNELS as readonly string[]).includes(c.kind)) this.groups.push(c);
    }
    const notices = await this.load(groups);
    if (!notices.length) return;
    await this.preload(notices);
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
      this.flags.set(n.id, { urgent, ack: n.kind === 'escalation', digest: false });
      this.groupSummaries(n, urgent);
      const copy = n.deputy_for ? null : await this.deputyCopy(n, urgent);
      // During a delegation the person keeps the notice in their inbox; their channels carry the deputy's copy instead.
      const target = copy ?? n;
      if (!this.personalDeliveries(target, urgent)) unreachable.add(target.recipient_id);
    }
    await this.write();
    // Inbox only by design when the office has enabled no personal channel: nobody to tell then.
    if (depth === 0 && this.personal.size) {
      const at = notices[0]?.created_at ?? new Date();
      await this.tellOffice([...unreachable], at, depth);
    }
  }

  private async load(groups: string[][]): Promise<NoticeRow[]> {
    const rows: NoticeRow[] = await this.em.query(
      `SELECT n.id, n.event_id, n.source_key, n.blocker_id, n.project_id, n.recipient_id, n.kind, n.rung, n.title, n.body, n.title_en, n.body_en,
              n.document_no, n.created_at, n.deputy_for, b.severity, b.ladder, b.title AS matter_title, b.due_at,
              COALESCE(b.responsible_unit_id, p.responsible_unit_id) AS unit_id, p.name AS project_name
         FROM notice n
         LEFT JOIN blocker b ON b.id = n.blocker_id
         LEFT JOIN project p ON p.id = COALESCE(n.project_id, b.project_id)
        WHERE n.id = ANY($1::uuid[])
        ORDER BY n.created_at, n.id`,
      [groups.flat()],
    );
    if (groups.length < 2) return rows;
    const group = new Map<string, number>();
    groups.forEach((g, i) => g.forEach((id) => group.has(id) || group.set(id, i)));
    return rows.sort((a, b) => group.get(a.id)! - group.get(b.id)!); // stable: (created_at, id) within a group
  }

  /** The rows the decisions read, for all notices at once: active delegations, then the recipients' and deputies' person and preference rows. */
  private async preload(notices: NoticeRow[]): Promise<void> {
    // Copies are never delegated again (no chaining).
    const own = notices.filter((n) => !n.deputy_for);
    if (own.length) {
      // The same delegation the per-notice query took: unrevoked, covering the notice's time, the latest start (then the latest made).
      const rows: DelegationRow[] = await this.em.query(
        `SELECT DISTINCT ON (n.id) n.id AS notice_id, d.id, d.deputy_id, p.name
           FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS n(id, person_id, at)
           JOIN delegation d ON d.person_id = n.person_id AND d.revoked_at IS NULL AND d.starts_at <= n.at AND d.ends_at > n.at
           JOIN person p ON p.id = d.person_id
          ORDER BY n.id, d.starts_at DESC, d.created_at DESC`,
        [own.map((n) => n.id), own.map((n) => n.recipient_id), own.map((n) => new Date(n.created_at).toISOString())],
      );
      for (const d of rows) this.delegations.set(d.notice_id, d);
    }
    const ids = [...new Set([...notices.map((n) => n.recipient_id), ...[...this.delegations.values()].map((d) => d.deputy_id)])];
    const people: PersonRow[] = await this.em.query(`SELECT id, name, phone, email, dingtalk_user_id, wecom_user_id FROM person WHERE id = ANY($1::uuid[])`, [ids]);
    for (const p of people) this.people.set(p.id, p);
    if (!people.length) return;
    const prefs: PrefRow[] = await this.em.query(
      `SELECT person_id, kind, channels, digest FROM notice_preference WHERE kind = ANY($2::text[]) AND (person_id = ANY($1::uuid[]) OR person_id IS NULL)`,
      [people.map((p) => p.id), [...new Set(notices.map((n) => n.kind))]],
    );
    for (const r of prefs) this.prefs.set(`${r.person_id ?? ''}|${r.kind}`, r);
  }

  /** The person's own row for the kind, else the office default. */
  private pref(personId: string, kind: string): PrefRow | null {
    return this.prefs.get(`${personId}|${kind}`) ?? this.prefs.get(`|${kind}`) ?? null;
  }

  /** An approval notice of a `deemed_approved` event (超时默认): its source key is approval:<item>:<seq>. */
  private async deemedApproved(n: NoticeRow): Promise<boolean> {
    const m = n.kind === 'approval' ? /^approval:([0-9a-f-]{36}):(\d+)$/.exec(n.source_key ?? '') : null;
    if (!m) return false;
    if (!this.deemed.has(m[0])) {
      const [e] = await this.em.query(`SELECT type FROM approval_item_event WHERE item_id = $1 AND seq = $2`, [m[1], Number(m[2])]);
      this.deemed.set(m[0], e?.type === 'deemed_approved');
    }
    return this.deemed.get(m[0])!;
  }

  /**
   * 代理: an active, unrevoked delegation of the recipient covering the notice's
   * time gives the deputy a copy marked 代<name>. Copies are never delegated
   * again (no chaining). Returns the copy when one was made now.
   */
  private async deputyCopy(n: NoticeRow, urgent: boolean): Promise<NoticeRow | null> {
    const d = this.delegations.get(n.id);
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
  private personalDeliveries(n: NoticeRow, urgent: boolean): boolean {
    const person = this.people.get(n.recipient_id);
    if (!person) return true;
    const reachable = reachableChannels(person, this.settings.allowed_channels, this.personal);
    const plan = chooseChannels(reachable, this.pref(person.id, n.kind), urgent);
    if (plan.digest) {
      // A deputy's copy was inserted with its flags already: marking it for the digest writes the same urgency again.
      this.flags.set(n.id, { ...(this.flags.get(n.id) ?? { urgent, ack: n.kind === 'escalation' }), digest: true });
      return true;
    }
    const created = new Date(n.created_at).getTime();
    const notBefore = urgent ? created : (quietUntil(created, { quietStart: this.settings.quiet_start, quietEnd: this.settings.quiet_end }, this.cfg.DUBAN_TIME_ZONE) ?? created);
    for (const c of plan.channels) {
      this.addDelivery({
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
  private groupSummaries(n: NoticeRow, urgent: boolean): void {
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
      this.addDelivery({ dedupeKey: `g:${source}:${g.id}`, noticeId: n.id, recipientId: null, channel: g.kind, channelId: g.id, address: null, n, urgent, notBefore });
    }
  }

  /** The first row of a key wins, as the unique key made it when each row was its own INSERT. */
  private addDelivery(d: DeliveryRow): void {
    if (!this.deliveries.has(d.dedupeKey)) this.deliveries.set(d.dedupeKey, d);
  }

  /** The notices' flags in one UPDATE, the deliveries in one INSERT (in decision order; a key already in the table is skipped). */
  private async write(): Promise<void> {
    const flags = [...this.flags];
    if (flags.length) {
      await this.em.query(
        `UPDATE notice SET urgent = f.urgent, ack_required = f.ack, digest = notice.digest OR f.digest
           FROM unnest($1::uuid[], $2::boolean[], $3::boolean[], $4::boolean[]) AS f(id, urgent, ack, digest) WHERE notice.id = f.id`,
        [flags.map(([id]) => id), flags.map(([, f]) => f.urgent), flags.map(([, f]) => f.ack), flags.map(([, f]) => f.digest)],
      );
    }
    const rows = [...this.deliveries.values()];
    if (!rows.length) return;
    const col = <T>(f: (d: DeliveryRow) => T) => rows.map(f);
    await this.em.query(
      `INSERT INTO delivery (dedupe_key, notice_id, recipient_id, channel, channel_id, address, title, body, params, urgent, not_before)
       SELECT dedupe_key, notice_id, recipient_id, channel, channel_id, address, title, body, params, urgent, not_before
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::boolean[], $11::timestamptz[])
              WITH ORDINALITY AS d(dedupe_key, notice_id, recipient_id, channel, channel_id, address, title, body, params, urgent, not_before, ord)
        ORDER BY ord
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        col((d) => d.dedupeKey),
        col((d) => d.noticeId),
        col((d) => d.recipientId),
        col((d) => d.channel),
        col((d) => d.channelId),
        col((d) => d.address),
        col((d) => d.n.title),
        col((d) => d.n.body),
        col((d) => JSON.stringify(paramsOf(d.n, this.cfg.DUBAN_TIME_ZONE))),
        col((d) => d.urgent),
        col((d) => new Date(d.notBefore).toISOString()),
      ],
    );
  }

  /**
   * The project office hears once per person and local day that someone is reachable only in the inbox; those notices are planned too (no deeper).
   * One statement for all the people, in the set's order; planned person after person, as one call each would.
   */
  private async tellOffice(personIds: string[], at: Date, depth: number): Promise<void> {
    const people = personIds.map((id) => this.people.get(id)).filter((p): p is PersonRow => !!p);
    if (!people.length) return;
    const day = localDate(new Date(at).getTime(), this.cfg.DUBAN_TIME_ZONE);
    const keys = people.map((p) => `unreachable:${day}:${p.id}`);
    const inserted: { id: string; source_key: string }[] = await this.em.query(
      `INSERT INTO notice (source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
       SELECT x.source_key, o.id, 'inbox', 'unreachable', 'county', x.title, x.body, x.title_en, x.body_en, $6
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS x(source_key, title, body, title_en, body_en, ord)
        CROSS JOIN person o WHERE 'project_office' = ANY(o.roles)
        ORDER BY x.ord
       ON CONFLICT DO NOTHING RETURNING id, source_key`,
      [
        keys,
        people.map((p) => `【仅站内可达】${p.name}`),
        people.map((p) => `${p.name}未配置可用的通知渠道（钉钉、企业微信、短信、邮件），今日起的督办通知只能在站内收件箱中看到。请联系其补充联系方式或调整通知偏好。`),
        people.map((p) => `Reachable only in the inbox: ${p.name}`),
        people.map(
          (p) =>
            `${p.name} has no working channel (DingTalk, WeCom, SMS, e-mail); their notices are only in the Duban inbox. Ask them to add a contact point or change their preferences.`,
        ),
        at,
      ],
    );
    await new Planner(this.em, this.cfg).run(
      keys.map((k) => inserted.filter((r) => r.source_key === k).map((r) => r.id)),
      depth + 1,
    );
  }
}

/**
 * Plans the deliveries of the given new notices (ids, or the rows of
 * `INSERT … RETURNING id`), inside the caller's transaction, the one that inserted them.
 */
export async function planDeliveries(em: EntityManager, notices: string[] | { id: string }[], cfg: PlannerConfig): Promise<void> {
  await planDeliveriesInGroups(em, [notices.map((n) => (typeof n === 'string' ? n : n.id))], cfg);
}

/**
 * The same for notices made together in several groups (an event's plans),
 * in one call: decided group after group, as planDeliveries called for each
 * group in turn would (a group robot's one summary per source goes to the
 * first notice in that order); the office hears of inbox-only people once,
 * after the last group.
 */
export async function planDeliveriesInGroups(em: EntityManager, groups: string[][], cfg: PlannerConfig): Promise<void> {
  await new Planner(em, cfg).run(groups, 0);
}
