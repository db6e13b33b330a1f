import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import type { Actor } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { isProjectCode } from '../../domain/src/project-code';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { PROJECT_CATEGORIES, ProjectCategory } from '../../projects/src/project.entity';
import { visibleProjects } from '../../projects/src/visibility';
import { DateTime } from 'luxon';
import { STAGES, type Stage } from '../../domain/src/lifecycle';
import { type LifecycleActor, planProblem } from '../../domain/src/lifecycle-plan';
import { LifecycleService, type PlanDays } from '../../lifecycle/src/lifecycle.service';

/** The ledger's columns (台账), as the project office's Excel sheet has them. */
export const COLUMNS = ['项目代码', '项目名称', '项目类别', '责任单位', '项目业主', '所在乡镇', '总投资（万元）', '包联领导', '年度计划投资（万元）'] as const;
/** The milestone plan (倒排工期), one due day per stage; optional columns: all five, or none for a project without a plan yet. */
export const PLAN_COLUMNS: Record<Stage, string> = { planning: '前期完成时限', approval: '审批完成时限', land: '用地完成时限', start: '计划开工日期', completion: '竣工投产时限' };
const NOT_APPLICABLE = '不适用';
/** How many lifecycle workflows an import starts at once. */
const START_CONCURRENCY = 16;
const SHEET = '重点项目台账';
const MAX_ROWS = 20_000;

export interface CellProblem {
  row: number;
  column: string;
  problem: string;
}

interface Row {
  row: number;
  code: string;
  name: string;
  category: ProjectCategory;
  unitId: string;
  owner: string;
  townshipId: string | null;
  total: number;
  leaderIds: string[];
  plan: number | null;
  stages: PlanDays['stages'] | null;
}

const BY_NAME = Object.fromEntries(Object.entries(PROJECT_CATEGORIES).map(([k, v]) => [v, k])) as Record<string, ProjectCategory>;

