/**
 * One delivery of the outbox (shared/design/notices.md, "Delivery guarantees"):
 * waits for its not-before instant (quiet hours) on a workflow timer, then
 * sends through its channel's adapter with retries and back-off (10 s, ×2, at
 * most 10 min apart, as many attempts as the office set); a permanent refusal
 * or the last failed attempt puts it on the dead-letter list. It never blocks a
 * matter's workflow or another delivery: each delivery is its own workflow,
 * `delivery-<id>` (a retry from the dead-letter list: `delivery-<id>-retry-<n>`).
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, sleep } from '@temporalio/workflow';
import type { DeliveryActivities } from '../libs/notices/src/delivery.activities';
import type { DeliveryDispatcher } from '../libs/notices/src/delivery-dispatcher';
import { nowMs } from './support/clock';

export interface NoticeDeliveryInput {
  deliveryId: string;
  /** ISO instant: not sent before it (the end of quiet hours for a normal notice). */
  notBefore: string;
  /** Attempts in all (notice_settings.max_attempts). */
  maxAttempts: number;
}

/** Kept in step with PERMANENT_DELIVERY_ERRORS in libs/notices/src/delivery.activities.ts (a workflow imports no activity code). */
const PERMANENT = ['ProviderRejected', 'ChannelUnavailable', 'DeliveryGone'];

const bookkeeping = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function noticeDelivery(input: NoticeDeliveryInput): Promise<string> {
  const wait = Date.parse(input.notBefore) - nowMs();
  if (wait > 0) await sleep(wait);
  const send = proxyActivities<DeliveryActivities>({
    // A provider's call is bounded by the adapter (10 s); a worker that died mid-send is noticed after this, and the send retried.
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '10 seconds',
      backoffCoefficient: 2,
      maximumInterval: '10 minutes',
      maximumAttempts: Math.max(1, input.maxAttempts),
      nonRetryableErrorTypes: PERMANENT,
    },
  });
  try {
    const r = await send.sendDelivery(input.deliveryId);
    return r.status;
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const message = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
    await bookkeeping.markDead({ deliveryId: input.deliveryId, error: message });
    return 'dead';
  }
}

const sweep = proxyActivities<DeliveryDispatcher>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
});

/** Run every minute by the schedule duban-delivery-sweep: starts deliveries whose NOTIFY was missed (libs/notices/src/delivery-relay.ts). */
export async function deliverySweep(): Promise<{ dispatched: number }> {
  return sweep.dispatchPending();
}
