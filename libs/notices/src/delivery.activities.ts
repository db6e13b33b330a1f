import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource, EntityManager } from 'typeorm';
import { adapterFor } from '../../channels/src/adapters';
import type { ChannelAdapter, ChannelKind, OutgoingMessage, ProviderAnswer } from '../../channels/src/channel';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { renderNoticeForm } from '../../notice-form/src/notice-form';

/**
 * The delivery workflow's side effects: one send of one outbox row, recorded
 * before and after the provider is called, so a crash in between is seen.
 *
 * Exactly once where the provider recognises a retry (the adapter's
 * recognisesRetry: it carries the delivery id as the provider's idempotency
 * key); elsewhere at most one duplicate, and only after a crash between the
 * provider's acceptance and our record: the next attempt finds the attempt
 * row left open and flags the delivery possible_duplicate (visible in
 * GET /api/deliveries).
 */

/** Failure types the workflow does not retry: retrying cannot help (libs/channels ProviderAnswer.retryable false, bad settings, gone). */
export const PERMANENT_DELIVERY_ERRORS = ['ProviderRejected', 'ChannelUnavailable', 'DeliveryGone'] as const;

export interface DeliveryRow {
  id: string;
  dedupe_key: string;
  notice_id: string | null;
  recipient_id: string | null;
  channel: ChannelKind;
  channel_id: string | null;
  address: string | null;
  title: string;
  body: string;
  params: Record<string, string>;
  urgent: boolean;
  not_before: Date;
  status: 'pending' | 'sending' | 'sent' | 'skipped' | 'dead';
  attempts: number;
  possible_duplicate: boolean;
  created_at: Date;
}

/** The adapter of a channel kind: the registry (libs/channels/src/adapters.ts). */
export type AdapterLookup = (kind: ChannelKind) => ChannelAdapter;

/**
 * Files attached to a delivery: an e-mail of an escalation notice carries its
 * 督办通知单 (the same one-page PDF as GET /api/notices/{id}/form.pdf, fixed as of
 * the escalation, so every copy is identical). Other channels carry text only.
 */
export async function attachmentsFor(em: EntityManager, delivery: DeliveryRow, zone: string): Promise<NonNullable<OutgoingMessage['attachments']>> {
  if (delivery.channel !== 'email' || !delivery.notice_id) return [];
  const form = await renderNoticeForm(em, delivery.notice_id, zone);
  return form ? [{ filename: form.filename, contentType: 'application/pdf', content: form.content }] : [];
}

const failure = (type: (typeof PERMANENT_DELIVERY_ERRORS)[number] | 'ProviderError', message: string, nonRetryable: boolean) =>
  ApplicationFailure.create({ type, message, nonRetryable });

@Injectable()
export class DeliveryActivities {
  private readonly lookup: AdapterLookup = adapterFor;

  constructor(
    protected readonly ds: DataSource,
    @Inject(DUBAN_CONFIG) protected readonly cfg: DubanConfig,
  ) {}

