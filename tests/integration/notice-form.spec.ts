/**
 * The 督办通知单 (formal escalation notice) on a real PostgreSQL: what the one-page PDF says (read
 * back with unpdf), that any title still gives one page, that only numbered notices have one, that
 * the same notice gives the same bytes, and who may download which form.
 */
import { randomUUID } from 'node:crypto';
import type { DubanConfig } from '../../libs/config/src';
import type { Actor } from '../../libs/domain/src/access';
import { DEFAULT_LADDER_RUNGS } from '../../libs/domain/src/ladder';
import { DomainError } from '../../libs/domain/src/errors';
import { attachmentDisposition, formFilename, renderNoticeForm } from '../../libs/notice-form/src/notice-form';
import { NoticeFormService } from '../../libs/notice-form/src/notice-form.service';
import { TestDatabase, createTestDatabase } from '../support/db';
import { SmallCounty, seedSmallCounty } from '../support/fixtures';
import { pdfText } from '../support/pdf-text';

const ZONE = 'Asia/Shanghai';
let db: TestDatabase;
let county: SmallCounty;
let supervisor: string;
let stranger: string;
let strangerUnit: string;
let deputy: string;

beforeAll(async () => {
  db = await createTestDatabase('notice_form');
  county = await seedSmallCounty(db.ds);
  await db.ds.query(`UPDATE person SET title = '副县长' WHERE id = $1`, [county.leader]);
  await db.ds.query(`UPDATE person SET title = '局长' WHERE id = $1`, [county.unitStaff[0]]);
  const unit = async (name: string, kind: string) => (await db.ds.query(`INSERT INTO org_unit (name, kind) VALUES ($1,$2) RETURNING id`, [name, kind]))[0].id as string;
  const person = async (name: string, unitId: string, roles: string[]) =>
    (await db.ds.query(`INSERT INTO person (name, org_unit_id, roles) VALUES ($1,$2,$3) RETURNING id`, [name, unitId, roles]))[0].id as string;
  supervisor = await person('督查员己', await unit('县委督查室', 'supervision_office'), ['supervision']);
  strangerUnit = await unit('县住建局', 'department');
  stranger = await person('住建联络员辛', strangerUnit, ['unit_staff']);
  deputy = await person('代理人壬', county.committeeId, ['county_leader']);
});
afterAll(() => db?.drop());

interface Matter {
  blockerId: string;
  escalationNotice: string;
  copyNotice: string;
  deputyNotice: string;
  assignedNotice: string;
  documentNo: string;
}

let counter = 11;
const at = (iso: string) => new Date(iso);

/**
 * A matter as the escalation workflow leaves it: reported to the unit, acknowledged, progress,
 * a reminder, then escalated to the liaison leader with a number; notices as recordEvent writes
 * them (the escalation to the leader, a deputy's copy of it, the copy to the unit, the assignment).
 */
