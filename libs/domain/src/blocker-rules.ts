/**
 * Who may take which action on a matter, and when (shared/design/escalation.md,
 * "Actions"). Pure: the workflow's update validators apply these to the
 * matter's live state; the API applies the same to the read model first, so
 * that most refusals are answered without a round trip.
 */
import type { ActingPerson, BlockerAction, BlockerCommand, BlockerState } from './blocker';
import { rungLabel, type LadderRung } from './ladder';

import { type Refusal, blank, conflict, forbidden, invalid } from './refusal';

export type { Refusal };

/** The highest rung index the actor sits on in this ladder, or -1. */
function highest(cmd: BlockerCommand, ladder: readonly LadderRung[]): number {
  return Math.max(-1, ...cmd.actor.rungs.map((r) => ladder.findIndex((l) => l.key === r)));
}

export function refusal(cmd: BlockerCommand, s: BlockerState, ladder: readonly LadderRung[], nowMs: number): Refusal | null {
  const a = cmd.actor;
  const here = rungLabel(s.rung, ladder);
  const onCurrent = a.rungs.includes(s.rung);
  const top = highest(cmd, ladder);
  const currentOrAbove = a.office || top >= s.rungIndex;
  if (cmd.action !== 'reopen' && s.status !== 'open') return conflict('该问题已办结，不能再办理（可在期限内重新打开）', 'The blocker is resolved; only reopen is possible');

  switch (cmd.action) {
    case 'acknowledge':
      if (!onCurrent) return forbidden(`只有${here.zh}层级人员可以签收`, `Only people on the ${here.en} rung may acknowledge`);
      if (s.acknowledgedBy?.includes(a.personId)) return conflict('您已签收该问题', 'You have already acknowledged this blocker');
      return null;
    case 'progress':
      if (!currentOrAbove && !a.reporter)
        return forbidden(`只有${here.zh}层级及以上人员或报告人可以反馈进展`, `Only people on the ${here.en} rung or above, or the reporter, may post progress`);
      if (blank(cmd.text)) return invalid('进展反馈内容不能为空', 'The progress text is required');
      return null;
    case 'resolve':
      if (!currentOrAbove) return forbidden(`该问题当前在${here.zh}层级，只有该层级及以上人员可以办结`, `Only people on the ${here.en} rung or above may resolve this blocker`);
      if (blank(cmd.resolution)) return invalid('办结须填写办理结果', 'A resolution text is required');
      return null;
    case 'escalateNow':
      if (!onCurrent && !a.office) return forbidden(`只有${here.zh}层级人员可以主动上报`, `Only people on the ${here.en} rung may escalate it now`);
      if (s.rungIndex >= ladder.length - 1) return conflict('该问题已在最高层级，无法再上报', 'The blocker is already on the top rung');
      if (blank(cmd.reason)) return invalid('主动上报须说明已采取的措施（能自行协调解决的，不得提交更高层级）', 'Say what was tried: a reason is required');
      return null;
    case 'requestExtension':
      if (!onCurrent) return forbidden(`只有${here.zh}层级人员可以申请延期`, `Only people on the ${here.en} rung may request an extension`);
      if (s.dueAt && nowMs >= Date.parse(s.dueAt)) return conflict('已超过办理时限，不能再申请延期', 'The due time has passed; an extension must be asked for before it');
      if (s.extension) return conflict('已有待审批的延期申请', 'An extension request is already pending');
      if (!validInstant(cmd.until) || (s.dueAt && Date.parse(cmd.until) <= Date.parse(s.dueAt)))
        return invalid('申请的新时限须晚于当前时限', 'The requested due time must be later than the current one');
      if (blank(cmd.reason)) return invalid('申请延期须说明理由', 'A reason is required');
      return null;
    case 'grantExtension':
    case 'refuseExtension':
      if (!s.extension) return conflict('没有待审批的延期申请', 'No extension request is pending');
      if (!a.office && top <= s.rungIndex) return forbidden('只有上一层级人员可以审批延期申请', 'Only the rung above may decide on an extension');
      if (cmd.action === 'grantExtension') {
        const until = cmd.until ?? s.extension.until;
        if (!validInstant(until) || Date.parse(until) <= nowMs) return invalid('批准的新时限须晚于当前时间', 'The granted due time must be in the future');
      }
      if (blank(cmd.reason)) return invalid('审批意见不能为空', 'A reason is required');
      return null;
    case 'transfer': {
      const liaison = Math.min(1, ladder.length - 1);
      if (!a.office && top < liaison)
        return forbidden(
          `只有${rungLabel(ladder[liaison].key, ladder).zh}层级及以上人员可以转办`,
          `Only the ${rungLabel(ladder[liaison].key, ladder).en} rung or above may transfer`,
        );
      if (cmd.toUnitId === s.responsibleUnitId) return invalid('转办单位与当前责任单位相同', 'The blocker is already with that unit');
      if (cmd.dueAt !== undefined && (!validInstant(cmd.dueAt) || Date.parse(cmd.dueAt) <= nowMs))
        return invalid('转办时限须晚于当前时间', 'The new due time must be in the future');
      if (blank(cmd.reason)) return invalid('转办须说明理由', 'A reason is required');
      return null;
    }
    case 'reopen':
      if (s.status !== 'resolved') return conflict('该问题尚未办结，无需重新打开', 'The blocker is not resolved');
      if (!s.reopenUntil || nowMs > Date.parse(s.reopenUntil)) return conflict('已超过可重新打开的期限', 'The period for reopening has passed');
      if (!a.reporter && !a.office && top <= s.rungIndex) return forbidden('只有报告人或更高层级人员可以重新打开', 'Only the reporter or someone on a higher rung may reopen it');
      if (blank(cmd.reason)) return invalid('重新打开须说明理由', 'A reason is required');
      return null;
    case 'remind':
      if (!a.supervision && !a.office) return forbidden('只有督查室或项目办可以催办', 'Only the supervision office or the project office may send a reminder');
      return null;
    case 'applyPolicy':
      if (!a.office) return forbidden('只有项目办可以对在办问题适用新规则', 'Only the project office may apply a policy to an open blocker');
      if (cmd.policy.rungs.map((r) => r.rung).join() !== ladder.map((r) => r.key).join())
        return invalid('新规则的层级与该问题的督办层级不一致', 'The policy’s rungs do not match the blocker’s ladder');
      if (blank(cmd.reason)) return invalid('须说明理由', 'A reason is required');
      return null;
  }
}

