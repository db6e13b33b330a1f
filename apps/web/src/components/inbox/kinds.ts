/** Notice kinds as people call them. */
const KINDS: Record<string, { zh: string; en: string }> = {
  assigned: { zh: '交办', en: 'Assigned' },
  reminder: { zh: '提醒', en: 'Reminder' },
  escalation: { zh: '督办', en: 'Escalation' },
  copy: { zh: '抄送', en: 'Copy' },
  overdue: { zh: '逾期', en: 'Overdue' },
  repeat_reminder: { zh: '再次提醒', en: 'Reminder again' },
  remind: { zh: '催办', en: 'Remind' },
  progress: { zh: '进展', en: 'Progress' },
  extension_requested: { zh: '延期申请', en: 'Extension asked' },
  extension_decided: { zh: '延期答复', en: 'Extension decided' },
  transferred: { zh: '转办', en: 'Transferred' },
  resolved: { zh: '办结', en: 'Resolved' },
  reopened: { zh: '重新打开', en: 'Reopened' },
  due_changed: { zh: '期限调整', en: 'Due time changed' },
  stage_warning: { zh: '节点预警', en: 'Stage warning' },
  stage_overdue: { zh: '节点逾期', en: 'Stage overdue' },
  completion_reported: { zh: '完成报告', en: 'Completion reported' },
  completion_returned: { zh: '完成退回', en: 'Completion returned' },
  replan_requested: { zh: '调整计划申请', en: 'Replan asked' },
  replan_decided: { zh: '调整计划答复', en: 'Replan decided' },
  late_start: { zh: '延迟开工', en: 'Late start' },
  investment_lag: { zh: '投资滞后', en: 'Investment lag' },
  approval: { zh: '审批', en: 'Approval' },
  unreachable: { zh: '无法送达', en: 'Unreachable' },
};

export const kindName = (kind: string, t: (zh: string, en: string) => string): string => (KINDS[kind] ? t(KINDS[kind].zh, KINDS[kind].en) : kind);
