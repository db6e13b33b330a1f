import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { adapterFor } from '../../channels/src/adapters';
import { type ChannelKind, GROUP_CHANNELS, type ProviderAnswer } from '../../channels/src/channel';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, RequestContext } from '../../identity/src/context';

/** Which notices a group channel carries: a rung's (any ladder's rung key) or a unit's. */
export interface ChannelScope {
  rungs?: string[];
  orgUnitIds?: string[];
}

/** A configured channel as people see it: its settings with the secrets masked by its adapter. */
export interface NoticeChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  group: boolean;
  settings: Record<string, unknown>;
  scope: ChannelScope;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface NewChannel {
  kind: ChannelKind;
  name: string;
  settings: Record<string, unknown>;
  scope?: ChannelScope;
  enabled?: boolean;
}

/** settings: merged over the stored ones (a masked secret need not be entered again). */
export type ChannelChange = Partial<Omit<NewChannel, 'kind'>> & { reason: string };

const CHANNEL = { zh: '通知渠道', en: 'Notice channel' };
const invalid = (zh: string, en: string) => new DomainError(DomainErrorCode.Invalid, zh, en);
const isGroup = (kind: ChannelKind) => (GROUP_CHANNELS as readonly string[]).includes(kind);

interface Row {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  scope: ChannelScope;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

/**
 * The county's provider accounts (personal channels: one enabled account per
 * kind) and group robots / city platforms (group channels, each with the scope
 * of notices it carries). Settings are checked by the channel's adapter, the
 * one that will use them, and shown back through its redact().
 */
@Injectable()
export class NoticeChannelsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<NoticeChannelView[]> {
    const rows: Row[] = await this.ds.query(`SELECT * FROM notice_channel ORDER BY created_at, id`);
    return rows.map(view);
  }

  async get(id: string): Promise<NoticeChannelView> {
    return view(await this.row(this.ds.manager, id));
  }

