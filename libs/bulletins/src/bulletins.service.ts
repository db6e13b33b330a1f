import { Inject, Injectable } from '@nestjs/common';
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
import { issuingOffice } from '../../notice-form/src/form-data';
import { bulletinWorkbook } from './bulletin-xlsx';
import { bulletinDocument } from './document/bulletin-document';
import { renderBulletinDocx } from './document/bulletin-docx';
import { renderBulletinPdf } from './document/bulletin-pdf';

export const BULLETIN = { zh: '通报', en: 'Bulletin' };
const SYSTEM = { kind: 'system' as const, id: null, name: 'system' };

export interface Bulletin {
  id: string;
  kind: 'weekly';
  periodStart: string;
  number: string;
  asOf: string;
  generatedAt: string;
  /** The figures, and the office that issues the bulletin (stored since the documents; older rows lack it). */
  data: BulletinData & { issuer?: string };
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
      // The issuing office is kept with the figures: the documents rendered from them later name who issued them then.
      const data = { ...(await bulletinFigures(em, asOf, await this.rungNames())), issuer: await issuingOffice(em) };
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
    return { number: b.number, file: await bulletinWorkbook(b) };
  }

  /**
   * The bulletin as an official document (.docx or PDF), rendered from its stored figures: the same
   * bulletin gives the same bytes on every download, so nothing needs storing besides the figures.
   */
  async document(actor: Actor, id: string | 'current', format: 'docx' | 'pdf'): Promise<{ number: string; file: Buffer }> {
    const b = await this.get(actor, id);
    // Bulletins produced before the issuing office was stored with them take the office's name now.
    const doc = bulletinDocument(b, b.data.issuer ?? (await issuingOffice(this.ds.manager)));
    return { number: b.number, file: format === 'docx' ? await renderBulletinDocx(doc) : await renderBulletinPdf(doc) };
  }

  private async rungNames(): Promise<Record<string, string>> {
    const ladders: { rungs: LadderRung[] }[] = await this.ds.query(`SELECT rungs FROM ladder`);
    return Object.fromEntries(ladders.flatMap((l) => l.rungs.map((r) => [r.key, r.name.zh])));
  }
}
