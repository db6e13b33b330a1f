import type { EntityManager } from 'typeorm';
import { NOTICE_READ_CHANNEL } from './inbox.types';

/**
 * When a person acknowledges a matter (签收), however they did it (the blocker's own
 * action or the notice's), their notices asking for it on the matter's current rung are
 * acknowledged (and read): their own, the copies their deputies got (deputy_for them),
 * and, when they acted as a deputy, the originals of the person they stand in for.
 * Runs in the transaction that records the 'acknowledged' event; the NOTIFY reaches the
 * open inbox streams when it commits.
 */
export async function acknowledgeNotices(em: EntityManager, a: { blockerId: string; personId: string; rung: string; at: string }): Promise<void> {
  await em.query(
    `WITH done AS (
       UPDATE notice SET acknowledged_at = $4, read_at = COALESCE(read_at, $4)
       WHERE blocker_id = $1 AND rung = $3 AND ack_required AND acknowledged_at IS NULL
         AND (recipient_id = $2 OR deputy_for = $2
              OR recipient_id IN (SELECT deputy_for FROM notice WHERE blocker_id = $1 AND rung = $3 AND recipient_id = $2 AND deputy_for IS NOT NULL))
       RETURNING recipient_id)
     SELECT pg_notify('${NOTICE_READ_CHANNEL}', json_build_object('recipientId', r)::text) FROM (SELECT DISTINCT recipient_id AS r FROM done) x`,
    [a.blockerId, a.personId, a.rung, a.at],
  );
}
