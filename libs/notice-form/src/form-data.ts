import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { BLOCKER_CATEGORIES, type BlockerCategory, type Severity } from '../../domain/src/blocker';
import { DEFAULT_LADDER_RUNGS, rungLabel, type LadderRung } from '../../domain/src/ladder';
import { rungMembers } from '../../escalation/src/rung-members';
import { PROJECT_OFFICE_NAME } from '../../identity/src/bootstrap';
import { eventLabel, SEVERITY_LABELS } from './labels';

/** How many of the matter's events the form lists (the most recent ones): more would not fit one page. */
export const MAX_EVENTS = 8;

/** What the form shows, already in words: the layout only places and fits them. */
export interface NoticeFormData {
  documentNo: string;
  /** The notice's instant: the form's date and the PDF's CreationDate. */
  issuedAt: Date;
  issuedOn: string;
  issuingOffice: string;
  projectName: string;
  projectCode: string;
  matterTitle: string;
  matterDescription: string;
  category: string;
  severity: string;
  /** An urgent matter: marked 紧急 at the head of the form, as urgent documents are. */
  urgent: boolean;
  rung: string;
  fromRung: string | null;
  members: { name: string; title: string }[];
  dueAt: string;
  events: { at: string; what: string; who: string; note: string }[];
  /** Earlier events left off the list. */
  earlierEvents: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface NoticeRow {
  kind: string;
  blocker_id: string;
  document_no: string | null;
  created_at: Date;
  event_id: string | null;
  notice_rung: string;
  seq: number | null;
  to_rung: string | null;
  from_rung: string | null;
  event_due_at: Date | null;
  title: string;
  category: string;
  severity: string;
  description: string;
  due_at: Date | null;
  ladder: LadderRung[] | null;
  responsible_unit_id: string;
  project_id: string;
  project_name: string;
  project_code: string;
}

interface EventRow {
  seq: number;
  type: string;
  from_rung: string | null;
  to_rung: string | null;
  actor: string;
  actor_name: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  due_at: Date | null;
  at: Date;
}

/**
 * The form's content, fixed as of the escalation, like the notice's own words: the rung the
 * matter was escalated to, who was told (the escalation notices' recipients), the due time set
 * then, and the events up to it. The same number prints the same form on every channel and on
 * every later download. Null when the notice is not a numbered escalation notice (or its copy).
 */
export async function loadNoticeForm(em: EntityManager, noticeId: string, zone: string): Promise<NoticeFormData | null> {
  if (!UUID.test(noticeId)) return null;
  const [n]: NoticeRow[] = await em.query(
    `SELECT n.kind, n.blocker_id, n.document_no, n.created_at, n.event_id, n.rung AS notice_rung,
            e.seq, e.to_rung, e.from_rung, e.due_at AS event_due_at,
            b.title, b.category, b.severity, b.description, b.due_at, b.ladder, b.responsible_unit_id, b.project_id,
            p.name AS project_name, p.code AS project_code
       FROM notice n
       JOIN blocker b ON b.id = n.blocker_id
       JOIN project p ON p.id = b.project_id
       LEFT JOIN blocker_event e ON e.id = n.event_id
      WHERE n.id = $1`,
    [noticeId],
  );
  if (!n?.document_no) return null;
  const ladder = n.ladder?.length ? n.ladder : DEFAULT_LADDER_RUNGS;
  const rungKey = n.to_rung ?? n.notice_rung;
  const label = (key: string) => rungLabel(key, ladder).zh;
  const at = (d: Date, f: string) => DateTime.fromJSDate(d).setZone(zone).toFormat(f);
  const blockerId = n.blocker_id;

  const events: EventRow[] = await em.query(
    `SELECT seq, type, from_rung, to_rung, actor, actor_name, reason, details, due_at, at FROM blocker_event
      WHERE blocker_id = $1 AND ($2::int IS NULL OR seq <= $2) ORDER BY seq DESC LIMIT ${MAX_EVENTS}`,
    [blockerId, n.seq],
  );
  const [{ count }] = await em.query(`SELECT count(*)::int AS count FROM blocker_event WHERE blocker_id = $1 AND ($2::int IS NULL OR seq <= $2)`, [blockerId, n.seq]);

  return {
    documentNo: n.document_no,
    issuedAt: n.created_at,
    issuedOn: at(n.created_at, 'yyyy年M月d日'),
    issuingOffice: await issuingOffice(em),
    projectName: n.project_name,
    projectCode: n.project_code,
    matterTitle: n.title,
    matterDescription: n.description ?? '',
    category: BLOCKER_CATEGORIES[n.category as BlockerCategory] ?? n.category,
    severity: SEVERITY_LABELS[n.severity as Severity] ?? n.severity,
    urgent: n.severity === 'urgent',
    rung: label(rungKey),
    fromRung: n.from_rung ? label(n.from_rung) : null,
    members: await members(em, n, ladder, rungKey),
    dueAt: n.event_due_at || n.due_at ? `${at((n.event_due_at ?? n.due_at)!, 'yyyy年M月d日 HH:mm')}前` : '—',
    events: events.reverse().map((e) => ({
      at: at(e.at, 'yyyy-MM-dd HH:mm'),
      what: eventLabel(e.type),
      who: e.actor === 'system' || !e.actor_name || e.actor_name === 'system' ? '系统' : e.actor_name,
      note: eventNote(e, label, (d) => at(d, 'M月d日 HH:mm')),
    })),
    earlierEvents: Math.max(0, count - events.length),
  };
}

/** The county's project office issues the notices (签发); its name from the organisation model. */
export async function issuingOffice(em: EntityManager): Promise<string> {
  const [office]: { name: string }[] = await em.query(`SELECT name FROM org_unit WHERE kind = 'project_office' ORDER BY created_at, id LIMIT 1`);
  return office?.name ?? PROJECT_OFFICE_NAME;
}

/**
 * Who sat on the rung when the escalation was sent: the escalation notices' recipients (deputies'
 * copies aside). An escalation recorded without notices falls back to the rung's members now.
 */
async function members(em: EntityManager, n: NoticeRow, ladder: LadderRung[], rungKey: string): Promise<{ name: string; title: string }[]> {
  let ids: string[] = [];
  if (n.event_id) {
    const rows: { recipient_id: string }[] = await em.query(`SELECT DISTINCT recipient_id FROM notice WHERE event_id = $1 AND kind = 'escalation' AND deputy_for IS NULL`, [
      n.event_id,
    ]);
    ids = rows.map((r) => r.recipient_id);
  }
  const rung = ladder.find((r) => r.key === rungKey);
  if (!ids.length && rung) ids = await rungMembers(em, rung.members, { projectId: n.project_id, responsibleUnitId: n.responsible_unit_id });
  if (!ids.length) return [];
  return em.query(`SELECT name, title FROM person WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`, [ids]);
}

/** One event's particulars in a few words. */
function eventNote(e: EventRow, label: (key: string) => string, when: (d: Date) => string): string {
  // The workflow's own reasons are bilingual ("逾期未办结，自动提级督办 / unresolved at the due time"): the form is Chinese only.
  const reason = (e.actor === 'system' ? e.reason?.split(' / ')[0] : e.reason)?.trim() ?? '';
  const d = e.details ?? {};
  switch (e.type) {
    case 'reported':
      return e.to_rung ? `由${label(e.to_rung)}办理` : '';
    case 'escalated':
      return [e.from_rung && e.to_rung ? `${label(e.from_rung)}→${label(e.to_rung)}` : '', reason && !/自动提级/.test(reason) ? reason : ''].filter(Boolean).join('；');
    case 'transferred':
      return [typeof d.toUnitName === 'string' ? `转至${d.toUnitName}` : '', reason].filter(Boolean).join('；');
    case 'extension_requested':
      return [typeof d.until === 'string' && !Number.isNaN(Date.parse(d.until)) ? `申请延至${when(new Date(d.until))}` : '', reason].filter(Boolean).join('；');
    case 'extension_granted':
      return [e.due_at ? `延至${when(e.due_at)}` : '', reason].filter(Boolean).join('；');
    default:
      return reason;
  }
}
