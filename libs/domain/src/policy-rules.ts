/** What makes a policy valid: rungs that follow its ladder, response times and warnings that make sense. */
import { parseResponseTime } from './duration';
import type { PolicyRung, ResponseTime, RungKey, WarningBefore } from './ladder';

type Problem = { zh: string; en: string };

export function responseTimeProblem(r: ResponseTime, where: string): Problem | null {
  if (typeof r === 'string') return parseResponseTime(r) ? null : bad(where, `不是有效的 ISO-8601 时长：${r}`, `${r} is not a positive ISO-8601 duration`);
  if (!r || typeof r !== 'object') return bad(where, '须为工作日、工作小时或 ISO-8601 时长', 'must be working days, working hours or an ISO-8601 duration');
  switch (r.unit) {
    case 'workingDays':
    case 'workingHours':
      return Number.isInteger(r.amount) && r.amount >= 1 && r.amount <= 365
        ? null
        : bad(where, '工作日/工作小时数须为1至365的整数', 'the amount must be a whole number from 1 to 365');
    case 'duration':
      return parseResponseTime(r.iso) ? null : bad(where, `不是有效的 ISO-8601 时长：${r.iso}`, `${r.iso} is not a positive ISO-8601 duration`);
    default:
      return bad(where, '时限单位须为 workingDays、workingHours 或 duration', 'unit must be workingDays, workingHours or duration');
  }
}

function warningProblem(w: WarningBefore, where: string): Problem | null {
  if ('fraction' in w) return w.fraction > 0 && w.fraction < 1 ? null : bad(where, '预警比例须大于0且小于1', 'the warning fraction must be between 0 and 1');
  if (w.unit === ('workingHours' as string)) return bad(where, '预警可用比例、工作日或 ISO-8601 时长', 'a warning is a fraction, working days or an ISO-8601 duration');
  return responseTimeProblem(w as ResponseTime, where);
}

/** The rungs must be the ladder's, in order from its first, each with a valid response time (and warning). */
export function policyProblem(p: { rungs: PolicyRung[]; repeatEvery?: string | null; reopenWithin?: string | null }, ladder: readonly RungKey[]): Problem | null {
  if (!p.rungs?.length) return { zh: '督办规则至少包含一个层级', en: 'A policy needs at least one rung' };
  if (p.rungs.length !== ladder.length)
    return { zh: `督办规则须为层级的每一级（共${ladder.length}级）设定时限`, en: `A policy sets a time for each of the ladder's ${ladder.length} rungs` };
  for (const [i, r] of p.rungs.entries()) {
    if (r.rung !== ladder[i]) return { zh: `第${i + 1}个层级应为 ${ladder[i]}`, en: `rung ${i + 1} must be ${ladder[i]}` };
    const problem =
      responseTimeProblem(r.responseTime, `层级 ${r.rung} 的办理时限/rung ${r.rung} responseTime`) ??
      (r.warningBefore ? warningProblem(r.warningBefore, `层级 ${r.rung} 的预警/rung ${r.rung} warningBefore`) : null);
    if (problem) return problem;
  }
  for (const [name, v] of [
    ['repeatEvery', p.repeatEvery],
    ['reopenWithin', p.reopenWithin],
  ] as const) {
    if (v != null && !parseResponseTime(v)) return bad(name, `不是有效的 ISO-8601 时长：${v}`, `${v} is not a positive ISO-8601 duration`);
  }
  return null;
}

function bad(where: string, zh: string, en: string): Problem {
  const [zhWhere, enWhere] = where.includes('/') ? where.split('/') : [where, where];
  return { zh: `${zhWhere}${zh}`, en: `${enWhere}: ${en}` };
}