  /**
   * Sends one delivery. Done at once when it is already sent, skipped or
   * dead; skipped when it is a normal notice held back (quiet hours) that its
   * person has read meanwhile. Throws a retryable failure for a provider's
   * temporary error and a non-retryable one when retrying cannot help.
   */
  async sendDelivery(deliveryId: string): Promise<{ status: string; attempt?: number }> {
    const begun = await this.ds.transaction(async (em) => {
      const [d]: (DeliveryRow & { settings: unknown; enabled: boolean | null; read_at: Date | null; notice_created: Date | null })[] = await em.query(
        `SELECT d.*, c.settings, c.enabled, n.read_at, n.created_at AS notice_created
           FROM delivery d LEFT JOIN notice_channel c ON c.id = d.channel_id LEFT JOIN notice n ON n.id = d.notice_id
          WHERE d.id = $1 FOR UPDATE OF d`,
        [deliveryId],
      );
      if (!d) throw failure('DeliveryGone', `delivery ${deliveryId} does not exist`, true);
      if (d.status === 'sent' || d.status === 'skipped' || d.status === 'dead') return { done: d.status } as const;
      const delayed = !!d.notice_created && new Date(d.not_before).getTime() > new Date(d.notice_created).getTime();
      if (!d.urgent && delayed && d.recipient_id && d.read_at) {
        await em.query(`UPDATE delivery SET status = 'skipped', last_error = $2 WHERE id = $1`, [d.id, 'read in the inbox before quiet hours ended']);
        return { done: 'skipped' } as const;
      }
      if (!d.channel_id || !d.enabled) throw failure('ChannelUnavailable', `channel ${d.channel} of delivery ${d.id} is removed or disabled`, true);
      let adapter: ChannelAdapter;
      let settings: unknown;
      try {
        adapter = this.lookup(d.channel);
        settings = adapter.parseSettings(d.settings);
      } catch (err) {
        throw failure('ChannelUnavailable', `channel ${d.channel} settings refused: ${err instanceof Error ? err.message : err}`, true);
      }
      // An attempt left open is a worker that died mid-send: the provider may have the message already.
      const open: { attempt: number }[] = await em.query(`SELECT attempt FROM delivery_attempt WHERE delivery_id = $1 AND finished_at IS NULL`, [d.id]);
      const duplicateRisk = open.length > 0 && !adapter.recognisesRetry;
      if (open.length) {
        await em.query(`UPDATE delivery_attempt SET finished_at = now(), error = $2 WHERE delivery_id = $1 AND finished_at IS NULL`, [
          d.id,
          'interrupted: the worker stopped before the answer was recorded',
        ]);
      }
      // Attempt rows are numbered across the office's retries (delivery.attempts restarts at 0 with each retry).
      const [{ attempt }] = await em.query(`SELECT COALESCE(max(attempt), 0) + 1 AS attempt FROM delivery_attempt WHERE delivery_id = $1`, [d.id]);
      await em.query(`INSERT INTO delivery_attempt (delivery_id, attempt, started_at) VALUES ($1, $2, now())`, [d.id, attempt]);
      await em.query(`UPDATE delivery SET status = 'sending', attempts = attempts + 1, possible_duplicate = possible_duplicate OR $2 WHERE id = $1`, [d.id, duplicateRisk]);
      const msg: OutgoingMessage = {
        deliveryId: d.id,
        noticeId: d.notice_id,
        kind: await this.kindOf(em, d),
        title: d.title,
        body: d.body,
        urgent: d.urgent,
        documentNo: d.params?.documentNo || null,
        params: d.params ?? {},
        attachments: await attachmentsFor(em, d, this.cfg.DUBAN_TIME_ZONE),
      };
      return { adapter, settings, msg, attempt, address: d.address } as const;
    });
    if ('done' in begun) return { status: begun.done! };

    let answer: ProviderAnswer;
    try {
      answer = await begun.adapter.send(begun.msg, { address: begun.address }, begun.settings);
    } catch (err) {
      // An adapter should answer, not throw; a throw (a network error) is taken as a temporary failure.
      answer = { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
    }
    await this.ds.transaction(async (em) => {
      await em.query(`UPDATE delivery_attempt SET finished_at = now(), ok = $3, http_status = $4, answer = $5, error = $6 WHERE delivery_id = $1 AND attempt = $2`, [
        deliveryId,
        begun.attempt,
        answer.ok,
        answer.httpStatus ?? null,
        answer.answer === undefined ? null : JSON.stringify(answer.answer),
        answer.ok ? null : (answer.error ?? 'provider refused'),
      ]);
      if (answer.ok) {
        await em.query(`UPDATE delivery SET status = 'sent', sent_at = now(), provider_message_id = $2, last_error = NULL WHERE id = $1`, [
          deliveryId,
          answer.providerMessageId ?? null,
        ]);
      } else {
        await em.query(`UPDATE delivery SET status = 'pending', last_error = $2 WHERE id = $1 AND status = 'sending'`, [deliveryId, answer.error ?? 'provider refused']);
      }
    });
    if (!answer.ok) {
      const why = `${begun.msg.kind} via ${begun.adapter.kind}: ${answer.error ?? 'refused'}${answer.httpStatus ? ` (HTTP ${answer.httpStatus})` : ''}`;
      throw failure(answer.retryable ? 'ProviderError' : 'ProviderRejected', why, !answer.retryable);
    }
    return { status: 'sent', attempt: begun.attempt };
  }

  /** After the last attempt (or a permanent refusal): the dead-letter list, for the project office to see and retry. */
  async markDead(a: { deliveryId: string; error: string }): Promise<void> {
    await this.ds.query(`UPDATE delivery SET status = 'dead', dead_at = now(), last_error = $2 WHERE id = $1 AND status IN ('pending', 'sending')`, [
      a.deliveryId,
      a.error.slice(0, 2000),
    ]);
  }

  private async kindOf(em: EntityManager, d: DeliveryRow): Promise<string> {
    if (d.dedupe_key.startsWith('d:')) return 'digest';
    if (d.dedupe_key.startsWith('g:')) return 'group_summary';
    if (!d.notice_id) return 'notice';
    const [n] = await em.query(`SELECT kind FROM notice WHERE id = $1`, [d.notice_id]);
    return n?.kind ?? 'notice';
  }
}
