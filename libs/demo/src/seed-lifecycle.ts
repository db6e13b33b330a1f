/**
 * The demo county's plans, progress and investment, relative to the day the
 * demo is seeded, so that on any day it shows every colour: projects at each
 * stage, a few with an overdue stage (and its schedule blocker), a few not
 * started on time (and their late-start matter), investment from well ahead
 * of the year to far behind it, and the current weekly bulletin.
 */
import { DateTime } from 'luxon';
import type { DemoProject } from './demo-county';

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const STAGES = ['planning', 'approval', 'land', 'start', 'completion'] as const;
/** Runs `fn` over `items`, `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i], i);
    }),
  );
}

export async function seedLifecycles(call: Call, projects: { id: string }[], demo: DemoProject[], zone: string): Promise<{ planned: number; overdue: number; lateStart: number }> {
  const today = DateTime.now().setZone(zone).startOf('day');
  const day = (n: number) => today.plus({ days: n }).toISODate()!;
  const year = today.year;
  let overdue = 0;
  let lateStart = 0;
  await pool(projects, 8, async (p, i) => {
    // Phase: how many stages are done; the stage after them is where the project is now.
    const done = i % 5;
    const red = (done === 2 && i % 20 === 2) || (done === 0 && i % 25 === 0);
    const late = done === 3 && i % 30 === 3;
    const yellow = !red && !late && i % 7 === 1;
    // Due days: done stages in the past, the current one by its colour, later ones spread ahead.
    const current = red ? -12 : late ? -20 : yellow ? 6 : 25 + (i % 40);
    const dues = STAGES.map((_, s) => (s < done ? -200 + s * 40 : s === done ? current : current + (s - done) * 90));
    if (red) overdue++;
    if (late) lateStart++;
    // Stages done before the project came into Duban are in its first plan (a stage due in the past but not
    // marked done there would be overdue at once: the start stage would owe a late-start explanation).
    await call('PUT', `/projects/${p.id}/plan`, {
      stages: STAGES.map((stage, s) => ({ stage, dueOn: day(dues[s]), ...(s < done && { doneOn: day(dues[s] - 3) }) })),
      reason: '县重点项目倒排工期计划（演示）',
    });
    // Investment: an annual plan of about a third of the total, and this year's completion from well ahead to far behind.
    const plan = Math.round(demo[i].totalInvestment * 0.35);
    await call('PUT', `/projects/${p.id}/investment-plans/${year}`, { amount: plan, reason: `${year}年度投资计划（演示）` });
    const share = [1.02, 0.9, 0.78, 0.6, 0.35][(i * 3) % 5] * (today.ordinal / today.daysInYear);
    await call('POST', `/projects/${p.id}/investment-reports`, { year, month: today.month, completed: Math.round(plan * share), note: '演示数据' });
  });
  return { planned: projects.length, overdue, lateStart };
}

/** The current weekly bulletin, produced by its Temporal Schedule (created by the worker; retried while it comes up). */
export async function triggerBulletin(call: Call): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await call('POST', '/schedules/weekly-bulletin/trigger');
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
