import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { AuthService } from '../../../../libs/identity/src/auth.service';
import { InboxService } from '../../../../libs/inbox/src/inbox.service';
import { InboxStreams } from '../../../../libs/inbox/src/inbox-streams.service';
import { StreamTicketsService } from '../../../../libs/inbox/src/stream-tickets.service';
import { Allow, AuthedRequest, Ctx, Public } from '../auth/access.decorators';
import { InboxQueryDto, ReadAllDto, ReadNoticeDto, StreamQueryDto } from '../dto/inbox.dto';
import { InboxNoticeAnswer, InboxNoticePageAnswer, ReadAllAnswer, STREAM_EVENTS, StreamTicketAnswer, UnreadCountsAnswer } from '../dto/inbox-responses';
import { Answer } from '../dto/responses';

/** Every logged-in person has an inbox; systems (API keys) have none. */
const MINE = { roles: 'any' } as const;

/**
 * My inbox (收件箱): what was sent to me, read state, counts, 签收, and the
 * live stream. Always the caller's own notices: another person's notice is
 * "not found" here (the project office reads others' at GET /api/people/:id/notices).
 */
@ApiTags('inbox')
@Controller('notices')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly tickets: StreamTicketsService,
    private readonly streams: InboxStreams,
    private readonly auth: AuthService,
  ) {}

  /** My notices, newest first; each with its project and matter names, 代 and 签收 where they apply. */
  @Answer(InboxNoticePageAnswer)
  @Allow(MINE)
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: InboxQueryDto) {
    return this.inbox.list(personOf(ctx), q);
  }

  /** My unread notices counted: in all, urgent, per kind, and 签收 still owed. */
  @Answer(UnreadCountsAnswer)
  @Allow(MINE)
  @Get('unread-counts')
  counts(@Ctx() ctx: RequestContext) {
    return this.inbox.counts(personOf(ctx));
  }

  /** Marks my unread notices read (of one kind, up to an instant, if given); answers how many. */
  @Answer(ReadAllAnswer)
  @Allow(MINE)
  @Post('read-all')
  @HttpCode(200)
  readAll(@Ctx() ctx: RequestContext, @Body() dto: ReadAllDto) {
    return this.inbox.readAll(ctx, dto);
  }

  /** A ticket to open the live stream from a browser (EventSource sends no Authorization header): single use, 60 s. */
  @Answer(StreamTicketAnswer)
  @Allow(MINE)
  @Post('stream-tickets')
  ticket(@Ctx() ctx: RequestContext) {
    if (ctx.actor.kind !== 'person') throw DomainError.forbidden('只有人员有收件箱', 'Only a person has an inbox');
    return this.tickets.issue(ctx.actor, ctx.requestId);
  }

  /**
   * The live stream of my inbox (Server-Sent Events), with ?ticket=… or Authorization: Bearer.
   * Public to the guard only because a browser cannot send the header: it authenticates here.
   * Written straight to the response, so no interceptor holds it: idempotency keys only
   * POST/PUT/PATCH, contact privacy sees no returned body (notices carry no contact data), and the
   * API has no global request timeout. The rate limit counts the opening request only.
   */
  @Answer(null, { eventStream: true, description: STREAM_EVENTS })
  @Public()
  @Get('stream')
  async stream(@Req() req: AuthedRequest, @Res() res: Response, @Query() q: StreamQueryDto): Promise<void> {
    const { personId, sessionId } = await this.streamer(req, q.ticket);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no'); // nginx: pass each event on at once
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    const close = this.streams.open(
      personId,
      { write: (t) => res.write(t), end: () => res.end() },
      // A logout, a password change or a disabled account ends the stream too.
      { lastEventId: req.header('last-event-id') ?? q.lastEventId, stillAllowed: () => this.tickets.sessionAlive(sessionId) },
    );
    res.on('close', close);
  }

  /** Marks one of my notices read (once: a repeat keeps the first time). */
  @Answer(InboxNoticeAnswer)
  @Allow(MINE)
  @Post(':id/read')
  @HttpCode(200)
  read(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReadNoticeDto) {
    return this.inbox.markRead(ctx, id, dto.reason);
  }

  /**
   * 签收 through an escalation notice: the matter's own acknowledge action (its rung rules,
   * as POST /api/blockers/:id/acknowledge), then the notice is read and acknowledged.
   * A repeat answers the notice as it is; a notice that asks for no 签收 is refused (409).
   */
  @Answer(InboxNoticeAnswer)
  @Allow(MINE)
  @Post(':id/acknowledge')
  @HttpCode(200)
  acknowledge(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.inbox.acknowledge(ctx, id);
  }

  /** Who opens the stream: a ticket's person, or the bearer token's. */
  private async streamer(req: AuthedRequest, ticket: string | undefined): Promise<{ personId: string; sessionId: string }> {
    if (ticket !== undefined) return this.tickets.redeem(ticket);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    if (!bearer) {
      if (req.header('x-api-key')) throw DomainError.forbidden('只有人员有收件箱', 'Only a person has an inbox');
      throw new DomainError(
        DomainErrorCode.Unauthenticated,
        '请先登录（Authorization: Bearer 令牌），或使用实时通知凭证（?ticket=，见 POST /api/notices/stream-tickets）',
        'Log in (Authorization: Bearer <token>) or use a stream ticket (?ticket=, see POST /api/notices/stream-tickets)',
      );
    }
    const actor = await this.auth.authenticate(bearer);
    if (actor.mustChangePassword) throw DomainError.forbidden('请先修改初始密码（POST /api/auth/password）', 'Change your initial password first (POST /api/auth/password)');
    req.actor = actor;
    return { personId: actor.personId, sessionId: actor.sessionId };
  }
}

function personOf(ctx: RequestContext): string {
  if (ctx.actor.kind !== 'person') throw DomainError.forbidden('只有人员有收件箱', 'Only a person has an inbox');
  return ctx.actor.personId;
}
