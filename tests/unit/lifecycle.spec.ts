/** A project's life as pure rules: stage colours, time-proportional progress, investment lag, late start, ranking. */
import { investmentLag, rankByProgress, stageColour, stageDeadline, startColour, timeProportionalProgress } from '../../libs/domain/src/lifecycle';

const Z = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);

describe('time-proportional progress (序时进度)', () => {
  test.each([
    ['2026-01-01T12:00:00+08:00', 0.27], // 1/365
    ['2026-07-02T12:00:00+08:00', 50.14], // day 183 of 365
    ['2026-12-31T23:59:00+08:00', 100],
    ['2025-12-31T16:30:00Z', 0.27], // already 1 January in Shanghai
    ['2028-07-01T12:00:00+08:00', 50], // 183/366 in a leap year
  ])('%s → %p %%', (when, pct) => expect(timeProportionalProgress(at(when), Z)).toBe(pct));
});

describe('investment lag against the year', () => {
  const plan = 1000;
  test('at year start nothing lags', () => {
    expect(investmentLag({ annualPlan: plan, completed: 0, onMs: at('2026-01-01T12:00:00+08:00'), zone: Z })).toEqual({
      completedShare: 0,
      timeShare: 0.27,
      lagPoints: 0.27,
      colour: 'green',
    });
  });
  test('mid-year: 10 to 30 points behind is yellow, more is red, ahead is green', () => {
    const mid = at('2026-07-02T12:00:00+08:00'); // 50.14 %
    expect(investmentLag({ annualPlan: plan, completed: 400, onMs: mid, zone: Z })).toEqual({ completedShare: 40, timeShare: 50.14, lagPoints: 10.14, colour: 'yellow' });
    expect(investmentLag({ annualPlan: plan, completed: 150, onMs: mid, zone: Z })).toMatchObject({ lagPoints: 35.14, colour: 'red' });
    expect(investmentLag({ annualPlan: plan, completed: 600, onMs: mid, zone: Z })).toMatchObject({ completedShare: 60, lagPoints: 0, colour: 'green' });
  });
  test('year end: exactly 30 points behind is still yellow, beyond it red; thresholds can be set', () => {
    const end = at('2026-12-31T20:00:00+08:00');
    expect(investmentLag({ annualPlan: plan, completed: 700, onMs: end, zone: Z })).toMatchObject({ lagPoints: 30, colour: 'yellow' });
    expect(investmentLag({ annualPlan: plan, completed: 690, onMs: end, zone: Z })).toMatchObject({ lagPoints: 31, colour: 'red' });
    expect(investmentLag({ annualPlan: plan, completed: 950, onMs: end, zone: Z }, { yellowPoints: 3, redPoints: 10 })).toMatchObject({ lagPoints: 5, colour: 'yellow' });
    expect(investmentLag({ annualPlan: 0, completed: 0, onMs: end, zone: Z })).toMatchObject({ completedShare: 100, colour: 'green' });
  });
});

test('late start: yellow a month after the planned start month, red after three', () => {
  const c = (now: string, started = false) => startColour({ plannedStart: '2026-09-15', started, onMs: at(now), zone: Z });
  expect(c('2026-09-30T12:00:00+08:00')).toBe('green');
  expect(c('2026-10-05T12:00:00+08:00')).toBe('yellow');
  expect(c('2026-11-30T12:00:00+08:00')).toBe('yellow');
  expect(c('2026-12-01T12:00:00+08:00')).toBe('red');
  expect(c('2027-03-01T12:00:00+08:00', true)).toBe('green');
});

test('stage deadlines and colours: due at the end of the day in the zone, yellow warnDays before, red once overdue; only active stages have one', () => {
  const d = stageDeadline('2026-11-25', 3, 'Asia/Shanghai')!;
  expect(d).toEqual({ dueAt: '2026-11-25T16:00:00.000Z', warnAt: '2026-11-22T16:00:00.000Z' });
  const c = (state: 'active' | 'done' | 'pending', iso: string) => stageColour({ state, ...d }, at(iso));
  expect(c('active', '2026-11-22T23:59:59+08:00')).toBe('green');
  expect(c('active', '2026-11-23T00:00:00+08:00')).toBe('yellow');
  expect(c('active', '2026-11-25T23:59:59+08:00')).toBe('yellow');
  expect(c('active', '2026-11-26T00:00:00+08:00')).toBe('red');
  expect(c('done', '2026-12-26T00:00:00+08:00')).toBeNull();
  expect(c('pending', '2026-12-26T00:00:00+08:00')).toBeNull();
  expect(stageDeadline('2026-02-30', 3, 'Asia/Shanghai')).toBeNull();
});

test('ranking by completed share, ties by name, ranks from 1', () => {
  const ranked = rankByProgress([
    { name: '乙项目', completedShare: 40 },
    { name: '甲项目', completedShare: 80 },
    { name: '丙项目', completedShare: 40 },
  ]);
  expect(ranked.map((r) => `${r.rank}:${r.name}`)).toEqual(['1:甲项目', '2:丙项目', '3:乙项目']);
});
