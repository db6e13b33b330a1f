import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { storableText } from '../../audit/src/audit-chain';
import { AuditService } from '../../audit/src/audit.service';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import type { Actor } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { STAGES } from '../../domain/src/lifecycle';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { LifecycleService } from '../../lifecycle/src/lifecycle.service';
import { PROJECT_CATEGORIES, ProjectCategory } from '../../projects/src/project.entity';
import { visibleProjects } from '../../projects/src/visibility';
import { NOT_APPLICABLE, nameKey } from './cells';
import { type ExportRow, isDubanHeader, writeLedger } from './exporter';
import { type HeaderShape, type ProposedColumn, propose } from './header-reader';
import { type ConfirmedColumn, saveMapping, savedMapping } from './mapping-store';
import { changes, problemsText, latestProgress, recordProgress } from './progress-store';
import { type CellProblem, type CheckContext, type CheckedRow, type Existing, checkRows } from './row-check';
import { startLifecycles } from './lifecycle-starts';
import { openSheet, readRows } from './sheet-reader';
import { FIELDS, LEDGER_FIELDS, type LedgerField } from './synonyms';

export type { CellProblem } from './row-check';

export interface MappingAnswer {
  signature: string;
  headerRows: number[];
  /** Every source column with the field proposed (or saved) for it. */
  columns: (ProposedColumn & { fieldName: string | null })[];
  unmapped: { index: number; label: string }[];
  /** True when the mapping is the one the office confirmed for this header shape before. */
  saved: boolean;
  confirmedAt: string | null;
  /** Whether an import needs the office to confirm the mapping first. */
  needsConfirmation: boolean;
  /** The fields a column may be mapped to, named (so the console offers them without a copy of the table). */
  fields: { field: LedgerField; zh: string; en: string; amount: boolean }[];
}

