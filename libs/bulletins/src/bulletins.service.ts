import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import type { Actor } from '../../domain/src/access';
import { DomainError } from '../../domain/src/errors';
import { type LadderRung } from '../../domain/src/ladder';
import { Page, pageOf } from '../../persistence/src/page';
import { bulletinFigures, projectFigures, type BulletinData } from './figures';
import { planDeliveries } from '../../notices/src/delivery-planner';

export const BULLETIN = { zh: '通报', en: 'Bulletin' };
const SYSTEM = { kind: 'system' as const, id: null, name: 'system' };

export interface Bulletin {
  id: string;
  kind: 'weekly';
  periodStart: string;
  number: string;
  asOf: string;
  generatedAt: string;
  data: BulletinData;
}

/**
 * Weekly bulletins (通报, 一周一排序): produced on a Temporal Schedule (or on
 * demand by the project office), one per week, kept and served; and the
 * monthly investment check that tells each lagging project's liaison leader.
 */
@Injectable()
export class BulletinsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  /** The bulletin of the week containing `asOf`; produced again in the same week, it is replaced (same number). */
  async produce(asOfIso: string): Promise<{ id: string; number: string }> {
    const asOf = DateTime.fromISO(asOfIso, { zone: this.cfg.DUBAN_TIME_ZONE });
    const week = asOf.startOf('week');
    const number = `重点项目推进情况通报〔${week.weekYear}〕第${week.weekNumber}期`;
    return this.ds.transaction(async (em) => {
      const data = await bulletinFigures(em, asOf, await this.rungNames());
      const [row]: { id: string; replaced: boolean }[] = await em.query(
        `INSERT INTO bulletin (kind, period_start, number, as_of, data) VALUES ('weekly', $1, $2, $3, $4)
         ON CONFLICT (kind, period_start) DO UPDATE SET as_of = EXCLUDED.as_of, data = EXCLUDED.data, generated_at = now()
         RETURNING id, (xmax <> 0) AS replaced`,
        [week.toISODate(), number, asOf.toUTC().toISO(), JSON.stringify(data)],
      );
      await this.audit.record(em, {
        actor: SYSTEM,
        action: row.replaced ? 'bulletin.regenerate' : 'bulletin.produce',
        targetType: 'bulletin',
        targetId: row.id,
        after: {
          number,
          asOf: asOf.toUTC().toISO(),
          projects: data.county.projects,
          laggards: data.laggards.length,
          overdueStages: data.overdueStages.length,
          openBlockers: data.openBlockers.total,
        },
      });
      return { id: row.id, number };
    });
  }

  /**
   * The monthly investment check: every project lagging the year (yellow or
   * red) as of `asOf`; its liaison leaders get one notice per project and month.
   */
  async checkInvestment(asOfIso: string): Promise<{ month: string; checked: number; lagging: number; notices: number }> {
    const asOf = DateTime.fromISO(asOfIso, { zone: this.cfg.DUBAN_TIME_ZONE });
    const month = asOf.toFormat('yyyy-MM');
    return this.ds.transaction(async (em) => {
      const figures = await projectFigures(em, asOf);
      const lagging = figures.filter((f) => f.colour !== 'green');
      let notices = 0;
      for (const f of lagging) {
        if (!f.liaisonLeaderIds.length) continue;
        const level = f.colour === 'red' ? '红色' : '黄色';
        const inserted = await em.query(
          `INSERT INTO notice (project_id, source_key, recipient_id, channel, kind, rung, title, body, title_en, body_en, created_at)
           SELECT $1, $2, r, 'inbox', 'investment_lag', 'liaison', $3, $4, $5, $6, $7 FROM unnest($8::uuid[]) AS r
           ON CONFLICT (source_key, recipient_id, channel) WHERE source_key IS NOT NULL DO NOTHING RETURNING id`,
          [
            f.projectId,
            `investment:${month}:${f.projectId}`,
            `【${level}预警】${f.name}投资进度滞后序时进度${f.lagPoints}个百分点`,
            `截至${asOf.toFormat('yyyy年M月d日')}，${f.name}年度计划投资${f.annualPlan}万元，已完成${f.completed}万元（${f.completedShare}%），序时进度${(f.completedShare + f.lagPoints).toFixed(2)}%，滞后${f.lagPoints}个百分点。请督促责任单位（${f.unit}）加快投资进度。`,
            `[${f.colour}] ${f.name}: investment ${f.lagPoints} points behind the year`,
            `As of ${asOf.toISODate()}: ${f.completed} of ${f.annualPlan} (10k yuan) completed, ${f.completedShare}%; ${f.lagPoints} points behind time-proportional progress.`,
            asOf.toUTC().toISO(),
            f.liaisonLeaderIds,
          ],
        );
        notices += inserted.length;
        await planDeliveries(em, inserted, this.cfg);
      }
      const result = { month, checked: figures.length, lagging: lagging.length, notices };
      await this.audit.record(em, {
        actor: SYSTEM,
        action: 'investment.check',
        targetType: 'investment',
        targetId: month,
        after: { ...result, laggingProjects: lagging.map((f) => f.code) },
      });
      return result;
    });
  }

  async list(q: { page: number; pageSize: number }): Promise<Page<Omit<Bulletin, 'data'>>> {
    const rows = await this.ds.query(
      `SELECT id, kind, to_char(period_start, 'YYYY-MM-DD') AS "periodStart", number, as_of AS "asOf", generated_at AS "generatedAt", count(*) OVER ()::int AS total
         FROM bulletin ORDER BY period_start DESC LIMIT $1 OFFSET $2`,
      [q.pageSize, (q.page - 1) * q.pageSize],
    );
    return pageOf([rows.map(({ total: _t, ...r }: { total: number }) => r), rows[0]?.total ?? 0], q);
  }

  /** The latest bulletin, or one by id. Bulletins are published county-wide: anyone signed in may read them. */
  async get(_actor: Actor, id: string | 'current'): Promise<Bulletin> {
    const [row] = await this.ds.query(
      `SELECT id, kind, to_char(period_start, 'YYYY-MM-DD') AS "periodStart", number, as_of AS "asOf", generated_at AS "generatedAt", data FROM bulletin
        ${id === 'current' ? '' : 'WHERE id = $1'} ORDER BY period_start DESC LIMIT 1`,
      id === 'current' ? [] : [id],
    );
    if (!row) throw id === 'current' ? DomainError.notFound(BULLETIN, '（尚无通报 / none yet）') : DomainError.notFound(BULLETIN, id);
    return row;
  }

  /** The bulletin as an .xlsx ledger: one sheet per table. */
  async xlsx(actor: Actor, id: string | 'current'): Promise<{ number: string; file: Buffer }> {
    const b = await this.get(actor, id);
    const d = b.data;
    const wb = new ExcelJS.Workbook();
    const sheet = (name: string, header: string[], rows: (string | number | null)[][], widths: number[]) => {
      const ws = wb.addWorksheet(name);
      ws.addRow(header).font = { bold: true };
      rows.forEach((r) => ws.addRow(r));
      ws.columns.forEach((c, i) => (c.width = widths[i] ?? 14));
    };
    sheet(
      '总体情况',
      ['项目', '数值'],
      [
        ['通报', b.number],
        ['截至', d.day],
        ['序时进度（%）', d.timeShare],
        ['有年度计划的项目（个）', d.county.projects],
        ['年度计划投资（万元）', d.county.annualPlan],
        ['已完成投资（万元）', d.county.completed],
        ['完成率（%）', d.county.completedShare],
        ['滞后序时进度（百分点）', d.county.lagPoints],
        ['滞后项目（个）', d.laggards.length],
        ['逾期阶段（个）', d.overdueStages.length],
        ['未办结问题（个）', d.openBlockers.total],
        ['开工率（%）', d.fourRates.start.rate],
        ['建成投产率（%）', d.fourRates.completion.rate],
        ['合同履约率（%）', '暂无数据'],
        ['资金到位率（%）', '暂无数据'],
      ],
      [26, 40],
    );
    const projectRow = (p: BulletinData['ranking'][number]) => [
      p.rank,
      p.code,
      p.name,
      p.unit,
      p.township ?? '',
      p.liaisonLeaders.join('、'),
      p.annualPlan,
      p.completed,
      p.completedShare,
      p.lagPoints,
      COLOUR_ZH[p.colour],
    ];
    const projectHeader = [
      '排名',
      '项目代码',
      '项目名称',
      '责任单位',
      '所在乡镇',
      '包联领导',
      '年度计划投资（万元）',
      '已完成投资（万元）',
      '完成率（%）',
      '滞后（百分点）',
      '预警',
    ];
    const widths = [6, 26, 30, 16, 10, 12, 14, 14, 10, 12, 6];
    sheet('项目排名', projectHeader, d.ranking.map(projectRow), widths);
    sheet('滞后项目', projectHeader, d.laggards.map(projectRow), widths);
    sheet(
      '逾期阶段',
      ['项目代码', '项目名称', '责任单位', '阶段', '计划完成', '逾期天数'],
      d.overdueStages.map((s) => [s.code, s.name, s.unit, s.stageName, s.dueOn, s.daysOverdue]),
      [26, 30, 16, 8, 12, 10],
    );
    sheet(
      '问题统计',
      ['分类', '名称', '数量'],
      [...d.openBlockers.byCategory.map((c) => ['问题类别', c.name, c.count]), ...d.openBlockers.byRung.map((r) => ['督办层级', r.name, r.count])],
      [10, 16, 8],
    );
    sheet(
      '逾期事项',
      ['事项', '项目', '责任单位', '层级', '逾期天数'],
      d.overdueMatters.map((m) => [m.title, m.project, m.unit, m.rung, m.daysOverdue]),
      [40, 30, 16, 12, 10],
    );
    sheet(
      '单位排名',
      ['排名', '责任单位', '项目（个）', '年度计划投资（万元）', '已完成投资（万元）', '完成率（%）', '滞后（百分点）', '逾期阶段', '未办结问题'],
      d.byUnit.map((u) => [u.rank, u.unit, u.projects, u.annualPlan, u.completed, u.completedShare, u.lagPoints, u.overdueStages, u.openBlockers]),
      [6, 16, 10, 14, 14, 10, 12, 10, 10],
    );
    return { number: b.number, file: Buffer.from(await wb.xlsx.writeBuffer()) };
  }

  private async rungNames(): Promise<Record<string, string>> {
    const ladders: { rungs: LadderRung[] }[] = await this.ds.query(`SELECT rungs FROM ladder`);
    return Object.fromEntries(ladders.flatMap((l) => l.rungs.map((r) => [r.key, r.name.zh])));
  }
}

const COLOUR_ZH = { green: '绿', yellow: '黄', red: '红' } as const;
