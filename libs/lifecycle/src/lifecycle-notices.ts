import { STAGE_NAMES, type Stage } from '../../domain/src/lifecycle';
import type { NoticeKind } from '../../notices/src/notice.entity';
import type { LifecycleEventRecord } from './lifecycle.activities';

export type NoticeAudience = 'unit' | 'liaison' | 'office' | 'county';

export interface LifecycleNoticeText {
  kind: NoticeKind;
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
}

/** A lifecycle event as people read it in their inbox: Chinese first, English beside it. */
export function lifecycleNotice(e: LifecycleEventRecord, project: string): LifecycleNoticeText {
  const stage = e.details.stage as Stage | undefined;
  const st = stage ? e.state.stages.find((s) => s.stage === stage) : undefined;
  const zh = stage ? STAGE_NAMES[stage].zh : '';
  const en = stage ? STAGE_NAMES[stage].en : '';
  const by = e.actor.name;
  const why = e.reason ? `（${e.reason}）` : '';
  switch (e.type) {
    case 'colour_changed':
      return e.details.to === 'red'
        ? {
            kind: 'stage_overdue',
            title: `【红色预警】${project}${zh}阶段已逾期`,
            body: `${project}${zh}阶段计划完成时限为${st?.dueOn}，已逾期，已自动列入进度滞后问题督办。`,
            titleEn: `[Red] ${project}: the ${en} stage is overdue`,
            bodyEn: `The ${en} stage was due on ${st?.dueOn}; a schedule blocker has been opened.`,
          }
        : {
            kind: 'stage_warning',
            title: `【黄色预警】${project}${zh}阶段临近完成时限`,
            body: `${project}${zh}阶段须于${st?.dueOn}前完成，请加快推进。`,
            titleEn: `[Yellow] ${project}: the ${en} stage is due soon`,
            bodyEn: `The ${en} stage is due on ${st?.dueOn}.`,
          };
    case 'completion_reported':
      return {
        kind: 'completion_reported',
        title: `${project}${zh}阶段完成待确认`,
        body: `${by}报告${zh}阶段已于${e.details.completedOn}完成，请项目办确认。`,
        titleEn: `${project}: ${en} stage completion awaits confirmation`,
        bodyEn: `${by} reports the ${en} stage completed on ${e.details.completedOn}.`,
      };
    case 'completion_returned':
      return {
        kind: 'completion_returned',
        title: `${project}${zh}阶段完成报告被退回`,
        body: `项目办退回了${zh}阶段的完成报告${why}。`,
        titleEn: `${project}: ${en} stage completion sent back`,
        bodyEn: `The project office sent the report back: ${e.reason ?? ''}`,
      };
    case 'replan_requested':
      return {
        kind: 'replan_requested',
        title: `${project}申请调整倒排工期计划`,
        body: `${by}申请调整计划${why}，请包联领导或项目办批复。`,
        titleEn: `${project}: a new plan is requested`,
        bodyEn: `${by} asks for a new plan: ${e.reason ?? ''}`,
      };
    case 'replan_granted':
      return {
        kind: 'replan_decided',
        title: `${project}计划调整已批准`,
        body: `${by}批准了计划调整申请，新计划（第${e.state.revision}版）已生效${why}。`,
        titleEn: `${project}: new plan granted`,
        bodyEn: `${by} granted the new plan (revision ${e.state.revision}).`,
      };
    case 'replan_refused':
      return {
        kind: 'replan_decided',
        title: `${project}计划调整未获批准`,
        body: `${by}未批准计划调整申请${why}，原计划继续有效。`,
        titleEn: `${project}: new plan refused`,
        bodyEn: `${by} refused the new plan: ${e.reason ?? ''}`,
      };
    case 'late_start':
      return {
        kind: 'late_start',
        title: `${project}未按期开工`,
        body: `${project}承诺开工日期为${e.details.committedStartOn}，至今未开工。已要求责任单位书面说明原因（未按期开工书面说明），逾期将提级督办。`,
        titleEn: `${project} has not started on time`,
        bodyEn: `The committed start date was ${e.details.committedStartOn}; the responsible unit owes a written explanation.`,
      };
    default:
      // AUDIENCES (lifecycle.activities.ts) sends notices for the events above only.
      throw new Error(`no notice text for lifecycle event ${e.type}`);
  }
}