/**
 * The project ledger (台账) as an .xlsx file: exported as a county office
 * circulates it, and imported from Duban's own export or from a county's own
 * ledger under a column mapping the project office confirms. An import is
 * checked row by row and cell by cell first; a file with any error imports
 * nothing and says every bad cell.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly lifecycle: LifecycleService,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  async export(actor: Actor, year: number): Promise<Buffer> {
    const visible = visibleProjects(actor, 'p');
    const rows: (Omit<ExportRow, 'stages' | 'completed' | 'progressLine' | 'problems' | 'nextSteps'> & { id: string; stages: ExportRow['stages'] | null })[] = await this.ds
      .createQueryBuilder()
      .select(['p.id AS id', 'p.code AS code', 'p.name AS name', 'p.category AS category', 'u.name AS unit', 'p.owner AS owner', "coalesce(t.name, '') AS township"])
      .addSelect('p.total_investment::float', 'total')
      .addSelect(
        `coalesce((SELECT string_agg(l.name, '、' ORDER BY l.name) FROM project_liaison_leader pl JOIN person l ON l.id = pl.person_id WHERE pl.project_id = p.id), '')`,
        'leaders',
      )
      .addSelect(`(SELECT ip.amount::float FROM investment_plan ip WHERE ip.project_id = p.id AND ip.year = :year)`, 'plan')
      .addSelect(
        `(SELECT json_object_agg(s.stage, json_build_object('state', s.state, 'dueOn', to_char(s.due_on, 'YYYY-MM-DD'), 'dueAt', s.due_at, 'warnAt', s.warn_at)) FROM project_stage s WHERE s.project_id = p.id)`,
        'stages',
      )
      .from('project', 'p')
      .innerJoin('org_unit', 'u', 'u.id = p.responsible_unit_id')
      .leftJoin('org_unit', 't', 't.id = p.township_id')
      .where(visible?.sql ?? 'TRUE', { ...visible?.params, year })
      .orderBy('p.code')
      .getRawMany();
    const progress = await latestProgress(
      this.ds,
      rows.map((r) => r.id),
      year,
    );
    const [committee] = await this.ds.query(`SELECT name FROM org_unit WHERE kind = 'county_committee' ORDER BY name LIMIT 1`);
    // The county's name when its committee is named like 某某县委县政府; otherwise the generic 县.
    const orgName = /^(.+?[县市区旗])委/.exec(committee?.name ?? '')?.[1] ?? '县';
    return writeLedger(
      rows.map((r) => {
        const l = progress.get(r.id);
        return {
          ...r,
          category: PROJECT_CATEGORIES[r.category as ProjectCategory] ?? r.category,
          stages: r.stages ?? {},
          completed: l?.completed ?? null,
          progressLine: l?.progressLine ?? '',
          problems: problemsText(l),
          nextSteps: l?.nextSteps ?? '',
        };
      }),
      { year, nowMs: Date.now(), zone: this.cfg.DUBAN_TIME_ZONE, orgName },
    );
  }

  /**
   * The first step of an import: the header found, the mapping proposed (or
   * the one confirmed before for this header shape), and the problems the
   * import would meet under it. Nothing is written.
   */
  async proposal(file: Buffer, year: number): Promise<MappingAnswer & { preview: Awaited<ReturnType<LedgerService['preview']>> }> {
    const mapping = await this.mappingOf((await openSheet(file)).shape);
    return { ...mapping, preview: await this.preview(file, year) };
  }

  /** A mapping as the office sent it, checked: each field once, a name or code column, a known unit for amounts. */
  private confirmedColumns(columns: { index: number; field: LedgerField | null; unit?: string }[]): ConfirmedColumn[] {
    const fields = columns.map((c) => c.field).filter((f): f is LedgerField => !!f);
    const twice = fields.find((f, i) => fields.indexOf(f) !== i);
    if (twice) throw new DomainError(DomainErrorCode.Invalid, `“${FIELDS[twice].zh}”只能对应一列`, `${FIELDS[twice].en} may be mapped to one column only`);
    if (!fields.includes('name') && !fields.includes('code'))
      throw new DomainError(DomainErrorCode.Invalid, '须有一列对应“项目名称”或“项目代码”', 'One column must be the project name or the project code');
    const factors: Record<string, number> = { 亿元: 10_000, 万元: 1, 元: 0.0001 };
    const confirmed: ConfirmedColumn[] = columns.map((c) => ({
      index: c.index,
      label: '',
      field: c.field,
      ...(c.field && FIELDS[c.field].amount ? { unit: c.unit ?? '万元', factor: factors[c.unit ?? '万元'] } : {}),
    }));
    const bad = confirmed.find((c) => c.factor === undefined && c.unit !== undefined);
    if (bad) throw new DomainError(DomainErrorCode.Invalid, `金额单位应为亿元、万元或元：${bad.unit}`, `The amount unit must be 亿元, 万元 or 元`);
    return confirmed;
  }

  /**
   * The project office confirms (or changes) the mapping for a header shape
   * (its signature, from the proposal): saved, audited, and used by every
   * import of that shape from then on.
   */
  async confirmMapping(ctx: RequestContext, signature: string, columns: { index: number; label: string; field: LedgerField | null; unit?: string }[], reason: string) {
    // Labels are for display only; kept storable (PostgreSQL's jsonb refuses NUL) like the audit keeps its texts.
    const confirmed = this.confirmedColumns(columns).map((c, i) => ({ ...c, label: storableText(columns[i].label) }));
    await this.ds.transaction(async (em) => {
      const before = await saveMapping(em, signature, confirmed, personOf(ctx));
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'ledger.mapping_confirm',
        targetType: 'ledger_mapping',
        targetId: signature,
        // Objects, not bare lists: an audit row's before/after is an object (its schema says so).
        before: before && { columns: before },
        after: { columns: confirmed },
        reason,
        requestId: ctx.requestId,
      });
    });
    return { signature, columns: confirmed.map((c) => ({ ...c, fieldName: c.field ? FIELDS[c.field].zh : null })), saved: true };
  }

  private async mappingOf(shape: HeaderShape): Promise<MappingAnswer> {
    const saved = await savedMapping(this.ds, shape.signature);
    const proposed = propose(shape.columns);
    const columns = saved
      ? shape.columns.map((c) => {
          const s = saved.columns.find((x) => x.index === c.index);
          return { ...c, field: s?.field ?? null, confidence: s?.field ? 1 : 0, ...(s?.unit ? { unit: s.unit, factor: s.factor } : {}) };
        })
      : proposed;
    return {
      signature: shape.signature,
      headerRows: shape.headerRows,
      columns: columns.map((c) => ({ ...c, fieldName: c.field ? FIELDS[c.field].zh : null })),
      unmapped: columns.filter((c) => !c.field).map(({ index, label }) => ({ index, label })),
      saved: !!saved,
      confirmedAt: saved?.confirmedAt ?? null,
      // Only Duban's own export (or template) imports unconfirmed: a county's own ledger is confirmed by the office first.
      needsConfirmation: !saved && !isDubanHeader(shape.columns.map((c) => c.label)),
      fields: LEDGER_FIELDS.map((f) => ({ field: f, zh: FIELDS[f].zh, en: FIELDS[f].en, amount: !!FIELDS[f].amount })),
    };
  }

  /**
   * The import's check without the import (dry run): every cell problem, and
   * how many rows would create or update a project. Nothing is written.
   */
  async preview(file: Buffer, year: number): Promise<{ dryRun: true; rows: number; created: number; updated: number; milestonePlans: number; problems: CellProblem[] }> {
    const { valid, problems } = await this.checked(file, year);
    const created = valid.filter((r) => !r.existing).length;
    return { dryRun: true, rows: valid.length, created, updated: valid.length - created, milestonePlans: valid.filter((r) => r.stages).length, problems };
  }

  /** Reads and checks a ledger under its saved (or, for a proposal and a dry run, its proposed) mapping. */
  private async checked(file: Buffer, year: number, mustBeConfirmed = false) {
    const { ws, shape } = await openSheet(file);
    const mapping = await this.mappingOf(shape);
    if (mustBeConfirmed && mapping.needsConfirmation) {
      throw new DomainError(
        DomainErrorCode.Invalid,
        '台账表头与系统模板不同，请先确认列对应关系（POST /api/ledger/mapping）再导入',
        'The ledger’s header differs from Duban’s template: confirm the column mapping (POST /api/ledger/mapping) before importing',
        { mapping },
      );
    }
    const rows = readRows(ws, shape, mapping.columns);
    const ctx = await this.context(year);
    const result = checkRows(rows, ctx);
    // Completed investment is year to date: it may not fall below a month already reported (as the investment report refuses).
    const at = this.monthOf(year);
    const latest = await latestProgress(
      this.ds,
      result.valid.flatMap((r) => (r.existing ? [r.existing.id] : [])),
      year,
    );
    const valid = result.valid.filter((r) => {
      const c = r.progress.completed;
      const l = r.existing && latest.get(r.existing.id);
      if (c === null) return true;
      const column = rows.find((x) => x.row === r.row)!.cells.completed;
      if (!at) {
        result.problems.push({ row: r.row, column: column!.column, cell: column!.address, problem: `不能填报未来年份（${year}年）的完成投资` });
        return false;
      }
      if (l && l.completed !== null && l.completedMonth! < at.month && c < l.completed) {
        result.problems.push({ row: r.row, column: column!.column, cell: column!.address, problem: `年度累计完成投资不能少于${l.completedMonth}月已报的${l.completed}万元` });
        return false;
      }
      return true;
    });
    result.problems.sort((a, b) => a.row - b.row);
    return { valid, problems: result.problems, latest, at };
  }

  /** The month an import's figures count for: this month in the year being imported, December for a past year, none for a future one. */
  private monthOf(year: number): { year: number; month: number } | null {
    const now = DateTime.now().setZone(this.cfg.DUBAN_TIME_ZONE);
    return year === now.year ? { year, month: now.month } : year < now.year ? { year, month: 12 } : null;
  }

  private async context(year: number): Promise<CheckContext> {
    const units = new Map<string, { id: string; kind: string }>(
      (await this.ds.query(`SELECT id, name, kind FROM org_unit`)).map((u: { id: string; name: string; kind: string }) => [u.name, u]),
    );
    const leaders = new Map<string, string[]>();
    for (const p of await this.ds.query(`SELECT id, name FROM person WHERE roles && ARRAY['liaison_leader','county_leader']::text[]`))
      leaders.set(p.name, [...(leaders.get(p.name) ?? []), p.id]);
    // Every registered project: rows without a code are found by name among them all.
    const projects: (Existing & { total: string })[] = await this.ds.query(
      `SELECT p.id, p.code, p.name, p.category, p.responsible_unit_id AS "unitId", p.owner, p.township_id AS "townshipId", p.total_investment::float AS total,
              coalesce((SELECT array_agg(pl.person_id ORDER BY pl.person_id) FROM project_liaison_leader pl WHERE pl.project_id = p.id), '{}') AS "leaderIds",
              (SELECT ip.amount::float FROM investment_plan ip WHERE ip.project_id = p.id AND ip.year = $1) AS plan,
              coalesce((SELECT json_object_agg(s.stage, CASE WHEN s.state = 'n/a' THEN '${NOT_APPLICABLE}' ELSE to_char(s.due_on, 'YYYY-MM-DD') END) FROM project_stage s WHERE s.project_id = p.id), '{}') AS days
         FROM project p`,
      [year],
    );
    const byCode = new Map<string, Existing>();
    const byName = new Map<string, Existing[]>();
    for (const p of projects) {
      const e = { ...p, total: Number(p.total) };
      byCode.set(e.code, e);
      byName.set(nameKey(e.name), [...(byName.get(nameKey(e.name)) ?? []), e]);
    }
    return { units, leaders, byCode, byName };
  }

  /** Imports a ledger: all of it, or (on any bad cell) nothing, with every problem listed. */
  async import(ctx: RequestContext, file: Buffer, year: number) {
    const { valid, problems, latest, at } = await this.checked(file, year, true);
    if (problems.length) {
      throw new DomainError(DomainErrorCode.Invalid, `台账有${problems.length}处错误，未导入任何数据`, `The ledger has ${problems.length} error(s); nothing was imported`, {
        problems,
      });
    }
    // Plans and reports name the person who set them (the schema requires it): a system's key may import projects and milestone plans only.
    if (!personOf(ctx) && valid.some((r) => r.plan !== null || r.progress.completed !== null)) {
      throw DomainError.forbidden(
        '年度计划投资与本年完成投资须由项目办人员导入（记录填报人），API 密钥不能导入这两列',
        'Annual plans and completed investment are imported by a person of the project office (recorded as who set them), not by an API key',
      );
    }
    const ids = new Map<number, string>();
    const counts = await this.ds.transaction(async (em) => {
      const n = { created: 0, updated: 0, unchanged: 0, plans: 0, investmentReports: 0, progressNotes: 0 };
      for (const r of valid) {
        const id = await this.upsert(em, r, year, ctx);
        const change = changes(r.progress, latest.get(id));
        const projectChanged = !r.existing || projectDiffers(r, r.existing);
        if (at) await recordProgress(em, id, at, change, personOf(ctx));
        if (r.plan !== null) n.plans++;
        if (change.report !== null) n.investmentReports++;
        if (change.note) n.progressNotes++;
        const planChanged =
          r.stages !== null && r.stages.map((s) => (s.notApplicable ? NOT_APPLICABLE : s.dueOn)).join(',') !== STAGES.map((s) => r.existing?.days[s] ?? '').join(',');
        const amountChanged = r.plan !== null && r.plan !== r.existing?.plan;
        if (!projectChanged && !planChanged && !amountChanged && change.report === null && !change.note) {
          n.unchanged++;
        } else {
          if (r.existing) n.updated++;
          else n.created++;
          await this.audit.record(em, {
            actor: auditActorOf(ctx.actor),
            action: r.existing ? 'project.import_update' : 'project.import_create',
            targetType: 'project',
            targetId: id,
            after: { code: r.code, name: r.name, row: r.row, plan: r.plan, year, stages: r.stages, progress: { ...change, ...at } },
            requestId: ctx.requestId,
          });
        }
        ids.set(r.row, id);
      }
      return n;
    });
    // The projects are committed; now their lifecycles: a new plan starts a workflow, a changed one is sent to the running workflow.
    const withPlans = valid.filter((r) => r.stages);
    const started = await startLifecycles(
      this.ds,
      this.lifecycle,
      ctx,
      withPlans.map((r) => ({ projectId: ids.get(r.row)!, stages: r.stages! })),
    );
    return { ...counts, milestonePlans: withPlans.length, ...started };
  }

  /** Writes a checked row's project fields, leaders and the year's plan (only what differs); returns the project's id. */
  private async upsert(em: EntityManager, r: CheckedRow, year: number, ctx: RequestContext): Promise<string> {
    const fields = [r.name, r.category, r.unitId, r.owner, r.townshipId, r.total.toFixed(2)];
    let id = r.existing?.id;
    if (!id) {
      id = (
        await em.query(`INSERT INTO project (code, name, category, responsible_unit_id, owner, township_id, total_investment) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, [
          r.code,
          ...fields,
        ])
      )[0].id as string;
    } else if (projectDiffers(r, r.existing!)) {
      await em.query(`UPDATE project SET name=$2, category=$3, responsible_unit_id=$4, owner=$5, township_id=$6, total_investment=$7 WHERE id=$1`, [id, ...fields]);
    }
    if (!r.existing || [...r.leaderIds].sort().join() !== [...r.existing.leaderIds].sort().join()) {
      await em.query(`DELETE FROM project_liaison_leader WHERE project_id = $1`, [id]);
      if (r.leaderIds.length) await em.query(`INSERT INTO project_liaison_leader (project_id, person_id) SELECT $1, unnest($2::uuid[])`, [id, r.leaderIds]);
    }
    if (r.plan !== null && r.plan !== r.existing?.plan) {
      await em.query(
        `INSERT INTO investment_plan (project_id, year, amount, set_by) VALUES ($1,$2,$3,$4) ON CONFLICT (project_id, year) DO UPDATE SET amount = EXCLUDED.amount, set_by = EXCLUDED.set_by, set_at = now()`,
        [id, year, r.plan.toFixed(2), personOf(ctx)],
      );
    }
    return id;
  }
}

const personOf = (ctx: RequestContext) => (ctx.actor.kind === 'person' ? ctx.actor.personId : null);

/** Whether a row changes the project's registered fields or leaders. */
function projectDiffers(r: CheckedRow, e: Existing): boolean {
  return (
    r.name !== e.name ||
    r.category !== e.category ||
    r.unitId !== e.unitId ||
    r.owner !== e.owner ||
    r.townshipId !== e.townshipId ||
    r.total !== e.total ||
    [...r.leaderIds].sort().join() !== [...e.leaderIds].sort().join()
  );
}
