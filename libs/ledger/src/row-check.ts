/**
 * Every row of a ledger checked before anything is written: each bad cell
 * named by row and by the county's own column header. A column the ledger
 * does not have leaves that field of an existing project as it is; a new
 * project (a code not yet registered) needs them all. A row without a code is
 * the registered project of the same name (after normalisation), or a problem.
 */
import { DateTime } from 'luxon';
import { STAGES, type Stage } from '../../domain/src/lifecycle';
import { planProblem } from '../../domain/src/lifecycle-plan';
import { isProjectCode } from '../../domain/src/project-code';
import type { PlanDays } from '../../lifecycle/src/lifecycle.service';
import { PROJECT_CATEGORIES, type ProjectCategory } from '../../projects/src/project.entity';
import { NOT_APPLICABLE, amountOf, dayOf, nameKey, noteOf } from './cells';
import type { Progress } from './progress-store';
import type { SheetRow } from './sheet-reader';
import { FIELDS, type LedgerField } from './synonyms';

export interface CellProblem {
  row: number;
  column: string;
  /** The cell's address (e.g. H7); absent for a column the ledger lacks. */
  cell?: string;
  problem: string;
}

/** A project's fields as the ledger carries them: registered (Existing) or read from a row (CheckedRow). */
interface LedgerProject {
  code: string;
  name: string;
  category: ProjectCategory;
  unitId: string;
  owner: string;
  townshipId: string | null;
  total: number;
  leaderIds: string[];
  plan: number | null;
}

export interface Existing extends LedgerProject {
  id: string;
  /** The plan's days ('YYYY-MM-DD' or 不适用) by stage; empty without a plan. */
  days: Partial<Record<Stage, string>>;
}

export interface CheckContext {
  units: Map<string, { id: string; kind: string }>;
  leaders: Map<string, string[]>;
  byCode: Map<string, Existing>;
  byName: Map<string, Existing[]>;
}

export interface CheckedRow extends LedgerProject {
  row: number;
  existing: Existing | null;
  stages: PlanDays['stages'] | null;
  progress: Progress;
}

const CATEGORY_BY_NAME = Object.fromEntries(Object.entries(PROJECT_CATEGORIES).map(([k, v]) => [v, k])) as Record<string, ProjectCategory>;

