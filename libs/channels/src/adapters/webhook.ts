/**
 * Duban's generic webhook for city platforms (a 12345 hotline platform, a
 * city supervision system): one JSON POST per message, signed so the platform
 * can trust it and carrying the delivery id so it can drop a retry.
 *
 *   X-Duban-Timestamp:   milliseconds since the epoch when signed
 *   X-Duban-Signature:   hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)
 *   X-Duban-Delivery-Id: the outbox row's id; the same on every retry
 *
 * Documented for platforms in libs/channels/README.md (it is our contract, not a provider's).
 */
import type { ChannelAdapter, OutgoingMessage, ProviderAnswer, Target } from '../channel';
import { callProvider, httpFailure, networkFailure } from '../http';
import { asObject, httpUrl, mask, requiredString, settingsError } from '../settings';
import { dubanWebhookSignature } from '../signatures';

export interface WebhookSettings {
  url: string;
  secret: string;
}

/** What a platform receives (version 1). */
export function webhookPayload(msg: OutgoingMessage, sentAt: Date) {
  return {
    version: 1,
    deliveryId: msg.deliveryId,
    noticeId: msg.noticeId,
    kind: msg.kind,
    title: msg.title,
    body: msg.body,
    urgent: msg.urgent,
    documentNo: msg.documentNo,
    params: msg.params,
    sentAt: sentAt.toISOString(),
  };
}

export const webhookAdapter: ChannelAdapter<WebhookSettings> = {
  kind: 'webhook',
  recognisesRetry: true,
  parseSettings(raw) {
    const o = asObject(raw);
    const secret = requiredString(o, 'secret', 200);
    if (secret.length < 16) throw settingsError('secret', '至少16个字符', 'at least 16 characters');
    return { url: httpUrl(o, 'url'), secret };
  },
  redact(s) {
    return { url: s.url, secret: mask(s.secret) };
  },
  async send(msg: OutgoingMessage, _target: Target, s: WebhookSettings): Promise<ProviderAnswer> {
    const timestamp = String(Date.now());
    const rawBody = JSON.stringify(webhookPayload(msg, new Date(Number(timestamp))));
    try {
      const r = await callProvider(s.url, {
        body: rawBody,
        headers: {
          'X-Duban-Timestamp': timestamp,
          'X-Duban-Signature': dubanWebhookSignature(s.secret, timestamp, rawBody),
          'X-Duban-Delivery-Id': msg.deliveryId,
        },
      });
      const failed = httpFailure(r);
      if (failed) return failed;
      return { ok: true, retryable: false, httpStatus: r.status, answer: r.json ?? r.text, providerMessageId: msg.deliveryId };
    } catch (err) {
      return networkFailure(err);
    }
  },
};
