import { DateTime } from 'luxon';
import { BLOCKER_CATEGORIES, BlockerCategory } from '../../domain/src/blocker';
import type { NoticeKind } from '../../notices/src/notice.entity';

/** The words of a notice, Chinese first, English beside it. */
export interface NoticeText {
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
}

type Label = { zh: string; en: string };

export interface NoticeContext {
  projectName: string;
  blockerTitle: string;
  category: BlockerCategory;
  /** The rung the notice is about (the new rung for an escalation). */
  rung: Label;
  fromRung?: Label | null;
  dueAt?: string | null;
  resolution?: string | null;
  /** 督办〔2026〕12号, on an escalation notice and its copy. */
  documentNo?: string | null;
  /** Free text: a progress update, a reminder's words, a reason. */
  text?: string | null;
  until?: string | null;
  toUnitName?: string | null;
  actorName?: string | null;
  zone: string;
}

function fmt(iso: string | null | undefined, zone: string): string {
  return iso ? DateTime.fromISO(iso).setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss') : '—';
}

export function noticeText(kind: NoticeKind, c: NoticeContext): NoticeText {
  const rung = c.rung;
  const from = c.fromRung ?? rung;
  const due = fmt(c.dueAt, c.zone);
  const subject = `${c.projectName}：${c.blockerTitle}`;
  const subjectEn = `${c.projectName}: ${c.blockerTitle}`;
  const cat = BLOCKER_CATEGORIES[c.category];
  const no = c.documentNo ? `${c.documentNo}　` : '';
  const noEn = c.documentNo ? `${c.documentNo}: ` : '';
  const who = c.actorName ?? '';
  switch (kind) {
    case 'assigned':
      return n(
        `【交办】${subject}`,
        `项目“${c.projectName}”报告${cat}问题“${c.blockerTitle}”，由${rung.zh}办理，请于${due}前办结。`,
        `[Assigned] ${subjectEn}`,
        `A ${c.category} blocker "${c.blockerTitle}" was reported on "${c.projectName}"; the ${rung.en} holds it and must resolve it by ${due} (${c.zone}).`,
      );
    case 'reminder':
      return n(
        `【催办】${subject}`,
        `该问题将于${due}到期，请${rung.zh}抓紧办理；逾期未办结将自动提级督办。`,
        `[Reminder] ${subjectEn}`,
        `This blocker is due at ${due} (${c.zone}); unresolved by then, it escalates above the ${rung.en}.`,
      );
    case 'escalation':
      return n(
        `【督办】${subject}`,
        `${no}该问题在${from.zh}层级逾期未解决，现提级至${rung.zh}督办，请于${due}前协调解决。${c.text && !/自动提级/.test(c.text) ? `上报理由：${c.text}` : ''}`,
        `[Escalation] ${subjectEn}`,
        `${noEn}Unresolved at the ${from.en} rung, this blocker now escalates to the ${rung.en}; please resolve it by ${due} (${c.zone}).`,
      );
    case 'copy':
      return n(
        `【抄送】${subject}`,
        `${no}该问题在${from.zh}层级未解决，已提级至${rung.zh}督办，请继续配合办理。`,
        `[Copy] ${subjectEn}`,
        `${noEn}Unresolved at your rung (${from.en}), this blocker was escalated to the ${rung.en}; please keep working on it.`,
      );
    case 'overdue':
      return n(
        `【逾期】${subject}`,
        `该问题已超过${rung.zh}层级办理时限仍未解决，列入逾期事项通报。`,
        `[Overdue] ${subjectEn}`,
        `This blocker is past the due time of the top rung (${rung.en}) and will appear in bulletins until resolved.`,
      );
    case 'repeat_reminder':
      return n(
        `【再次催办】${subject}`,
        `该问题在最高层级（${rung.zh}）逾期仍未办结，请尽快协调解决。`,
        `[Still overdue] ${subjectEn}`,
        `This blocker is still overdue at the top rung (${rung.en}); please resolve it.`,
      );
    case 'remind':
      return n(
        `【督查催办】${subject}`,
        `${who}催办：${c.text || '请加快办理进度'}（当前时限${due}）`,
        `[Supervision reminder] ${subjectEn}`,
        `${who} asks for progress: ${c.text || 'please speed up'} (due ${due}, ${c.zone})`,
      );
    case 'progress':
      return n(`【进展】${subject}`, `${who}反馈进展：${c.text ?? ''}`, `[Progress] ${subjectEn}`, `${who} reports progress: ${c.text ?? ''}`);
    case 'extension_requested':
      return n(
        `【延期申请】${subject}`,
        `${who}申请将办理时限延至${fmt(c.until, c.zone)}，理由：${c.text ?? ''}。请审批；审批前时限照常计算。`,
        `[Extension request] ${subjectEn}`,
        `${who} asks to extend the due time to ${fmt(c.until, c.zone)} (${c.zone}): ${c.text ?? ''}. The clock keeps running until you decide.`,
      );
    case 'extension_decided':
      return c.until
        ? n(
            `【延期已批准】${subject}`,
            `${who}批准延期，新时限为${due}。意见：${c.text ?? ''}`,
            `[Extension granted] ${subjectEn}`,
            `${who} granted the extension; the new due time is ${due} (${c.zone}). ${c.text ?? ''}`,
          )
        : n(
            `【延期未批准】${subject}`,
            `${who}未批准延期，时限仍为${due}。意见：${c.text ?? ''}`,
            `[Extension refused] ${subjectEn}`,
            `${who} refused the extension; the due time stays ${due} (${c.zone}). ${c.text ?? ''}`,
          );
    case 'transferred':
      return n(
        `【转办】${subject}`,
        `${who}将该问题转由${c.toUnitName ?? ''}办理，请于${due}前办结。理由：${c.text ?? ''}`,
        `[Transferred] ${subjectEn}`,
        `${who} transferred this blocker to ${c.toUnitName ?? ''}; due ${due} (${c.zone}). ${c.text ?? ''}`,
      );
    case 'resolved':
      return n(
        `【办结】${subject}`,
        `该问题已办结。办理结果：${c.resolution ?? ''}`,
        `[Resolved] ${subjectEn}`,
        `This blocker has been resolved. Resolution: ${c.resolution ?? ''}`,
      );
    case 'reopened':
      return n(
        `【重新办理】${subject}`,
        `${who}重新打开该问题（${c.text ?? ''}），由${rung.zh}办理，请于${due}前办结。`,
        `[Reopened] ${subjectEn}`,
        `${who} reopened this blocker (${c.text ?? ''}); the ${rung.en} holds it again, due ${due} (${c.zone}).`,
      );
    case 'due_changed':
      return n(
        `【时限调整】${subject}`,
        `该问题的办理时限调整为${due}。${c.text ?? ''}`,
        `[Due time changed] ${subjectEn}`,
        `The due time is now ${due} (${c.zone}). ${c.text ?? ''}`,
      );
    default:
      // Notices about a project (libs/lifecycle, libs/bulletins) are written where they are sent.
      throw new Error(`not a blocker notice: ${kind}`);
  }
}

const n = (title: string, body: string, titleEn: string, bodyEn: string): NoticeText => ({ title, body, titleEn, bodyEn });
