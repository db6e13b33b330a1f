import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InboxService } from './inbox.service';
import type { InboxNotice } from './inbox.types';
import { NoticeListener } from './notice-listener.service';

/** Where a stream's text goes (an HTTP response). */
export interface SseSink {
  write(chunk: string): void;
  end(): void;
}

export const HEARTBEAT_MS = 25_000;
/** How often a stream checks that its session still stands: a logout or a disabled account ends it within this. */
export const SESSION_CHECK_MS = 60_000;
/** How far before a lost connection a reconnect looks for missed notices (a notice's created_at is its event's instant, a little before it is stored). */
const MISSED_MARGIN_MS = 5 * 60_000;
/** Ids of notices a stream has sent, kept to send none twice after a replay (bounded). */
const REMEMBERED = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A `ready` event's id when the person has no notice yet: the database's time then (`t:` ISO-8601). */
const SINCE = /^t:(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/;

/**
 * The inbox's live streams (Server-Sent Events), one per open page:
 *   event: notice  (id: the notice's id)  a notice for the person was stored: the inbox's shape
 *   event: ready   (id: where it starts)    once, on a stream opened without Last-Event-ID: the person's newest
 *                                          notice (or the time, when none), so that a client that drops before
 *                                          any notice arrives still has a Last-Event-ID to replay from
 *   event: counts                          the person's unread counts, at the start and after each change
 *   : heartbeat                            a comment every 25 s, so proxies keep the connection
 * A reconnecting client sends Last-Event-ID and gets the notices stored since that one
 * (by its created_at; one stored at the same instant may come again: the id tells).
 * Each stream's work runs in order, one step at a time, so events keep their order.
 */
@Injectable()
export class InboxStreams implements OnModuleDestroy {
  private readonly logger = new Logger('InboxStreams');
  private readonly closers = new Set<() => void>();

  constructor(
    private readonly inbox: InboxService,
    private readonly listener: NoticeListener,
  ) {}

  /** How many streams this process holds open. */
  get size(): number {
    return this.closers.size;
  }

  /** Starts a person's stream; returns the function that ends it. */
  open(personId: string, sink: SseSink, o: { lastEventId?: string; stillAllowed?: () => Promise<boolean> } = {}): () => void {
    const lastEventId = o.lastEventId;
    const sent = new Set<string>();
    let closed = false;
    let chain: Promise<void> = Promise.resolve();
    let countsQueued = false;
    const run = (step: () => Promise<void>) => {
      chain = chain.then(async () => {
        if (closed) return;
        try {
          await step();
        } catch (err) {
          this.logger.warn(`inbox stream of ${personId}: ${err instanceof Error ? err.message : err}`);
        }
      });
    };
    const write = (text: string) => {
      if (!closed) sink.write(text);
    };
    const sendNotice = (n: InboxNotice) => {
      if (sent.has(n.id)) return;
      sent.add(n.id);
      if (sent.size > REMEMBERED) sent.delete(sent.values().next().value as string);
      write(`event: notice\nid: ${n.id}\ndata: ${JSON.stringify(n)}\n\n`);
    };
    const sendCounts = () => {
      if (countsQueued) return; // one refresh already waiting covers this change too
      countsQueued = true;
      run(async () => {
        countsQueued = false;
        write(`event: counts\ndata: ${JSON.stringify(await this.inbox.counts(personId))}\n\n`);
      });
    };

    write('retry: 3000\n\n');
    if (!lastEventId) run(async () => write(`event: ready\nid: ${await this.inbox.streamStart(personId)}\ndata: {}\n\n`));
    const sub = this.listener.events.subscribe((s) => {
      if (s.type === 'reconnected') {
        run(async () => (await this.inbox.since(personId, new Date(s.lostAt.getTime() - MISSED_MARGIN_MS))).forEach(sendNotice));
        sendCounts();
      } else if (s.recipientId !== personId) {
        return;
      } else if (s.type === 'notice') {
        run(async () => {
          const n = await this.inbox.one(personId, s.id);
          if (n) sendNotice(n);
        });
        sendCounts();
      } else {
        sendCounts();
      }
    });
    const since = lastEventId ? SINCE.exec(lastEventId) : null;
    if (lastEventId && UUID.test(lastEventId)) run(async () => (await this.inbox.after(personId, lastEventId)).forEach(sendNotice));
    else if (since && !Number.isNaN(Date.parse(since[1]))) run(async () => (await this.inbox.since(personId, new Date(since[1]))).forEach(sendNotice));
    sendCounts();
    const beat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
    const check = o.stillAllowed
      ? setInterval(() => {
          o.stillAllowed!().then(
            (ok) => ok || close(),
            () => undefined, // the database away: keep the stream; the next check decides
          );
        }, SESSION_CHECK_MS)
      : null;

    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      if (check) clearInterval(check);
      sub.unsubscribe();
      this.closers.delete(close);
      sink.end();
    };
    this.closers.add(close);
    return close;
  }

  /** Open streams would keep the HTTP server from closing: they end first (clients reconnect to another process). */
  onModuleDestroy(): void {
    for (const close of [...this.closers]) close();
  }
}
