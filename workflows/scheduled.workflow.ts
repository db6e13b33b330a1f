/**
 * The workflows Temporal Schedules start (libs/bulletins/src/schedules.service.ts):
 * the weekly ranking and bulletin, and the monthly investment check. Each
 * takes its "as of" instant from the workflow clock, i.e. when the schedule
 * fired, so a run delayed by an outage still reports on its own time.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BulletinActivities } from '../libs/bulletins/src/bulletin.activities';
import { nowIso } from './support/clock';

const acts = proxyActivities<BulletinActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function weeklyBulletin(): Promise<{ id: string; number: string }> {
  return acts.produceBulletin({ asOf: nowIso() });
}

export async function investmentCheck(): Promise<{ month: string; checked: number; lagging: number; notices: number }> {
  return acts.checkInvestment({ asOf: nowIso() });
}