async function seedMatter(o: { title: string; description?: string; earlier?: number; later?: boolean }): Promise<Matter> {
  const blockerId = randomUUID();
  const documentNo = `督办〔2026〕${++counter}号`;
  await db.ds.query(
    `INSERT INTO blocker (id, project_id, responsible_unit_id, category, severity, title, description, reported_by, reported_at, policy_rungs, ladder,
       status, rung, rung_index, due_at, workflow_id, updated_at)
     VALUES ($1,$2,$3,'relocation','urgent',$4,$5,$6,'2026-11-20T01:00:00Z','[]',$7,'open','liaison',1,'2026-12-07T10:00:00Z',$8,now())`,
    [blockerId, county.projectId, county.unitId, o.title, o.description ?? '', county.unitStaff[1], JSON.stringify(DEFAULT_LADDER_RUNGS), `blocker-${blockerId}`],
  );
  let seq = 0;
  const event = async (type: string, iso: string, e: { actor?: string; name?: string; from?: string; to?: string; reason?: string; due?: string; no?: string } = {}) =>
    (
      await db.ds.query(
        `INSERT INTO blocker_event (blocker_id, seq, type, from_rung, to_rung, actor, actor_name, reason, due_at, at, document_no)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
        [blockerId, ++seq, type, e.from ?? null, e.to ?? null, e.actor ?? 'system', e.name ?? 'system', e.reason ?? null, e.due ?? null, at(iso), e.no ?? null],
      )
    )[0].id as string;
  const reported = await event('reported', '2026-11-20T01:00:00Z', { actor: county.unitStaff[1], name: '联络员乙', to: 'unit' });
  for (let i = 0; i < (o.earlier ?? 0); i++) await event('progress', `2026-11-21T0${i % 10}:00:00Z`, { actor: county.unitStaff[1], name: '联络员乙', reason: `第${i + 1}次协商` });
  await event('acknowledged', '2026-11-22T02:00:00Z', { actor: county.unitStaff[0], name: '局长甲' });
  await event('progress', '2026-11-24T03:30:00Z', { actor: county.unitStaff[1], name: '联络员乙', reason: '已与村民协商，补偿方案待县政府审定' });
  await event('reminder', '2026-11-29T02:00:00Z');
  await event('extension_lapsed', '2026-11-30T02:00:00Z', { reason: '延期申请未获批复，问题已提级 / the request lapsed when the blocker moved up' });
  const escalated = await event('escalated', '2026-11-30T02:00:00Z', {
    from: 'unit',
    to: 'liaison',
    due: '2026-12-07T10:00:00Z',
    no: documentNo,
    reason: '逾期未办结，自动提级督办 / unresolved at the due time',
  });
  if (o.later) await event('progress', '2026-12-01T02:00:00Z', { actor: county.leader, name: '副县长丙', reason: '提级之后的进展不在通知单上' });

  const notice = async (eventId: string, recipient: string, kind: string, rung: string, no: string | null, deputyFor: string | null = null) =>
    (
      await db.ds.query(
        `INSERT INTO notice (event_id, blocker_id, recipient_id, kind, rung, title, body, title_en, body_en, document_no, created_at, deputy_for)
         VALUES ($1,$2,$3,$4,$5,'t','b','t','b',$6,(SELECT at FROM blocker_event WHERE id = $1),$7) RETURNING id`,
        [eventId, blockerId, recipient, kind, rung, no, deputyFor],
      )
    )[0].id as string;
  return {
    blockerId,
    documentNo,
    escalationNotice: await notice(escalated, county.leader, 'escalation', 'liaison', documentNo),
    deputyNotice: await notice(escalated, deputy, 'escalation', 'liaison', documentNo, county.leader),
    copyNotice: (await notice(escalated, county.unitStaff[0], 'copy', 'unit', documentNo), await notice(escalated, county.unitStaff[1], 'copy', 'unit', documentNo)),
    assignedNotice: await notice(reported, county.unitStaff[1], 'assigned', 'unit', null),
  };
}

const read = pdfText;

/** Text as extracted, without the spaces and line breaks the extractor puts between drawn pieces. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('renderNoticeForm', () => {
  test('one page in Chinese: number, office, date, project, matter, rung and who sits there, due time, what was done, where to sign', async () => {
    const m = await seedMatter({ title: '城南片区32户征迁补偿未落实', description: '涉及32户，补偿标准存在争议', later: true });
    const form = await renderNoticeForm(db.ds.manager, m.escalationNotice, ZONE);
    expect(form).not.toBeNull();
    expect(form!.filename).toBe(`${m.documentNo}.pdf`);
    expect(form!.content.subarray(0, 5).toString()).toBe('%PDF-');
    // The font is subset: a few kilobytes of glyphs, not the 15 MB font file.
    expect(form!.content.length).toBeLessThan(300 * 1024);

    const { pages, text } = await read(form!.content);
    expect(pages).toBe(1);
    const flat = squeeze(text);
    for (const expected of [
      '紧急督办通知单', // an urgent matter is marked at the head
      m.documentNo,
      '县重点项目办', // the issuing office, from the organisation model
      '2026年11月30日', // the notice's date in the organisation's time zone (10:00 in Shanghai)
      '城南污水处理厂扩建工程',
      '2026-341122-48-01-000011',
      '城南片区32户征迁补偿未落实',
      '涉及32户，补偿标准存在争议',
      '征迁', // category label
      '紧急', // severity
      '包联领导（由责任单位提级）',
      '副县长丙（副县长）', // who sits on the rung, with their post
      '2026年12月7日18:00前', // due time in the zone (10:00Z)
      // what has been done, one line per event, Chinese labels, who did it
      '2026-11-2009:00报告交办联络员乙由责任单位办理',
      '签收局长甲',
      '进展反馈联络员乙已与村民协商，补偿方案待县政府审定',
      '到期提醒系统',
      '延期申请失效系统延期申请未获批复，问题已提级',
      '提级督办系统责任单位→包联领导',
      '签收人：',
      '签收日期：＿＿＿＿年＿＿月＿＿日',
    ]) {
      expect(flat).toContain(squeeze(expected));
    }
    // Fixed as of the escalation: what happened after it, and the deputy's copy, are not on it.
    expect(flat).not.toContain('提级之后的进展');
    expect(flat).not.toContain('代理人壬');
    expect(flat).not.toContain('自动提级'); // the automatic reason says nothing the line does not
    expect(text).not.toMatch(/lapsed|unresolved/); // Chinese only on the form
  });

  test('the copy and the deputy’s copy print the same form; the same notice gives the same bytes (CreationDate is the notice’s instant)', async () => {
    const m = await seedMatter({ title: '用地指标未到位' });
    const a = await renderNoticeForm(db.ds.manager, m.escalationNotice, ZONE);
    const b = await renderNoticeForm(db.ds.manager, m.escalationNotice, ZONE);
    const copy = await renderNoticeForm(db.ds.manager, m.copyNotice, ZONE);
    const deputyCopy = await renderNoticeForm(db.ds.manager, m.deputyNotice, ZONE);
    expect(b!.content.equals(a!.content)).toBe(true);
    expect(copy!.content.equals(a!.content)).toBe(true);
    expect(deputyCopy!.content.equals(a!.content)).toBe(true);
    expect(a!.content.toString('latin1')).toMatch(/\(D:20261130020000Z\)/);
  });

  test('more events than fit: the latest eight, and how many came before', async () => {
    const m = await seedMatter({ title: '资金缺口', earlier: 10 });
    const { pages, text } = await read((await renderNoticeForm(db.ds.manager, m.escalationNotice, ZONE))!.content);
    expect(pages).toBe(1);
    const flat = squeeze(text);
    expect(flat).toContain('此前另有8条记录'); // 16 events up to the escalation, 8 listed
    expect(flat).toContain('第10次协商');
    expect(flat).toContain('第8次协商');
    expect(flat).not.toContain('第7次协商');
    expect(flat).not.toContain('报告交办');
  });

  test('a 2,000-character title and long unbroken text are cut with an ellipsis, still one page', async () => {
    const title = '关于城南片区征迁补偿资金拨付进度严重滞后问题的'.repeat(100).slice(0, 2000);
    const m = await seedMatter({ title, description: 'A'.repeat(3000), earlier: 12 });
    // Everything else at its longest too: the office, the project, a member's post.
    await db.ds.query(`UPDATE person SET title = $2 WHERE id = $1`, [county.leader, '副县长'.repeat(300)]);
    await db.ds.query(`UPDATE org_unit SET name = $2 WHERE id = $1`, [county.officeId, '县重点项目建设服务中心'.repeat(40)]);
    await db.ds.query(`UPDATE project SET name = $2 WHERE id = $1`, [county.projectId, '城南污水处理厂扩建工程'.repeat(60)]);
    try {
      const form = (await renderNoticeForm(db.ds.manager, m.escalationNotice, ZONE))!;
      const { pages, text } = await read(form.content);
      expect(pages).toBe(1);
      const flat = squeeze(text);
      expect(flat).toContain('关于城南片区征迁补偿资金拨付进度严重滞后问题的关于');
      expect(flat).toContain('…');
      expect(flat.length).toBeLessThan(3000);
      expect(flat).toContain('签收人：'); // the foot of the form is still there
    } finally {
      await db.ds.query(`UPDATE person SET title = '副县长' WHERE id = $1`, [county.leader]);
      await db.ds.query(`UPDATE org_unit SET name = '县重点项目办' WHERE id = $1`, [county.officeId]);
      await db.ds.query(`UPDATE project SET name = '城南污水处理厂扩建工程' WHERE id = $1`, [county.projectId]);
    }
  });

  test('odd characters (emoji the font lacks, bidi overrides, line separators, controls, lone surrogates) render, one page, without breaking lines', async () => {
    const title = '征迁😀👨‍👩‍👧\u202e反向\u202c\u2028换行\t制表\u200b零宽\u0007 Ω é 𠮷 \ud800 结尾<>&"\'';
    const m = await seedMatter({ title, description: '第一行\n第二行\r\n第三行' });
    await db.ds.query(`UPDATE person SET name = $2 WHERE id = $1`, [county.leader, '副县长丙🙂']);
    try {
      const form = (await renderNoticeForm(db.ds.manager, m.escalationNotice, ZONE))!;
      const { pages, text } = await read(form.content);
      expect(pages).toBe(1);
      expect(text).toContain('征迁□');
      expect(text).toContain('反向 换行 制表零宽 Ω é');
      expect(text).toContain('结尾<>&"\'');
      expect(text).toContain('第一行 第二行 第三行');
      expect(text).toContain('副县长丙□');
      for (const gone of ['\u202e', '\u2028', '\u200b', '\u0007', '\u0000']) expect(text).not.toContain(gone);
    } finally {
      await db.ds.query(`UPDATE person SET name = '副县长丙' WHERE id = $1`, [county.leader]);
    }
  });

  test('a notice without a document number (not an escalation notice), an unknown id or a malformed one → null', async () => {
    const m = await seedMatter({ title: '审批手续未办结' });
    expect(await renderNoticeForm(db.ds.manager, m.assignedNotice, ZONE)).toBeNull();
    expect(await renderNoticeForm(db.ds.manager, randomUUID(), ZONE)).toBeNull();
    expect(await renderNoticeForm(db.ds.manager, 'not-a-uuid', ZONE)).toBeNull();
  });

  test('the download’s file name: UTF-8 per RFC 5987 with an ASCII fallback', () => {
    expect(formFilename('督办〔2026〕12号')).toBe('督办〔2026〕12号.pdf');
    expect(attachmentDisposition('督办〔2026〕12号.pdf')).toBe(
      `attachment; filename="duban-2026-12.pdf"; filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E3%80%94${'2026'}%E3%80%95${'12'}%E5%8F%B7.pdf`,
    );
    expect(formFilename('a/b\\c"\u0000')).toBe('a_b_c__.pdf');
    expect(attachmentDisposition("it's (1)*.pdf")).toContain("filename*=UTF-8''it%27s%20%281%29%2A.pdf");
  });
});

describe('NoticeFormService: who may download which form', () => {
  let svc: NoticeFormService;
  let m: Matter;
  const person = (personId: string, roles: string[], orgUnitId = county.unitId): Actor =>
    ({ kind: 'person', personId, accountId: randomUUID(), sessionId: randomUUID(), name: 'x', orgUnitId, roles }) as Actor;
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      if (err instanceof DomainError) return { code: err.code, zh: err.messageZh, en: err.messageEn };
      throw err;
    }
    throw new Error('not refused');
  };

  beforeAll(async () => {
    svc = new NoticeFormService(db.ds, { DUBAN_TIME_ZONE: ZONE } as DubanConfig);
    m = await seedMatter({ title: '水电气接入滞后' });
  });

  test('the recipient, the person a deputy stands in for, the deputy holding a copy, the project office and the supervision office may', async () => {
    const allowed: [Actor, string][] = [
      [person(county.leader, ['county_leader', 'liaison_leader'], county.committeeId), m.escalationNotice],
      [person(county.leader, ['county_leader', 'liaison_leader'], county.committeeId), m.deputyNotice],
      [person(deputy, ['county_leader'], county.committeeId), m.deputyNotice],
      [person(deputy, ['county_leader'], county.committeeId), m.escalationNotice],
      [person(county.unitStaff[1], ['unit_staff']), m.copyNotice],
      [person(county.officer, ['project_office'], county.officeId), m.escalationNotice],
      [person(supervisor, ['supervision']), m.copyNotice],
    ];
    for (const [actor, notice] of allowed) {
      const form = await svc.form(actor, notice);
      expect(form.filename).toBe(`${m.documentNo}.pdf`);
    }
  });

  test('anyone else is told the notice does not exist, exactly as for an unknown id', async () => {
    const unknown = await refusal(svc.form(person(county.officer, ['project_office'], county.officeId), '00000000-0000-4000-8000-000000000000'));
    expect(unknown.code).toBe('not_found');
    const refused: [Actor, string][] = [
      [person(stranger, ['unit_staff'], strangerUnit), m.escalationNotice],
      [person(county.unitStaff[0], ['unit_head']), m.escalationNotice], // sees the matter, but it is not their notice
      [person(county.countyLeaders[1], ['county_leader'], county.committeeId), m.escalationNotice], // sees everything, holds no copy
      [{ kind: 'api_key', keyId: randomUUID(), name: 'city', scopes: ['blockers:read'] }, m.escalationNotice],
    ];
    for (const [actor, notice] of refused) {
      const r = await refusal(svc.form(actor, notice));
      expect(r).toEqual({
        ...unknown,
        zh: unknown.zh.replace('00000000-0000-4000-8000-000000000000', notice),
        en: unknown.en.replace('00000000-0000-4000-8000-000000000000', notice),
      });
    }
  });

  test('a notice that is not an escalation notice: 404 saying so, in Chinese and English', async () => {
    const r = await refusal(svc.form(person(county.unitStaff[1], ['unit_staff']), m.assignedNotice));
    expect(r.code).toBe('not_found');
    expect(r.zh).toContain('不是督办通知');
    expect(r.en).toContain('not an escalation notice');
  });

  test('the matter’s forms: one per number, for whoever may see the matter; who may download which', async () => {
    const office = await svc.list(person(county.officer, ['project_office'], county.officeId), m.blockerId);
    expect(office).toEqual([
      expect.objectContaining({
        documentNo: m.documentNo,
        rung: 'liaison',
        fromRung: 'unit',
        rungName: { zh: '包联领导', en: 'liaison leader' },
        noticeId: m.escalationNotice,
        downloadable: true,
      }),
    ]);
    expect(office[0].formPath).toBe(`/api/notices/${m.escalationNotice}/form.pdf`);
    const staff = await svc.list(person(county.unitStaff[1], ['unit_staff']), m.blockerId);
    expect(staff).toEqual([expect.objectContaining({ documentNo: m.documentNo, downloadable: true, noticeId: expect.not.stringMatching(m.escalationNotice) })]);
    const head = await svc.list(person(county.unitStaff[0], ['unit_head']), m.blockerId);
    expect(head[0].downloadable).toBe(true); // the unit head holds a copy
    const countyLeader = await svc.list(person(county.countyLeaders[1], ['county_leader'], county.committeeId), m.blockerId);
    expect(countyLeader).toEqual([expect.objectContaining({ documentNo: m.documentNo, downloadable: false })]);
    expect((await refusal(svc.list(person(stranger, ['unit_staff'], strangerUnit), m.blockerId))).code).toBe('forbidden');
    expect((await refusal(svc.list(person(county.officer, ['project_office'], county.officeId), randomUUID()))).code).toBe('not_found');
  });
});