export function checkRows(rows: SheetRow[], ctx: CheckContext): { valid: CheckedRow[]; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const valid: CheckedRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const before = problems.length;
    const bad = (f: LedgerField, problem: string) => problems.push({ row, column: cells[f]?.column ?? FIELDS[f].zh, ...(cells[f] && { cell: cells[f]!.address }), problem });
    const text = (f: LedgerField) => cells[f]?.text;
    // Which project: by code, or by name when the row has none.
    const code = text('code') ?? '';
    let existing: Existing | null = null;
    if (code) {
      if (!isProjectCode(code)) bad('code', `不是24位项目代码：${code}`);
      existing = ctx.byCode.get(code) ?? null;
    } else {
      const same = ctx.byName.get(nameKey(text('name') ?? '')) ?? [];
      // Named on the name's cell: it is the name that was looked up.
      if (same.length === 1) existing = same[0];
      else if (same.length > 1) bad('name', `无项目代码，且同名项目有${same.length}个，无法确定：${text('name')}`);
      else bad('name', `无项目代码，且按名称未找到已登记的项目：${text('name') || '（空）'}`);
    }
    const key = existing?.id ?? code;
    if (key && seen.has(key)) bad(existing && !code ? 'name' : 'code', `与第${seen.get(key)}行重复`);
    else if (key) seen.set(key, row);
    // A field the ledger lacks (or leaves empty, for an existing project's optional fields) keeps the registered value.
    const need = (f: LedgerField): string | undefined => {
      const t = text(f);
      if (t === undefined && !existing) bad(f, `不能为空：新项目须填写${FIELDS[f].zh}`);
      return t;
    };
    // Matched by name, the registered name stays: the sheet's may differ in spacing or brackets only.
    const name = (code ? need('name') : undefined) ?? existing?.name ?? text('name') ?? '';
    if (name.length > 200) bad('name', '不超过200字');
    const catText = need('category');
    const category = catText === undefined ? existing?.category : (CATEGORY_BY_NAME[catText] ?? (catText in PROJECT_CATEGORIES ? (catText as ProjectCategory) : undefined));
    if (catText !== undefined && !category) bad('category', `应为${Object.values(PROJECT_CATEGORIES).join('、')}之一：${catText}`);
    const unitText = need('unit');
    const unit = unitText === undefined ? existing?.unitId : ctx.units.get(unitText)?.id;
    if (unitText !== undefined && !unit) bad('unit', `单位不存在：${unitText}`);
    const owner = need('owner') ?? existing?.owner ?? '';
    const townText = text('township');
    const town = townText ? ctx.units.get(townText) : undefined;
    if (townText && (!town || town.kind !== 'township')) bad('township', `不是已登记的乡镇：${townText}`);
    const townshipId = townText ? (town?.id ?? null) : 'township' in cells || !existing ? null : existing.townshipId;
    const total = amountOf(cells.total?.value ?? null, need('total') ?? '', cells.total?.factor ?? 1);
    if (!total.ok) bad('total', total.problem);
    const leaderIds: string[] = [];
    const leaderText = text('leaders');
    for (const l of leaderText ? leaderText.split(/[、,，;；\s]+/).filter(Boolean) : []) {
      const found = ctx.leaders.get(l);
      if (!found) bad('leaders', `不是已登记的县级领导：${l}`);
      else if (found.length > 1) bad('leaders', `重名，无法确定：${l}`);
      else leaderIds.push(found[0]);
    }
    const plan = amountOf(cells.plan?.value ?? null, text('plan') ?? '', cells.plan?.factor ?? 1);
    if (!plan.ok) bad('plan', plan.problem);
    const completed = amountOf(cells.completed?.value ?? null, text('completed') ?? '', cells.completed?.factor ?? 1);
    if (!completed.ok) bad('completed', completed.problem);
    const notes = (['progressLine', 'problems', 'nextSteps'] as const).map((f) => {
      const t = text(f);
      const n = t === undefined ? null : noteOf(t);
      if (n && !n.ok) bad(f, n.problem);
      return n?.ok ? n.value : null;
    });
    // A row whose project is not found says so once; its plan's gaps would only repeat it.
    const stages = code || existing ? planOf(cells, existing, bad) : null;
    if (problems.length === before) {
      valid.push({
        row,
        existing,
        code: existing?.code ?? code,
        name,
        category: category!,
        unitId: unit!,
        owner,
        townshipId,
        total: (total.ok ? total.value : null) ?? existing?.total ?? 0,
        leaderIds: 'leaders' in cells || !existing ? leaderIds : existing.leaderIds,
        plan: plan.ok ? plan.value : null,
        stages,
        progress: { completed: completed.ok ? completed.value : null, progressLine: notes[0], problems: notes[1], nextSteps: notes[2] },
      });
    }
  }
  if (!valid.length && !problems.length) problems.push({ row: 1, column: '（全部）', problem: '台账没有数据行' });
  return { valid, problems };
}

/**
 * A row's milestone plan, checked as the plan API checks it: the ledger's
 * days over the registered plan's (a county ledger often has only 计划开工 and
 * 计划竣工); none when the row gives no day; all five needed for a project
 * without a plan.
 */
function planOf(cells: SheetRow['cells'], existing: Existing | null, bad: (f: LedgerField, problem: string) => void): PlanDays['stages'] | null {
  const given = STAGES.filter((s) => cells[s]);
  if (!given.length) return null;
  const days: Partial<Record<Stage, string>> = { ...existing?.days };
  let badDays = 0;
  for (const s of given) {
    const d = dayOf(cells[s]!.value, cells[s]!.text);
    if (!d.ok) {
      bad(s, d.problem);
      badDays++;
    } else days[s] = d.value!;
  }
  if (badDays) return null;
  const missing = STAGES.filter((s) => !days[s]);
  if (missing.length) {
    bad(given[0], `该项目尚无节点计划，须有五个阶段的时限（或“${NOT_APPLICABLE}”），缺：${missing.map((s) => FIELDS[s].zh).join('、')}`);
    return null;
  }
  const stages = STAGES.map((stage) => (days[stage] === NOT_APPLICABLE ? { stage, dueOn: '', notApplicable: '台账标注不适用' } : { stage, dueOn: days[stage]! }));
  // Not-applicable stages take the day of the stage after them (or before), so the plan's order holds.
  const filled = stages.map((s, i) =>
    s.notApplicable ? { ...s, dueOn: stages.slice(i).find((x) => !x.notApplicable)?.dueOn ?? [...stages].reverse().find((x) => !x.notApplicable)?.dueOn ?? '' } : s,
  );
  if (filled.every((s) => s.notApplicable)) {
    bad('completion', '五个阶段不能都不适用');
    return null;
  }
  if (filled.some((s) => !DateTime.fromISO(s.dueOn).isValid)) return null;
  const problem = planProblem(filled.map((f) => ({ ...f, dueAt: '', warnAt: '' })));
  if (problem) {
    bad(problem.stage ?? 'completion', problem.zh);
    return null;
  }
  return filled;
}
