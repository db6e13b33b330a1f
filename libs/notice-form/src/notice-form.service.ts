import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { type Actor, canSee, isProjectOffice } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { DEFAULT_LADDER_RUNGS, rungLabel, type LadderRung } from '../../domain/src/ladder';
import { notYours } from '../../projects/src/projects.service';
import { renderNoticeForm } from './notice-form';

const NOTICE = { zh: '通知', en: 'Notice' };
const BLOCKER = { zh: '问题', en: 'Blocker' };

/** One numbered notice of a matter, as the office picks a form to print. */
export interface NoticeFormListItem {
  documentNo: string;
  eventId: string | null;
  issuedAt: Date;
  rung: string;
  rungName: { zh: string; en: string };
  fromRung: string | null;
  /** A notice of that number to download the form with: the caller's own when they hold one. */
  noticeId: string;
  /** Whether the caller may download it (recipient, deputy, project office, supervision office). */
  downloadable: boolean;
  formPath: string;
}

interface NoticeRef {
  id: string;
  recipient_id: string;
  deputy_for: string | null;
  event_id: string | null;
  document_no: string | null;
}

/** Everyone's forms: the project office, which issues them, and the supervision office, which follows them up. */
const seesAllForms = (a: Actor): boolean => a.kind === 'person' && (isProjectOffice(a) || a.roles.includes('supervision'));

/**
 * Who may download a 督办通知单: the notice's recipient; the person a deputy's copy stands in for
 * (they still see everything); a deputy holding a copy of the same notice (代); the project office;
 * the supervision office. Anyone else is told the notice does not exist, as for a wrong id.
 */
@Injectable()
export class NoticeFormService {
  constructor(
    private readonly ds: DataSource,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {}

  async form(actor: Actor, noticeId: string): Promise<{ filename: string; content: Buffer }> {
    const [n]: NoticeRef[] = await this.ds.query(`SELECT id, recipient_id, deputy_for, event_id, document_no FROM notice WHERE id = $1`, [noticeId]);
    if (!n || !(await this.mayDownload(actor, n))) throw DomainError.notFound(NOTICE, noticeId);
    const form = n.document_no ? await renderNoticeForm(this.ds.manager, noticeId, this.cfg.DUBAN_TIME_ZONE) : null;
    if (!form) {
      throw new DomainError(
        DomainErrorCode.NotFound,
        '该通知不是督办通知（没有督办文号），没有督办通知单',
        'This notice is not an escalation notice (it has no document number), so it has no formal notice form (督办通知单)',
      );
    }
    return form;
  }

  /** The matter's numbered notices (one per document number), for whoever may see the matter. */
  async list(actor: Actor, blockerId: string): Promise<NoticeFormListItem[]> {
    const [b]: { project_id: string; responsible_unit_id: string; ladder: LadderRung[] | null; project_unit_id: string; liaison: string[] }[] = await this.ds.query(
      `SELECT b.project_id, b.responsible_unit_id, b.ladder, p.responsible_unit_id AS project_unit_id,
              ARRAY(SELECT person_id::text FROM project_liaison_leader WHERE project_id = p.id) AS liaison
         FROM blocker b JOIN project p ON p.id = b.project_id WHERE b.id = $1`,
      [blockerId],
    );
    if (!b) throw DomainError.notFound(BLOCKER, blockerId);
    if (!canSee(actor, { projectUnitId: b.project_unit_id, matterUnitId: b.responsible_unit_id, liaisonLeaderIds: b.liaison }, 'blockers:read')) throw notYours();
    const rows: (NoticeRef & { kind: string; at: Date | null; created_at: Date; to_rung: string | null; from_rung: string | null; rung: string })[] = await this.ds.query(
      `SELECT n.id, n.recipient_id, n.deputy_for, n.event_id, n.document_no, n.kind, n.rung, n.created_at, e.at, e.to_rung, e.from_rung
         FROM notice n LEFT JOIN blocker_event e ON e.id = n.event_id
        WHERE n.blocker_id = $1 AND n.document_no IS NOT NULL
        ORDER BY e.seq NULLS LAST, n.created_at, (n.kind = 'escalation') DESC, (n.deputy_for IS NULL) DESC, n.id`,
      [blockerId],
    );
    const ladder = b.ladder?.length ? b.ladder : DEFAULT_LADDER_RUNGS;
    const me = actor.kind === 'person' ? actor.personId : null;
    const all = seesAllForms(actor);
    const items = new Map<string, NoticeFormListItem>();
    for (const r of rows) {
      const mine = me !== null && (r.recipient_id === me || r.deputy_for === me);
      const item = items.get(r.document_no!);
      if (item) {
        if (mine && !item.downloadable) Object.assign(item, { noticeId: r.id, downloadable: true, formPath: formPath(r.id) });
        continue;
      }
      const rung = r.to_rung ?? r.rung;
      items.set(r.document_no!, {
        documentNo: r.document_no!,
        eventId: r.event_id,
        issuedAt: r.at ?? r.created_at,
        rung,
        rungName: rungLabel(rung, ladder),
        fromRung: r.from_rung,
        noticeId: r.id,
        downloadable: all || mine,
        formPath: formPath(r.id),
      });
    }
    return [...items.values()];
  }

  private async mayDownload(actor: Actor, n: NoticeRef): Promise<boolean> {
    if (actor.kind !== 'person') return false;
    if (seesAllForms(actor)) return true;
    if (actor.personId === n.recipient_id || actor.personId === n.deputy_for) return true;
    if (!n.event_id) return false;
    // A deputy (代) holding their own copy of this notice.
    const copies = await this.ds.query(`SELECT 1 FROM notice WHERE event_id = $1 AND recipient_id = $2 AND deputy_for = $3 LIMIT 1`, [n.event_id, actor.personId, n.recipient_id]);
    return copies.length > 0;
  }
}

const formPath = (noticeId: string) => `/api/notices/${noticeId}/form.pdf`;