/**
 * The project ledger (台账) as an .xlsx file: exported as the project office
 * keeps it, imported back matching on the project code. An import is checked
 * row by row and cell by cell first; a file with any error imports nothing
 * and says every bad cell.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly lifecycle: LifecycleService,
  ) {}

  async export(actor: Actor, year: number): Promise<Buffer> {
    const visible = visibleProjects(actor, 'p');
    const rows: Record<string, string | number | null>[] = await this.ds
      .createQueryBuilder()
      .select(['p.code AS code', 'p.name AS name', 'p.category AS category', 'u.name AS unit', 'p.owner AS owner', 't.name AS township', 'p.total_investment::float AS total'])
      .addSelect(`(SELECT string_agg(l.name, '、' ORDER BY l.name) FROM project_liaison_leader pl JOIN person l ON l.id = pl.person_id WHERE pl.project_id = p.id)`, 'leaders')
      .addSelect(`(SELECT ip.amount::float FROM investment_plan ip WHERE ip.project_id = p.id AND ip.year = :year)`, 'plan')
      .addSelect(
        `(SELECT json_object_agg(s.stage, CASE WHEN s.state = 'n/a' THEN '${NOT_APPLICABLE}' ELSE to_char(s.due_on, 'YYYY-MM-DD') END) FROM project_stage s WHERE s.project_id = p.id)`,
        'stages',
      )
      .from('project', 'p')
      .innerJoin('org_unit', 'u', 'u.id = p.responsible_unit_id')
      .leftJoin('org_unit', 't', 't.id = p.township_id')
      .where(visible?.sql ?? 'TRUE', { ...visible?.params, year })
      .orderBy('p.code')
      .getRawMany();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(SHEET);
    ws.addRow([...COLUMNS.slice(0, -1), `${year}年计划投资（万元）`, ...STAGES.map((st) => PLAN_COLUMNS[st])]);
    ws.getRow(1).font = { bold: true };
    for (const r of rows) {
      const stages = (r.stages ?? {}) as unknown as Record<Stage, string>;
      ws.addRow([
        r.code,
        r.name,
        PROJECT_CATEGORIES[r.category as ProjectCategory],
        r.unit,
        r.owner,
        r.township ?? '',
        r.total,
        r.leaders ?? '',
        r.plan ?? '',
        ...STAGES.map((st) => stages[st] ?? ''),
      ]);
    }
    ws.columns.forEach((c, i) => (c.width = [26, 30, 10, 16, 24, 12, 14, 16, 18, 14, 14, 14, 14, 14][i]));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /**
   * The import's check without the import (dry run): every cell problem, and
   * how many rows would create or update a project. Nothing is written.
   */
  async preview(file: Buffer): Promise<{ dryRun: true; rows: number; created: number; updated: number; milestonePlans: number; problems: CellProblem[] }> {
    const { valid, problems } = await this.check(await this.read(file));
    const codes = valid.map((r) => r.code);
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM project WHERE code = ANY($1::text[])`, [codes]);
    return { dryRun: true, rows: valid.length, created: valid.length - n, updated: n, milestonePlans: valid.filter((r) => r.stages).length, problems };
  }

  /** Imports a ledger: all of it, or (on any bad cell) nothing, with every problem listed. */
  async import(
    ctx: RequestContext,
    file: Buffer,
    year: number,
  ): Promise<{ created: number; updated: number; plans: number; milestonePlans: number; workflowsStarted: number; plansChanged: number }> {
    const rows = await this.read(file);
    const { valid, problems } = await this.check(rows);
    const ids = new Map<string, string>();
    if (problems.length) {
      throw new DomainError(DomainErrorCode.Invalid, `台账有${problems.length}处错误，未导入任何数据`, `The ledger has ${problems.length} error(s); nothing was imported`, {
        problems,
      });
    }
    const counts = await this.ds.transaction(async (em) => {
      let created = 0;
      let updated = 0;
      let plans = 0;
      for (const r of valid) {
        const [existing] = await em.query(`SELECT id FROM project WHERE code = $1`, [r.code]);
        const fields = [r.name, r.category, r.unitId, r.owner, r.townshipId, r.total.toFixed(2)];
        if (existing)
          await em.query(`UPDATE project SET name=$2, category=$3, responsible_unit_id=$4, owner=$5, township_id=$6, total_investment=$7 WHERE id=$1`, [existing.id, ...fields]);
        const id: string = existing
          ? existing.id
          : (
              await em.query(`INSERT INTO project (code, name, category, responsible_unit_id, owner, township_id, total_investment) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, [
                r.code,
                ...fields,
              ])
            )[0].id;
        if (existing) updated++;
        else created++;
        await em.query(`DELETE FROM project_liaison_leader WHERE project_id = $1`, [id]);
        if (r.leaderIds.length) await em.query(`INSERT INTO project_liaison_leader (project_id, person_id) SELECT $1, unnest($2::uuid[])`, [id, r.leaderIds]);
        if (r.plan !== null) {
          plans++;
          await em.query(
            `INSERT INTO investment_plan (project_id, year, amount, set_by) VALUES ($1,$2,$3,$4) ON CONFLICT (project_id, year) DO UPDATE SET amount = EXCLUDED.amount, set_by = EXCLUDED.set_by, set_at = now()`,
            [id, year, r.plan.toFixed(2), ctx.actor.kind === 'person' ? ctx.actor.personId : null],
          );
        }
        await this.record(em, ctx, existing ? 'project.import_update' : 'project.import_create', id, {
          code: r.code,
          name: r.name,
          row: r.row,
          plan: r.plan,
          year,
          stages: r.stages,
        });
        ids.set(r.code, id);
      }
      return { created, updated, plans };
    });
    // The projects are committed; now their lifecycles: a new plan starts a workflow, a changed one is sent to the running workflow.
    const withPlans = valid.filter((r) => r.stages);
    const started = await this.startLifecycles(
      ctx,
      withPlans.map((r) => ({ projectId: ids.get(r.code)!, stages: r.stages! })),
    );
    return { ...counts, milestonePlans: withPlans.length, ...started };
  }

  private async startLifecycles(
    ctx: RequestContext,
    plans: { projectId: string; stages: PlanDays['stages'] }[],
  ): Promise<{ workflowsStarted: number; plansChanged: number; finishedUnchanged: number }> {
    const a = ctx.actor;
    const setBy: LifecycleActor =
      a.kind === 'person'
        ? { personId: a.personId, name: a.name, office: true, liaison: false, unit: false, requestId: ctx.requestId }
        : { personId: null, name: a.kind === 'api_key' ? `API key ${a.name}` : 'system', office: true, liaison: false, unit: false, requestId: ctx.requestId };
    const current = new Map<string, string>(
      (
        await this.ds.query(
          `SELECT project_id, string_agg(CASE WHEN state = 'n/a' THEN '${NOT_APPLICABLE}' ELSE to_char(due_on, 'YYYY-MM-DD') END, ',' ORDER BY position) AS days
           FROM project_stage WHERE project_id = ANY($1::uuid[]) GROUP BY project_id`,
          [plans.map((p) => p.projectId)],
        )
      ).map((r: { project_id: string; days: string }) => [r.project_id, r.days]),
    );
    let workflowsStarted = 0;
    let plansChanged = 0;
    let finishedUnchanged = 0;
    const finished = new Set<string>(
      (await this.ds.query(`SELECT project_id FROM project_lifecycle WHERE project_id = ANY($1::uuid[]) AND completed_at IS NOT NULL`, [plans.map((p) => p.projectId)])).map(
        (r: { project_id: string }) => r.project_id,
      ),
    );
    const queue = [...plans];
    const work = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const plan = this.lifecycle.toPlan({ stages: p.stages });
        const before = current.get(p.projectId);
        // A finished project's lifecycle is never restarted nor replanned; its row in the ledger changes the project only.
        if (finished.has(p.projectId)) {
          finishedUnchanged++;
          continue;
        }
        if (before === undefined) {
          await this.lifecycle.startIfNew(p.projectId, plan, false, setBy, '台账导入', false);
          workflowsStarted++;
        } else if (before !== p.stages.map((s) => (s.notApplicable ? NOT_APPLICABLE : s.dueOn)).join(',')) {
          await this.lifecycle.act(ctx, p.projectId, { action: 'setPlan', plan, reason: '台账导入' }, setBy);
          plansChanged++;
        }
      }
    };
    await Promise.all(Array.from({ length: START_CONCURRENCY }, work));
    return { workflowsStarted, plansChanged, finishedUnchanged };
  }

  private async read(file: Buffer): Promise<string[][]> {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(file as unknown as ArrayBuffer);
    } catch {
      throw new DomainError(DomainErrorCode.Invalid, '无法读取文件：请上传 .xlsx 格式的台账', 'Cannot read the file: upload the ledger as .xlsx');
    }
    const ws = wb.getWorksheet(SHEET) ?? wb.worksheets[0];
    if (!ws) throw new DomainError(DomainErrorCode.Invalid, '文件中没有工作表', 'The file has no worksheet');
    const text = (v: ExcelJS.CellValue): string =>
      (v === null || v === undefined
        ? ''
        : v instanceof Date
          ? v.toISOString().slice(0, 10)
          : typeof v === 'object' && 'result' in v
            ? String(v.result ?? '')
            : typeof v === 'object' && 'richText' in v
              ? v.richText.map((t) => t.text).join('')
              : String(v)
      ).trim();
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(text);
    const missing = COLUMNS.slice(0, -1).filter((c) => !header.includes(c));
    if (missing.length || !header.some((h) => /计划投资（万元）$/.test(h))) {
      throw new DomainError(
        DomainErrorCode.Invalid,
        `表头缺少列：${[...missing, ...(header.some((h) => /计划投资/.test(h)) ? [] : ['年度计划投资（万元）'])].join('、')}`,
        `Missing columns: ${missing.join(', ')}`,
      );
    }
    const index = [
      ...COLUMNS.map((c) => (c === '年度计划投资（万元）' ? header.findIndex((h) => /计划投资（万元）$/.test(h)) : header.indexOf(c))),
      ...STAGES.map((st) => header.indexOf(PLAN_COLUMNS[st])),
    ];
    const rows: string[][] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as ExcelJS.CellValue[]).slice(1);
      const cells = index.map((i) => (i < 0 ? '' : text(values[i])));
      if (cells.some((c) => c !== '')) rows[n] = cells;
    });
    if (rows.filter(Boolean).length > MAX_ROWS) throw new DomainError(DomainErrorCode.Invalid, `台账最多${MAX_ROWS}行`, `At most ${MAX_ROWS} rows`);
    return rows;
  }

  private async check(rows: string[][]): Promise<{ valid: Row[]; problems: CellProblem[] }> {
    const units = new Map<string, { id: string; kind: string }>(
      (await this.ds.query(`SELECT id, name, kind FROM org_unit`)).map((u: { id: string; name: string; kind: string }) => [u.name, u]),
    );
    const leaders = new Map<string, string[]>();
    for (const p of await this.ds.query(`SELECT id, name FROM person WHERE roles && ARRAY['liaison_leader','county_leader']::text[]`))
      leaders.set(p.name, [...(leaders.get(p.name) ?? []), p.id]);
    const problems: CellProblem[] = [];
    const valid: Row[] = [];
    const seen = new Map<string, number>();
    rows.forEach((c, n) => {
      if (!c) return;
      const bad = (column: string, problem: string) => problems.push({ row: n, column, problem });
      const before = problems.length;
      const [code, name, category, unit, owner, township, total, leaderNames, plan, ...days] = c;
      if (!isProjectCode(code)) bad('项目代码', `不是24位项目代码：${code || '（空）'}`);
      else if (seen.has(code)) bad('项目代码', `与第${seen.get(code)}行重复`);
      else seen.set(code, n);
      if (!name || name.length > 200) bad('项目名称', '不能为空，且不超过200字');
      const cat = BY_NAME[category] ?? (category in PROJECT_CATEGORIES ? (category as ProjectCategory) : undefined);
      if (!cat) bad('项目类别', `应为${Object.values(PROJECT_CATEGORIES).join('、')}之一：${category || '（空）'}`);
      const u = units.get(unit);
      if (!u) bad('责任单位', `单位不存在：${unit || '（空）'}`);
      if (!owner) bad('项目业主', '不能为空');
      const t = township ? units.get(township) : undefined;
      if (township && (!t || t.kind !== 'township')) bad('所在乡镇', `不是已登记的乡镇：${township}`);
      const totalN = Number(total);
      if (total === '' || !Number.isFinite(totalN) || totalN < 0) bad('总投资（万元）', `应为不小于0的数字：${total || '（空）'}`);
      const names = leaderNames ? leaderNames.split(/[、,，;；\s]+/).filter(Boolean) : [];
      const ids: string[] = [];
      for (const l of names) {
        const found = leaders.get(l);
        if (!found) bad('包联领导', `不是已登记的县级领导：${l}`);
        else if (found.length > 1) bad('包联领导', `重名，无法确定：${l}`);
        else ids.push(found[0]);
      }
      const planN = plan === '' ? null : Number(plan);
      if (planN !== null && (!Number.isFinite(planN) || planN < 0)) bad('年度计划投资（万元）', `应为不小于0的数字：${plan}`);
      const stages = this.planOf(days, bad);
      if (problems.length === before) {
        valid.push({ row: n, code, name, category: cat!, unitId: u!.id, owner, townshipId: t?.id ?? null, total: totalN, leaderIds: ids, plan: planN, stages });
      }
    });
    if (!valid.length && !problems.length) problems.push({ row: 1, column: '（全部）', problem: '台账没有数据行' });
    return { valid, problems };
  }

  /** A row's milestone plan: five due days (or 不适用), or none at all; checked as the plan API checks it. */
  private planOf(days: string[], bad: (column: string, problem: string) => void): PlanDays['stages'] | null {
    if (days.every((d) => d === '')) return null;
    let badDays = 0;
    const stages = STAGES.map((stage, i) => {
      const d = days[i] ?? '';
      if (d === NOT_APPLICABLE) return { stage, dueOn: '', notApplicable: '台账标注不适用' };
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !DateTime.fromISO(d).isValid) {
        bad(PLAN_COLUMNS[stage], d ? `应为日期（YYYY-MM-DD）或“${NOT_APPLICABLE}”：${d}` : `计划须填齐五个阶段的时限（或“${NOT_APPLICABLE}”）`);
        badDays++;
      }
      return { stage, dueOn: d };
    });
    if (badDays) return null;
    // Not-applicable stages take the day of the stage after them (or before), so the plan's order holds.
    const filled = stages.map((s, i) =>
      s.notApplicable ? { ...s, dueOn: stages.slice(i).find((x) => !x.notApplicable)?.dueOn ?? [...stages].reverse().find((x) => !x.notApplicable)?.dueOn ?? '' } : s,
    );
    if (filled.every((s) => s.notApplicable)) {
      bad(PLAN_COLUMNS.completion, '五个阶段不能都不适用');
      return null;
    }
    const problem = planProblem(filled.map((f) => ({ ...f, dueAt: '', warnAt: '' })));
    if (problem) {
      bad(PLAN_COLUMNS[problem.stage ?? 'completion'], problem.zh);
      return null;
    }
    return filled;
  }

  private record(em: EntityManager, ctx: RequestContext, action: string, id: string, after: unknown) {
    return this.audit.record(em, { actor: auditActorOf(ctx.actor), action, targetType: 'project', targetId: id, after, requestId: ctx.requestId });
  }
}
