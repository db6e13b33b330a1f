/**
 * Names people read for the API's keys (categories, stages, rungs, events), Chinese first with English.
 * They mirror libs/domain (blocker.ts, lifecycle.ts, ladder.ts, approval.ts); the web app does not import
 * server code, so the few names it shows are repeated here (tests/unit/web-labels.spec.ts proves them equal).
 */
export type ZhEn = { zh: string; en: string };
export type Colour = 'green' | 'yellow' | 'red';

export const BLOCKER_CATEGORY_NAMES: Record<string, ZhEn> = {
  relocation: { zh: '征迁', en: 'relocation' },
  funding: { zh: '资金', en: 'funding' },
  land_quota: { zh: '用地指标', en: 'land quota' },
  approval: { zh: '审批手续', en: 'approvals' },
  planning: { zh: '规划', en: 'planning' },
  environment: { zh: '环评', en: 'environment' },
  utilities: { zh: '水电气', en: 'utilities' },
  schedule: { zh: '进度滞后', en: 'behind schedule' },
  late_start: { zh: '未按期开工说明', en: 'late start explanation' },
  decision: { zh: '议定事项', en: 'meeting decision' },
  other: { zh: '其他', en: 'other' },
};
/** The categories a person may report (schedule, late start and decisions are opened by the system or a meeting). */
export const REPORTABLE_CATEGORIES = ['relocation', 'funding', 'land_quota', 'approval', 'planning', 'environment', 'utilities', 'other'] as const;

export const SEVERITY_NAMES: Record<string, ZhEn> = { normal: { zh: '一般', en: 'normal' }, urgent: { zh: '紧急', en: 'urgent' } };

export const STAGES = ['planning', 'approval', 'land', 'start', 'completion'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_NAMES: Record<string, ZhEn> = {
  planning: { zh: '前期', en: 'planning' },
  approval: { zh: '审批', en: 'approval' },
  land: { zh: '用地', en: 'land' },
  start: { zh: '开工', en: 'start' },
  completion: { zh: '竣工投产', en: 'completion' },
};
export const STAGE_STATE_NAMES: Record<string, ZhEn> = {
  pending: { zh: '未开始', en: 'not started' },
  active: { zh: '进行中', en: 'in progress' },
  done: { zh: '已完成', en: 'done' },
  'n/a': { zh: '不适用', en: 'not applicable' },
};

export const PROJECT_CATEGORY_NAMES: Record<string, ZhEn> = {
  industry: { zh: '产业项目', en: 'industry' },
  infrastructure: { zh: '基础设施', en: 'infrastructure' },
  social: { zh: '社会民生', en: 'social' },
  urban: { zh: '城市建设', en: 'urban' },
  agriculture: { zh: '农业农村', en: 'agriculture' },
  other: { zh: '其他', en: 'other' },
};

export const RUNG_NAMES: Record<string, ZhEn> = {
  unit: { zh: '责任单位', en: 'responsible unit' },
  liaison: { zh: '包联领导', en: 'liaison leader' },
  county: { zh: '县委县政府', en: 'county committee' },
};
export const DEFAULT_LADDER = ['unit', 'liaison', 'county'].map((key) => ({ key, name: RUNG_NAMES[key] }));

export const EVENT_NAMES: Record<string, ZhEn> = {
  reported: { zh: '报告问题', en: 'reported' },
  reminder: { zh: '到期提醒（催办）', en: 'reminder before the due time' },
  escalated: { zh: '升级督办', en: 'escalated' },
  overdue_at_top: { zh: '最高层级超期', en: 'overdue at the top rung' },
  repeat_reminder: { zh: '再次催办', en: 'repeat reminder' },
  acknowledged: { zh: '签收', en: 'acknowledged' },
  progress: { zh: '进展反馈', en: 'progress' },
  remind: { zh: '督查催办', en: 'reminder from the supervision office' },
  extension_requested: { zh: '申请延期', en: 'extension requested' },
  extension_granted: { zh: '批准延期', en: 'extension granted' },
  extension_refused: { zh: '不予延期', en: 'extension refused' },
  extension_lapsed: { zh: '延期申请失效', en: 'extension request lapsed' },
  transferred: { zh: '转办', en: 'transferred' },
  resolved: { zh: '办结', en: 'resolved' },
  reopened: { zh: '重新打开', en: 'reopened' },
  policy_applied: { zh: '适用新规则', en: 'new policy applied' },
  due_recomputed: { zh: '时限重算', en: 'due time recomputed' },
  closed: { zh: '关闭', en: 'closed' },
};

export const REPLAN_STATUS_NAMES: Record<string, ZhEn> = {
  pending: { zh: '待审批', en: 'pending' },
  granted: { zh: '已批准', en: 'granted' },
  refused: { zh: '未批准', en: 'refused' },
};

export const APPROVAL_STATUS_NAMES: Record<string, ZhEn> = {
  planned: { zh: '未申报', en: 'not submitted' },
  submitted: { zh: '已申报', en: 'submitted' },
  supplement_requested: { zh: '补正中', en: 'supplement requested' },
  accepted: { zh: '已受理', en: 'accepted' },
  under_review: { zh: '审查中', en: 'under review' },
  approved: { zh: '已批准', en: 'approved' },
  rejected: { zh: '不予批准', en: 'rejected' },
};

/** The one colour rule (libs/domain/src/colour.ts colourAt), for a live clock on the page. */
export function colourAt(d: { running: boolean; dueAt?: string | null; warnAt?: string | null }, nowMs: number): Colour | null {
  if (!d.running) return null;
  const ms = (t: string | null | undefined) => (t ? Date.parse(t) : NaN);
  if (nowMs >= ms(d.dueAt)) return 'red';
  if (nowMs >= ms(d.warnAt)) return 'yellow';
  return 'green';
}

/** The four colours as text on white (contrast ≥ 4.5:1, WCAG AA). */
export const COLOUR_HEX: Record<Colour | 'grey', string> = { green: '#237804', yellow: '#874d00', red: '#cf1322', grey: '#595959' };
/** The four colours as fills (chart bars, grid cells), with the text colour that reads on each. */
export const COLOUR_FILL: Record<Colour | 'grey', string> = { green: '#52c41a', yellow: '#faad14', red: '#cf1322', grey: '#bfbfbf' };
export const TEXT_ON_FILL: Record<Colour | 'grey', string> = { green: '#000000', yellow: '#000000', red: '#ffffff', grey: '#000000' };

export const nameOf = (table: Record<string, ZhEn>, key: string | null | undefined): ZhEn => (key && table[key]) || { zh: key ?? '—', en: key ?? '—' };
