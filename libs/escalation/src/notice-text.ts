import { DateTime } from 'luxon';
import { BLOCKER_CATEGORIES, BlockerCategory } from '../../domain/src/blocker';
import { RUNG_LABELS, RungKey } from '../../domain/src/ladder';
import type { NoticeKind } from '../../notices/src/notice.entity';

/** The words of a notice, Chinese first, English beside it. */
export interface NoticeText {
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
}

export interface NoticeContext {
  projectName: string;
  blockerTitle: string;
  category: BlockerCategory;
  rung: RungKey;
  fromRung?: RungKey | null;
  dueAt?: string | null;
  resolution?: string | null;
  zone: string;
}

function fmt(iso: string | null | undefined, zone: string): string {
  return iso ? DateTime.fromISO(iso).setZone(zone).toFormat('yyyy-MM-dd HH:mm:ss') : '—';
}

export function noticeText(kind: NoticeKind, c: NoticeContext): NoticeText {
  const rung = RUNG_LABELS[c.rung];
  const from = c.fromRung ? RUNG_LABELS[c.fromRung] : rung;
  const due = fmt(c.dueAt, c.zone);
  const subject = `${c.projectName}：${c.blockerTitle}`;
  const subjectEn = `${c.projectName}: ${c.blockerTitle}`;
  const cat = BLOCKER_CATEGORIES[c.category];
  switch (kind) {
    case 'assigned':
      return {
        title: `【交办】${subject}`,
        body: `项目“${c.projectName}”报告${cat}问题“${c.blockerTitle}”，由${rung.zh}办理，请于${due}前办结。`,
        titleEn: `[Assigned] ${subjectEn}`,
        bodyEn: `A ${c.category} blocker "${c.blockerTitle}" was reported on "${c.projectName}"; the ${rung.en} holds it and must resolve it by ${due} (${c.zone}).`,
      };
    case 'escalation':
      return {
        title: `【督办】${subject}`,
        body: `该问题在${from.zh}层级逾期未解决，现提级至${rung.zh}督办，请于${due}前协调解决。`,
        titleEn: `[Escalation] ${subjectEn}`,
        bodyEn: `Unresolved at the ${from.en} rung by its due time, this blocker now escalates to the ${rung.en}; please resolve it by ${due} (${c.zone}).`,
      };
    case 'copy':
      return {
        title: `【抄送】${subject}`,
        body: `该问题在${from.zh}层级逾期未解决，已提级至${rung.zh}督办，请继续配合办理。`,
        titleEn: `[Copy] ${subjectEn}`,
        bodyEn: `Unresolved at your rung (${from.en}) by its due time, this blocker was escalated to the ${rung.en}; please keep working on it.`,
      };
    case 'overdue':
      return {
        title: `【逾期】${subject}`,
        body: `该问题已超过${rung.zh}层级办理时限仍未解决，列入逾期事项通报。`,
        titleEn: `[Overdue] ${subjectEn}`,
        bodyEn: `This blocker is past the due time of the top rung (${rung.en}) and will appear in bulletins until resolved.`,
      };
    case 'resolved':
      return {
        title: `【办结】${subject}`,
        body: `该问题已办结。办理结果：${c.resolution ?? ''}`,
        titleEn: `[Resolved] ${subjectEn}`,
        bodyEn: `This blocker has been resolved. Resolution: ${c.resolution ?? ''}`,
      };
  }
}
