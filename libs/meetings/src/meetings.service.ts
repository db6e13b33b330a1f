import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { BlockersService } from '../../escalation/src/blockers.service';
import { auditActorOf, RequestContext } from '../../identity/src/context';
import { CoordinationMeeting, MeetingAgendaItem, MeetingDecision } from './meeting.entity';

const MEETING = { zh: '专题协调会', en: 'Coordination meeting' };

/** An open matter on the agenda: it reached the top rung of its ladder. */
const TOP_RUNG_OPEN = `SELECT b.id, b.title, b.rung, b.due_at AS "dueAt", b.overdue_at_top AS "overdueAtTop", p.name AS "projectName"
  FROM blocker b JOIN project p ON p.id = b.project_id
  WHERE b.status = 'open' AND b.rung_index = jsonb_array_length(b.policy_rungs) - 1 AND b.category <> 'decision'
  ORDER BY b.due_at`;

/**
 * The county committee acts through dedicated coordination meetings
 * (shared/design/escalation.md, "The top rung meets"): every matter that has
 * reached the top rung is on the agenda of the next meeting; the meeting's
 * decisions (议定事项) are recorded, each with an owner and a due date, and
 * each is a matter of its own on the ladder until it is closed off (销号).
 */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly blockers: BlockersService,
  ) {}

  async schedule(ctx: RequestContext, m: { title: string; scheduledAt: string }): Promise<CoordinationMeeting> {
    return this.ds.transaction(async (em) => {
      const meeting = await em.save(em.create(CoordinationMeeting, { title: m.title, scheduledAt: new Date(m.scheduledAt), status: 'planned', minutes: '' }));
      await this.audit.record(em, { actor: auditActorOf(ctx.actor), action: 'meeting.schedule', targetType: 'meeting', targetId: meeting.id, after: m, requestId: ctx.requestId });
      return meeting;
    });
  }

  async list(): Promise<CoordinationMeeting[]> {
    return this.ds.getRepository(CoordinationMeeting).find({ order: { scheduledAt: 'DESC' }, take: 100 });
  }

  /** A meeting with its agenda (live while planned, as it stood once held) and its decisions with their matters' status. */
  async get(id: string) {
    const meeting = await this.ds.getRepository(CoordinationMeeting).findOneBy({ id });
    if (!meeting) throw DomainError.notFound(MEETING, id);
    const agenda =
      meeting.status === 'planned'
        ? await this.ds.query(TOP_RUNG_OPEN)
        : await this.ds.query(
            `SELECT b.id, b.title, b.rung, b.due_at AS "dueAt", b.status, p.name AS "projectName" FROM meeting_agenda_item a
               JOIN blocker b ON b.id = a.blocker_id JOIN project p ON p.id = b.project_id WHERE a.meeting_id = $1 ORDER BY b.due_at`,
            [id],
          );
    const decisions = await this.ds.query(
      `SELECT d.id, d.text, d.owner_unit_id AS "ownerUnitId", u.name AS "ownerUnitName", d.due_at AS "dueAt", d.source_blocker_id AS "sourceBlockerId",
              d.decision_blocker_id AS "decisionBlockerId", b.status, b.rung
         FROM meeting_decision d JOIN org_unit u ON u.id = d.owner_unit_id JOIN blocker b ON b.id = d.decision_blocker_id
        WHERE d.meeting_id = $1 ORDER BY d.created_at`,
      [id],
    );
    return { ...meeting, agenda, decisions };
  }

  /** Records a decision: a new matter (议定事项) for its owner unit, due on the decided date, on the project of the matter decided on. */
  async decide(ctx: RequestContext, meetingId: string, d: { text: string; ownerUnitId: string; dueAt: string; sourceBlockerId?: string; projectId?: string }) {
    const meeting = await this.ds.getRepository(CoordinationMeeting).findOneBy({ id: meetingId });
    if (!meeting) throw DomainError.notFound(MEETING, meetingId);
    let projectId = d.projectId;
    if (d.sourceBlockerId) {
      const [source] = await this.ds.query(`SELECT project_id FROM blocker WHERE id = $1`, [d.sourceBlockerId]);
      if (!source) throw DomainError.notFound({ zh: '问题', en: 'Blocker' }, d.sourceBlockerId);
      projectId = source.project_id;
    }
    if (!projectId)
      throw new DomainError(DomainErrorCode.Invalid, '议定事项须关联一个问题（sourceBlockerId）或项目（projectId）', 'A decision needs a sourceBlockerId or a projectId');
    const matter = await this.blockers.report(ctx, projectId, {
      category: 'decision',
      severity: 'urgent',
      title: d.text,
      description: `${meeting.title}议定事项`,
      responsibleUnitId: d.ownerUnitId,
      dueAt: d.dueAt,
    });
    return this.ds.transaction(async (em) => {
      const decision = await em.save(
        em.create(MeetingDecision, {
          meetingId,
          sourceBlockerId: d.sourceBlockerId ?? null,
          text: d.text,
          ownerUnitId: d.ownerUnitId,
          dueAt: new Date(d.dueAt),
          decisionBlockerId: matter.id,
        }),
      );
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'meeting.decide',
        targetType: 'meeting',
        targetId: meetingId,
        after: { ...d, decisionBlockerId: matter.id },
        requestId: ctx.requestId,
      });
      return { ...decision, decisionBlocker: matter };
    });
  }

  /** The meeting was held: its minutes are kept and its agenda frozen as it stood. */
  async close(ctx: RequestContext, id: string, minutes: string): Promise<CoordinationMeeting> {
    const meeting = await this.ds.getRepository(CoordinationMeeting).findOneBy({ id });
    if (!meeting) throw DomainError.notFound(MEETING, id);
    if (meeting.status === 'held') throw new DomainError(DomainErrorCode.Conflict, '该会议已结束', 'The meeting is already closed');
    const agenda: { id: string }[] = await this.ds.query(TOP_RUNG_OPEN);
    return this.ds.transaction(async (em) => {
      if (agenda.length)
        await em.insert(
          MeetingAgendaItem,
          agenda.map((a) => ({ meetingId: id, blockerId: a.id })),
        );
      await em.update(CoordinationMeeting, id, { status: 'held', heldAt: new Date(), minutes });
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'meeting.close',
        targetType: 'meeting',
        targetId: id,
        before: { status: 'planned' },
        after: { status: 'held', agenda: agenda.length },
        requestId: ctx.requestId,
      });
      return em.findOneByOrFail(CoordinationMeeting, { id });
    });
  }
}
