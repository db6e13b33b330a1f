import { DateTime } from 'luxon';
import { type Colour } from '../../../domain/src/colour';
import { DEFAULT_LAG } from '../../../domain/src/lifecycle';
import { cleanText } from '../../../notice-form/src/form-text';
import { NAMED_OVERDUE_DAYS } from '../figures';
import type { Bulletin } from '../bulletins.service';

/**
 * The weekly bulletin as an official document (通报), in words and tables, before any file format:
 * the .docx and the PDF writers only lay this out, so the two can never say different things.
 * Everything here is built from the bulletin's stored figures (and the issuing office stored with
 * them), so a download long after the Schedule ran prints the same document.
 */

export interface DocCell {
  text: string;
  /** A warning colour to shade the cell with (red / yellow only; green is left plain). */
  colour?: Colour | null;
}

export interface DocTable {
  /** Relative column widths: each writer scales them to its text width. */
  columns: { title: string; width: number; align?: 'left' | 'center' }[];
  rows: DocCell[][];
}

export type DocBlock =
  /** 一、… (黑体) */
  | { kind: 'heading'; text: string }
  /** Body text, indented two characters (仿宋). `lead` is a run in 楷体/bold at its start, as （一）红榜。 */
  | { kind: 'paragraph'; text: string; lead?: string }
  | { kind: 'table'; table: DocTable }
  /** An attachment (附件) starts a new page: its label top left, its title centred. */
  | { kind: 'attachment'; label: string; title: string };

export interface BulletinDocument {
  /** The red head (版头): the issuing body's name and the bulletin's name, both red. */
  org: string;
  title: string;
  /** 〔2026〕第49期 */
  issue: string;
  issuer: string;
  /** 2026年11月30日: the day the figures stand at. */
  date: string;
  blocks: DocBlock[];
  /** The closing note lines (版记): 抄送 and 印发. */
  copyTo: string;
  printed: string;
  /** File properties; `created` is the bulletin's instant, so the same bulletin gives the same bytes. */
  meta: { title: string; subject: string; author: string; created: Date };
}

export const BULLETIN_TITLE = '重点项目推进情况通报';

