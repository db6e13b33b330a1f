/** What makes a ladder valid: 2 to 8 rungs with distinct keys, names in both languages, and a known rule for who sits on each. */
import { ROLE_KEYS } from './access';
import { RUNG_KEY_PATTERN, type LadderRung } from './ladder';

type Problem = { zh: string; en: string };

const MEMBER_KINDS = ['responsible_unit', 'responsible_unit_head', 'project_liaison', 'county_committee', 'department_staff', 'unit_leader_in_charge', 'role', 'people'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function ladderProblem(rungs: readonly LadderRung[]): Problem | null {
  if (!Array.isArray(rungs) || rungs.length < 2 || rungs.length > 8) return { zh: '督办层级须有2至8级', en: 'A ladder has 2 to 8 rungs' };
  const keys = rungs.map((r) => r?.key);
  if (keys.some((k) => typeof k !== 'string' || !RUNG_KEY_PATTERN.test(k)) || new Set(keys).size !== keys.length) {
    return { zh: '层级标识须为互不相同的小写字母、数字或下划线', en: 'Rung keys must be distinct lower-case letters, digits or underscores' };
  }
  for (const [i, r] of rungs.entries()) {
    const where = { zh: `第${i + 1}级（${r.key}）`, en: `rung ${i + 1} (${r.key})` };
    if (!r.name || typeof r.name.zh !== 'string' || !r.name.zh.trim() || typeof r.name.en !== 'string' || !r.name.en.trim() || r.name.zh.length > 50 || r.name.en.length > 100) {
      return { zh: `${where.zh}须有中文和英文名称`, en: `${where.en} needs a Chinese and an English name` };
    }
    const problem = membersProblem(r.members);
    if (problem) return { zh: `${where.zh}：${problem.zh}`, en: `${where.en}: ${problem.en}` };
  }
  return null;
}

/** The rule for who sits on a rung (RungMembers): one of the known kinds, with its role or people. */
function membersProblem(m: LadderRung['members']): Problem | null {
  if (!m || typeof m !== 'object' || !MEMBER_KINDS.includes(m.kind)) {
    return { zh: `成员规则须为以下之一：${MEMBER_KINDS.join('、')}`, en: `members.kind must be one of ${MEMBER_KINDS.join(', ')}` };
  }
  if (m.kind === 'role') {
    if (!(ROLE_KEYS as readonly string[]).includes(m.role)) return { zh: `角色须为以下之一：${ROLE_KEYS.join('、')}`, en: `role must be one of ${ROLE_KEYS.join(', ')}` };
    if (m.orgUnitId !== undefined && m.orgUnitId !== null && !(typeof m.orgUnitId === 'string' && UUID.test(m.orgUnitId)))
      return { zh: '单位标识须为UUID', en: 'orgUnitId must be a UUID' };
  }
  if (m.kind === 'people') {
    if (!Array.isArray(m.personIds) || !m.personIds.length || m.personIds.length > 50 || m.personIds.some((p) => typeof p !== 'string' || !UUID.test(p))) {
      return { zh: '指定人员须为1至50个人员标识（UUID）', en: 'personIds must be 1 to 50 person ids (UUIDs)' };
    }
  }
  return null;
}