function validInstant(s: unknown): s is string {
  return typeof s === 'string' && !Number.isNaN(Date.parse(s));
}

/** The actions a person may be offered on a matter (applyPolicy is the office's bulk tool, not a button). */
export const OFFERED_ACTIONS = [
  'acknowledge',
  'progress',
  'resolve',
  'escalateNow',
  'requestExtension',
  'grantExtension',
  'refuseExtension',
  'transfer',
  'reopen',
  'remind',
] as const;
export type OfferedAction = (typeof OFFERED_ACTIONS)[number];

/**
 * The actions `actor` may take on the matter now: those `refusal` lets through
 * with well-formed input (the same rule the API and the workflow apply, so a
 * page shows only buttons that will work, and a refusal for bad input is still
 * the server's). The sample payloads only stand in for what the person types.
 */
export function allowedActions(actor: ActingPerson, s: BlockerState, ladder: readonly LadderRung[], nowMs: number): OfferedAction[] {
  const later = new Date(Math.max(nowMs, s.dueAt ? Date.parse(s.dueAt) : nowMs) + 86_400_000).toISOString();
  const sample: Record<OfferedAction, BlockerAction> = {
    acknowledge: { action: 'acknowledge' },
    progress: { action: 'progress', text: '…' },
    resolve: { action: 'resolve', resolution: '…' },
    escalateNow: { action: 'escalateNow', reason: '…' },
    requestExtension: { action: 'requestExtension', until: later, reason: '…' },
    grantExtension: { action: 'grantExtension', until: later, reason: '…' },
    refuseExtension: { action: 'refuseExtension', reason: '…' },
    // Any other unit: the person chooses it.
    transfer: { action: 'transfer', toUnitId: '00000000-0000-0000-0000-000000000000', toUnitName: '', reason: '…' },
    reopen: { action: 'reopen', reason: '…' },
    remind: { action: 'remind', text: '' },
  };
  return OFFERED_ACTIONS.filter((k) => !refusal({ ...sample[k], actor } as BlockerCommand, s, ladder, nowMs));
}
