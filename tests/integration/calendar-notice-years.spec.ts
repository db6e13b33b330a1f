/**
 * A loaded holiday notice year can be corrected (replaced) and removed by the
 * project office, each with a reason in the audit log, leaving the office's own
 * amendments alone and telling the recompute of open matters which days moved.
 */
import { AuditService } from '../../libs/audit/src/audit.service';
import { CalendarChange, CalendarStore } from '../../libs/calendar-store/src/calendar-store.service';
import { loadConfig } from '../../libs/config/src';
import type { RequestContext } from '../../libs/identity/src/context';
import { CalendarNoticeDays1764150000000 } from '../../libs/persistence/src/migrations/1764150000000-calendar-notice-days';
import { TestDatabase, createTestDatabase } from '../support/db';
import { seedSmallCounty } from '../support/fixtures';

let db: TestDatabase;
let store: CalendarStore;
let ctx: RequestContext;
const changes: CalendarChange[] = [];

/** A wrong 2027 notice: Spring Festival's weekend made working days, the holiday itself missing. */
const WRONG = {
  note: '2027年放假安排（错误版本）',
  days: [
    { date: '2027-02-06', kind: 'work' as const },
    { date: '2027-02-07', kind: 'work' as const },
  ],
  reason: '载入2027年通知',
};
const RIGHT = {
  note: '国务院办公厅关于2027年部分节假日安排的通知',
  days: [
    ...['06', '07', '08', '09', '10', '11', '12'].map((d) => ({ date: `2027-02-${d}`, kind: 'off' as const, note: '春节' })),
    { date: '2027-02-14', kind: 'work' as const, note: '春节调休上班' },
  ],
  reason: '原通知录入错误，按正式文件更正',
};

beforeAll(async () => {
  db = await createTestDatabase('calendar_notice');
  const county = await seedSmallCounty(db.ds);
  ctx = {
    actor: { kind: 'person', personId: county.officer, accountId: null, sessionId: null, name: '项目办戊', orgUnitId: county.officeId, roles: ['project_office'] } as never,
    requestId: 'calendar-test',
  };
  store = new CalendarStore(db.ds, new AuditService(db.ds), loadConfig({ DATABASE_URL: db.url }));
  store.onChange(async (c) => void changes.push(c));
});
afterAll(() => db?.drop());

const working = async (date: string) => (await store.current()).describeDay(date);
const audit = async (action: string) => db.ds.query(`SELECT before, after, reason FROM audit_log WHERE action = $1 AND target_id = '2027' ORDER BY seq`, [action]);

test('a wrong 2027 is replaced, then removed; each audited with its reason; the office’s own day off stays', async () => {
  await store.amend(ctx, { date: '2027-03-15', kind: 'off', note: '县庆', reason: '县政府决定' });
  await store.loadNoticeYear(ctx, { year: 2027, ...WRONG });
  expect(await working('2027-02-06')).toMatchObject({ working: true, provisional: false });

  // Loading the corrected notice over it is refused, and says how to correct it.
  await expect(store.loadNoticeYear(ctx, { year: 2027, ...RIGHT })).rejects.toMatchObject({ code: 'conflict', messageEn: expect.stringMatching(/PUT/) });

  changes.length = 0;
  expect(await store.replaceNoticeYear(ctx, 2027, RIGHT)).toEqual({ year: 2027, days: 8, recomputeJobId: null });
  expect(await working('2027-02-06')).toMatchObject({ working: false });
  expect(await working('2027-02-08')).toMatchObject({ working: false, provisional: false });
  expect(await working('2027-02-14')).toMatchObject({ working: true });
  expect(await working('2027-03-15')).toMatchObject({ working: false });
  expect(changes).toHaveLength(1);
  expect(changes[0].years).toEqual([2027]);
  expect(changes[0].dates.sort()).toEqual([...RIGHT.days.map((d) => d.date)].sort()); // 02-06 and 02-07 are in both
  const [replaced] = await audit('calendar.notice_replace');
  expect(replaced.reason).toBe(RIGHT.reason);
  expect(replaced.before.days.map((d: { date: string; kind: string }) => `${d.date}:${d.kind}`)).toEqual(['2027-02-06:work', '2027-02-07:work']);
  expect(replaced.after.days).toHaveLength(8);

  changes.length = 0;
  await store.removeNoticeYear(ctx, 2027, '国务院尚未正式发布，暂时撤下');
  expect(await working('2027-02-08')).toMatchObject({ working: true, provisional: true });
  expect(await working('2027-02-06')).toMatchObject({ working: false, reason: 'weekend' });
  expect(await working('2027-03-15')).toMatchObject({ working: false }); // the office's own amendment stays
  expect((await store.data()).noticeYears).toEqual([]);
  expect(changes).toEqual([{ years: [2027], dates: RIGHT.days.map((d) => d.date) }]);
  const [removed] = await audit('calendar.notice_remove');
  expect(removed.reason).toBe('国务院尚未正式发布，暂时撤下');
  expect(removed.before.days).toHaveLength(8);

  // Gone: replacing or removing it again is 404; loading it anew works.
  await expect(store.replaceNoticeYear(ctx, 2027, RIGHT)).rejects.toMatchObject({ code: 'not_found' });
  await expect(store.removeNoticeYear(ctx, 2027, '再次删除')).rejects.toMatchObject({ code: 'not_found' });
  await store.loadNoticeYear(ctx, { year: 2027, ...RIGHT });
  expect(await working('2027-02-10')).toMatchObject({ working: false, provisional: false });
});

test('a replacement with a day outside its year is refused, and nothing changes', async () => {
  const before = await store.data();
  await expect(store.replaceNoticeYear(ctx, 2027, { ...RIGHT, days: [{ date: '2028-01-01', kind: 'off' }] })).rejects.toMatchObject({ code: 'invalid' });
  expect(await store.data()).toEqual(before);
});

test('the migration finds the days of notices loaded before it, through the audit log; its down() drops the column', async () => {
  const runner = db.ds.createQueryRunner();
  try {
    const migration = new CalendarNoticeDays1764150000000();
    await migration.down(runner);
    expect((await db.ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'calendar_amendment' AND column_name = 'notice_year'`)).length).toBe(0);
    await migration.up(runner);
  } finally {
    await runner.release();
  }
  const rows = await db.ds.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, notice_year FROM calendar_amendment ORDER BY date`);
  expect(rows).toEqual([...RIGHT.days.map((d) => ({ date: d.date, notice_year: 2027 })), { date: '2027-03-15', notice_year: null }]);
});