  async create(ctx: RequestContext, c: NewChannel): Promise<NoticeChannelView> {
    const settings = parse(c.kind, c.settings);
    const scope = await this.checkScope(c.kind, c.scope ?? {});
    const enabled = c.enabled ?? true;
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('notice_channel'))`);
      if (enabled) await this.onePerPersonalKind(em, c.kind, null);
      const [row]: Row[] = await em.query(`INSERT INTO notice_channel (kind, name, enabled, settings, scope, updated_by) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`, [
        c.kind,
        c.name,
        enabled,
        JSON.stringify(settings),
        JSON.stringify(scope),
        personOf(ctx),
      ]);
      await this.record(em, ctx, 'notice_channel.create', row.id, null, summary(row), null);
      return view(row);
    });
  }

  async update(ctx: RequestContext, id: string, change: ChannelChange): Promise<NoticeChannelView> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('notice_channel'))`);
      const before = await this.row(em, id, true);
      const settings = change.settings ? parse(before.kind, { ...before.settings, ...unchangedSecretsDropped(change.settings) }) : before.settings;
      const scope = change.scope ? await this.checkScope(before.kind, change.scope) : before.scope;
      const enabled = change.enabled ?? before.enabled;
      if (enabled && !before.enabled) await this.onePerPersonalKind(em, before.kind, id);
      // An UPDATE through TypeORM answers [rows, count].
      const [[row]]: [Row[], number] = await em.query(
        `UPDATE notice_channel SET name = $2, enabled = $3, settings = $4, scope = $5, updated_at = now(), updated_by = $6 WHERE id = $1 RETURNING *`,
        [id, change.name ?? before.name, enabled, JSON.stringify(settings), JSON.stringify(scope), personOf(ctx)],
      );
      await this.record(em, ctx, 'notice_channel.update', id, summary(before), summary(row), change.reason);
      return view(row);
    });
  }

  /** Disables (kept: deliveries made through it still point to it); PATCH enabled=true brings it back. */
  async disable(ctx: RequestContext, id: string, reason: string): Promise<NoticeChannelView> {
    return this.ds.transaction(async (em) => {
      const before = await this.row(em, id, true);
      if (!before.enabled) throw new DomainError(DomainErrorCode.Conflict, '该通知渠道已停用', 'The channel is already disabled');
      const [[row]]: [Row[], number] = await em.query(`UPDATE notice_channel SET enabled = false, updated_at = now(), updated_by = $2 WHERE id = $1 RETURNING *`, [
        id,
        personOf(ctx),
      ]);
      await this.record(em, ctx, 'notice_channel.disable', id, summary(before), summary(row), reason);
      return view(row);
    });
  }

  /**
   * Sends a test message through the channel's adapter (to `address` for a
   * personal channel, to the group for a group channel) and answers what the
   * provider said; recorded in the audit log, not in the outbox.
   */
  async sendTest(ctx: RequestContext, id: string, address: string | undefined): Promise<{ ok: boolean; retryable: boolean; httpStatus?: number; error?: string }> {
    const r = await this.row(this.ds.manager, id);
    if (!isGroup(r.kind) && !address)
      throw invalid('个人渠道的测试须填写接收地址（用户ID、手机号或邮箱）', 'A personal channel’s test needs an address (user id, mobile or e-mail)');
    // No adapter for the kind yet, or stored settings it no longer accepts: the office is told, not a 500.
    const adapter = usable(() => adapterFor(r.kind));
    const settings = usable(() => adapter.parseSettings(r.settings));
    const deliveryId = randomUUID();
    const answer = await adapter
      .send(
        {
          deliveryId,
          noticeId: null,
          kind: 'test',
          title: '督办系统通知渠道测试',
          body: `这是一条来自督办系统的测试消息（${r.name}）。收到即说明该渠道设置正确。\nA test message from Duban: the channel is set up correctly.`,
          urgent: false,
          documentNo: null,
          params: { project: '测试', matter: '渠道测试', rung: '-', due: '-', no: '-' },
        },
        { address: isGroup(r.kind) ? null : address! },
        settings,
      )
      .catch((err: unknown) => ({ ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) }) as ProviderAnswer);
    const result = {
      ok: answer.ok,
      retryable: answer.retryable,
      ...(answer.httpStatus !== undefined && { httpStatus: answer.httpStatus }),
      ...(answer.error && { error: answer.error }),
    };
    await this.ds.transaction((em) => this.record(em, ctx, 'notice_channel.test', id, null, { ...result, deliveryId }, null));
    return result;
  }

  private async row(em: EntityManager, id: string, lock = false): Promise<Row> {
    const [row]: Row[] = await em.query(`SELECT * FROM notice_channel WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw DomainError.notFound(CHANNEL, id);
    return row;
  }

  /** A personal channel has one account: with two, which one would send a person's SMS? */
  private async onePerPersonalKind(em: EntityManager, kind: ChannelKind, exceptId: string | null): Promise<void> {
    if (isGroup(kind)) return;
    const [other] = await em.query(`SELECT id, name FROM notice_channel WHERE kind = $1 AND enabled AND id <> COALESCE($2::uuid, '00000000-0000-0000-0000-000000000000')`, [
      kind,
      exceptId,
    ]);
    if (other)
      throw new DomainError(
        DomainErrorCode.Conflict,
        `已有启用的${kind}渠道“${other.name}”，请先停用它`,
        `An enabled ${kind} channel already exists (${other.name}); disable it first`,
        { channelId: other.id },
      );
  }

  /** Group channels carry a rung's or a unit's notices; personal channels reach people and have no scope. */
  private async checkScope(kind: ChannelKind, scope: ChannelScope): Promise<ChannelScope> {
    const rungs = [...new Set(scope.rungs ?? [])];
    const orgUnitIds = [...new Set(scope.orgUnitIds ?? [])];
    if (!isGroup(kind)) {
      if (rungs.length || orgUnitIds.length) throw invalid('个人渠道不设适用范围（范围仅用于群机器人等群组渠道）', 'A personal channel has no scope (scope is for group channels)');
      return {};
    }
    if (!rungs.length && !orgUnitIds.length) throw invalid('群组渠道须指定适用范围：层级（rungs）或单位（orgUnitIds）', 'A group channel needs a scope: rungs or orgUnitIds');
    if (rungs.length) {
      const known: string[] = (await this.ds.query(`SELECT DISTINCT r->>'key' AS key FROM ladder, jsonb_array_elements(rungs) r`)).map((r: { key: string }) => r.key);
      const unknown = rungs.filter((r) => !known.includes(r));
      if (unknown.length) throw invalid(`未知的督办层级：${unknown.join('、')}`, `Unknown rung(s): ${unknown.join(', ')}`);
    }
    if (orgUnitIds.length) {
      const found: string[] = (await this.ds.query(`SELECT id FROM org_unit WHERE id = ANY($1::uuid[])`, [orgUnitIds])).map((r: { id: string }) => r.id);
      const unknown = orgUnitIds.filter((u) => !found.includes(u));
      if (unknown.length) throw invalid(`单位不存在：${unknown.join('、')}`, `Unknown org unit(s): ${unknown.join(', ')}`);
    }
    return { ...(rungs.length && { rungs }), ...(orgUnitIds.length && { orgUnitIds }) };
  }

  private record(em: EntityManager, ctx: RequestContext, action: string, id: string, before: unknown, after: unknown, reason: string | null) {
    return this.audit.record(em, { actor: auditActorOf(ctx.actor), action, targetType: 'notice_channel', targetId: id, before, after, reason, requestId: ctx.requestId });
  }
}

/** The adapter checks the settings it will use; its refusal (a DomainError naming the field) goes back to the office as is. */
function parse(kind: ChannelKind, raw: Record<string, unknown>): unknown {
  try {
    return adapterFor(kind).parseSettings(raw);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw invalid(`通知渠道设置有误：${err instanceof Error ? err.message : String(err)}`, `Invalid channel settings: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function usable<T>(get: () => T): T {
  try {
    return get();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError(
      DomainErrorCode.Conflict,
      `该通知渠道暂不可用：${err instanceof Error ? err.message : String(err)}`,
      `The channel cannot be used: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** A value shown masked (******, or an address with its credential masked) and sent back as is means "unchanged". */
function unchangedSecretsDropped(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => !(typeof v === 'string' && v.includes('******'))));
}

function view(r: Row): NoticeChannelView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    enabled: r.enabled,
    group: isGroup(r.kind),
    settings: redacted(r.kind, r.settings),
    scope: r.scope,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/** Never a secret in an answer or the audit log; stored settings the adapter no longer accepts are shown as nothing rather than raw. */
function redacted(kind: ChannelKind, settings: unknown): Record<string, unknown> {
  try {
    const adapter = adapterFor(kind);
    return adapter.redact(adapter.parseSettings(settings));
  } catch {
    return {};
  }
}

const summary = (r: Row) => ({ kind: r.kind, name: r.name, enabled: r.enabled, settings: redacted(r.kind, r.settings), scope: r.scope });
const personOf = (ctx: RequestContext) => (ctx.actor.kind === 'person' ? ctx.actor.personId : null);
