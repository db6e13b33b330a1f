import type { BlockerEventType, Severity } from '../../domain/src/blocker';

/**
 * The Chinese words for a matter's events on the printed 督办通知单 (办理经过), in one place.
 * A Record over every event type, so a new type fails to compile until it has a label.
 */
export const EVENT_LABELS: Record<BlockerEventType, string> = {
  reported: '报告交办',
  reminder: '到期提醒',
  escalated: '提级督办',
  overdue_at_top: '逾期未办结',
  repeat_reminder: '再次催办',
  acknowledged: '签收',
  progress: '进展反馈',
  remind: '督查催办',
  extension_requested: '申请延期',
  extension_granted: '批准延期',
  extension_refused: '不予延期',
  extension_lapsed: '延期申请失效',
  transferred: '转办',
  resolved: '办结',
  reopened: '重新办理',
  policy_applied: '调整督办规则',
  due_recomputed: '办理时限调整',
  closed: '销号',
};

export const SEVERITY_LABELS: Record<Severity, string> = { normal: '一般', urgent: '紧急' };

/** An event type recorded by a newer version than this code: shown as its key rather than failing the form. */
export const eventLabel = (type: string): string => (EVENT_LABELS as Record<string, string>)[type] ?? type;