/** User text (names, titles) made safe for a document: one line, no control or invisible characters. */
const t = (s: string | null | undefined) => cleanText(s ?? '', () => true, 200);
const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(Math.round(n * 100) / 100));
/** Money in prose as a county writes it: 亿元 from one hundred million, 万元 below. */
const amount = (n: number) => (n >= 10_000 ? `${num(n / 10_000)}亿元` : `${num(n)}万元`);
const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${num(n)}%`);
const warn = (c: Colour) => ({ red: '红色', yellow: '黄色', green: '' })[c];
const lagged = (c: Colour) => (c === 'green' ? null : c);

type Project = Bulletin['data']['ranking'][number];

export function bulletinDocument(b: Bulletin, issuer: string): BulletinDocument {
  const d = b.data;
  const office = t(issuer);
  const date = DateTime.fromISO(d.day).toFormat('yyyy年M月d日');
  const issue = b.number.startsWith(BULLETIN_TITLE) ? b.number.slice(BULLETIN_TITLE.length) : b.number;
  const c = d.county;
  const { start, completion } = d.fourRates;
  const red = d.laggards.filter((p) => p.colour === 'red').length;
  const categories = d.openBlockers.byCategory.map((x) => `${t(x.name)}${x.count}个`).join('、');

  const projectTable = (rows: Project[], leaders: boolean): DocTable => ({
    columns: [
      { title: '序号', width: 5, align: 'center' },
      { title: '项目名称', width: 22 },
      { title: '责任单位', width: 12 },
      ...(leaders ? [{ title: '包联领导', width: 9 }] : []),
      { title: '年度计划（万元）', width: 10, align: 'center' as const },
      { title: '完成投资（万元）', width: 10, align: 'center' as const },
      { title: '完成率', width: 8, align: 'center' as const },
      { title: '滞后（百分点）', width: 9, align: 'center' as const },
    ],
    rows: rows.map((p, i) => [
      { text: String(i + 1) },
      { text: t(p.name) },
      { text: t(p.unit) },
      ...(leaders ? [{ text: p.liaisonLeaders.map(t).join('、') || '—' }] : []),
      { text: num(p.annualPlan) },
      { text: num(p.completed) },
      { text: pct(p.completedShare), colour: lagged(p.colour) },
      { text: num(p.lagPoints), colour: lagged(p.colour) },
    ]),
  });

  const blocks: DocBlock[] = [
    { kind: 'paragraph', text: `为全面掌握全县重点项目建设进展，压实项目推进责任，按照“一周一排序”工作要求，现将截至${date}全县重点项目推进情况通报如下。` },
    { kind: 'heading', text: '一、总体情况' },
    {
      kind: 'paragraph',
      text:
        `截至${date}，全县纳入年度投资计划的重点项目${c.projects}个，年度计划投资${amount(c.annualPlan)}，累计完成投资${amount(c.completed)}，` +
        `占年度计划的${pct(c.completedShare)}，序时进度为${pct(d.timeShare)}，` +
        (c.lagPoints > 0 ? `滞后序时进度${num(c.lagPoints)}个百分点。` : '达到序时进度要求。') +
        (start.due ? `按节点计划应开工项目${start.due}个，已开工${start.done}个，开工率${pct(start.rate)}` : '本期尚无到期的开工节点') +
        (completion.due ? `；应建成投产项目${completion.due}个，已建成投产${completion.done}个，建成投产率${pct(completion.rate)}。` : '。') +
        `全县逾期未完成的节点${d.overdueStages.length}个；未办结问题${d.openBlockers.total}个` +
        (categories ? `，其中${categories}` : '') +
        `。投资进度滞后的项目${d.laggards.length}个，其中红色预警${red}个、黄色预警${d.laggards.length - red}个。`,
    },
    { kind: 'heading', text: '二、责任单位推进排名' },
    { kind: 'paragraph', text: '按年度投资完成率由高到低排序，各责任单位推进情况如下：' },
    {
      kind: 'table',
      table: {
        columns: [
          { title: '名次', width: 5, align: 'center' },
          { title: '责任单位', width: 16 },
          { title: '项目数', width: 7, align: 'center' },
          { title: '年度计划（万元）', width: 11, align: 'center' },
          { title: '完成投资（万元）', width: 11, align: 'center' },
          { title: '完成率', width: 8, align: 'center' },
          { title: '滞后（百分点）', width: 9, align: 'center' },
          { title: '逾期节点', width: 7, align: 'center' },
          { title: '未办结问题', width: 8, align: 'center' },
        ],
        rows: d.byUnit.map((u) => [
          { text: String(u.rank) },
          { text: t(u.unit) },
          { text: String(u.projects) },
          { text: num(u.annualPlan) },
          { text: num(u.completed) },
          { text: pct(u.completedShare), colour: lagged(u.colour) },
          { text: num(u.lagPoints), colour: lagged(u.colour) },
          { text: String(u.overdueStages) },
          { text: String(u.openBlockers) },
        ]),
      },
    },
    { kind: 'heading', text: '三、红榜和黑榜' },
    { kind: 'paragraph', lead: '（一）红榜。', text: '以下项目年度投资完成率居全县前列，予以通报表扬：' },
    ...(d.redList.length ? [{ kind: 'table' as const, table: projectTable(d.redList, true) }] : [{ kind: 'paragraph' as const, text: '本期无列入红榜的项目。' }]),
    { kind: 'paragraph', lead: '（二）黑榜。', text: '以下项目年度投资完成率居全县后列，予以通报批评，请责任单位和包联领导认真剖析原因，限期赶超：' },
    ...(d.blackList.length ? [{ kind: 'table' as const, table: projectTable(d.blackList, true) }] : [{ kind: 'paragraph' as const, text: '本期无列入黑榜的项目。' }]),
    { kind: 'heading', text: '四、进度滞后项目' },
    {
      kind: 'paragraph',
      text: d.laggards.length
        ? `年度投资完成率滞后序时进度${DEFAULT_LAG.yellowPoints}个百分点及以上的项目${d.laggards.length}个（滞后超过${DEFAULT_LAG.redPoints}个百分点为红色预警），请责任单位和包联领导逐一研究，加快推进：`
        : '本期无投资进度滞后的项目。',
    },
    ...(d.laggards.length
      ? [
          {
            kind: 'table' as const,
            table: {
              ...projectTable(d.laggards, true),
              columns: [...projectTable([], true).columns, { title: '预警', width: 6, align: 'center' as const }],
              rows: projectTable(d.laggards, true).rows.map((r, i) => [...r, { text: warn(d.laggards[i].colour), colour: d.laggards[i].colour }]),
            },
          },
        ]
      : []),
    { kind: 'heading', text: '五、逾期节点和逾期问题' },
    {
      kind: 'paragraph',
      lead: '（一）逾期节点。',
      text: d.overdueStages.length ? `${d.overdueStages.length}个节点已过计划完成时间仍未完成：` : '本期无逾期未完成的节点。',
    },
    ...(d.overdueStages.length
      ? [
          {
            kind: 'table' as const,
            table: {
              columns: [
                { title: '序号', width: 5, align: 'center' as const },
                { title: '项目名称', width: 26 },
                { title: '责任单位', width: 14 },
                { title: '节点', width: 7, align: 'center' as const },
                { title: '计划完成', width: 11, align: 'center' as const },
                { title: '逾期（天）', width: 7, align: 'center' as const },
              ],
              rows: d.overdueStages.map((s, i) => [
                { text: String(i + 1) },
                { text: t(s.name) },
                { text: t(s.unit) },
                { text: t(s.stageName) },
                { text: s.dueOn },
                { text: String(s.daysOverdue), colour: 'red' as const },
              ]),
            },
          },
        ]
      : []),
    {
      kind: 'paragraph',
      lead: '（二）逾期问题。',
      text: d.overdueMatters.length
        ? `逾期超过${NAMED_OVERDUE_DAYS}天仍未办结的问题${d.overdueMatters.length}个，请责任单位抓紧办结，逾期仍未办结的按程序提级督办：`
        : `本期无逾期超过${NAMED_OVERDUE_DAYS}天未办结的问题。`,
    },
    ...(d.overdueMatters.length
      ? [
          {
            kind: 'table' as const,
            table: {
              columns: [
                { title: '序号', width: 5, align: 'center' as const },
                { title: '问题', width: 22 },
                { title: '项目名称', width: 18 },
                { title: '责任单位', width: 12 },
                { title: '督办层级', width: 9, align: 'center' as const },
                { title: '逾期（天）', width: 7, align: 'center' as const },
              ],
              rows: d.overdueMatters.map((m, i) => [
                { text: String(i + 1) },
                { text: t(m.title) },
                { text: t(m.project) },
                { text: t(m.unit) },
                { text: t(m.rung) },
                { text: String(m.daysOverdue), colour: 'red' as const },
              ]),
            },
          },
        ]
      : []),
    { kind: 'heading', text: '六、下步工作要求' },
    {
      kind: 'paragraph',
      text:
        '各责任单位、各包联县领导要对照本期通报，认真分析项目推进中存在的问题。列入黑榜和进度滞后的项目，责任单位要在一周内制定赶超措施，' +
        '包联县领导要亲自调度、现场协调；逾期节点和逾期问题要明确时限、逐项销号，逾期仍未办结的，按程序提级督办。' +
        `${office}将继续坚持“一周一排序、一月一通报”，通报结果纳入年度目标考核。`,
    },
    { kind: 'paragraph', text: '附件：全县重点项目推进情况排名表' },
    { kind: 'attachment', label: '附件', title: '全县重点项目推进情况排名表' },
    {
      kind: 'table',
      table: {
        ...projectTable(d.ranking, true),
        columns: [{ title: '名次', width: 5, align: 'center' }, ...projectTable([], true).columns.slice(1)],
      },
    },
  ];

  return {
    org: office,
    title: BULLETIN_TITLE,
    issue,
    issuer: office,
    date,
    blocks,
    copyTo: '抄送：县委、县人大、县政府、县政协主要领导，各包联县领导。',
    printed: `${office}　　${date}印发`,
    meta: { title: t(b.number), subject: BULLETIN_TITLE, author: office, created: new Date(b.asOf) },
  };
}
