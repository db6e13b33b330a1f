/**
 * The morning digest (汇总提醒, shared/design/notices.md): at 08:30 (the
 * office's digest time) on each working day of the organisation's calendar,
 * one message per person listing their normal notices not yet read, grouped by
 * matter; nothing when the list is empty. One long-running workflow,
 * `duban-notice-digest`, started by the worker at boot (an existing run is
 * kept); it continues as new after every digest so its history stays short.
 */
import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { DigestActivities } from '../libs/notices/src/digest.activities';
import { nowIso, nowMs } from './support/clock';

const acts = proxyActivities<DigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function noticeDigest(): Promise<void> {
  // The time and the working days are read afresh each round: the office may change either.
  const next = await acts.nextDigestTime({ afterIso: nowIso() });
  const wait = Date.parse(next) - nowMs();
  if (wait > 0) await sleep(wait);
  await acts.sendDigests({ atIso: next });
  await continueAsNew<typeof noticeDigest>();
}
