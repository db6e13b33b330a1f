import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subject } from 'rxjs';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { NOTICE_CHANNEL, NOTICE_READ_CHANNEL } from './inbox.types';

/** What the stream learns from PostgreSQL. `reconnected`: notifications may have been missed meanwhile. */
export type InboxSignal = { type: 'notice'; id: string; recipientId: string } | { type: 'read'; recipientId: string } | { type: 'reconnected'; lostAt: Date };

const BACKOFF_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000];
/** A connection that silently died (no FIN, e.g. a dropped NAT entry) is found by a ping. */
const PING_MS = 30_000;

/**
 * One dedicated PostgreSQL connection per API process, LISTENing on the
 * notice channels; every open inbox stream of the process shares it. Lost, it
 * is opened again with back-off, and the streams are told (they refresh their
 * counts and look for notices they may have missed).
 */
@Injectable()
export class NoticeListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('NoticeListener');
  private readonly signals = new Subject<InboxSignal>();
  private client: Client | null = null;
  private attempt = 0;
  private everConnected = false;
  private lostAt = new Date();
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private ping: NodeJS.Timeout | null = null;

  constructor(@Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig) {}

  get events(): Observable<InboxSignal> {
    return this.signals.asObservable();
  }

  /** Whether notifications are arriving now. */
  get listening(): boolean {
    return this.client !== null;
  }

  onModuleInit(): void {
    // Not awaited: the API starts (and answers 503 where PostgreSQL is needed) even while the database is away.
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.ping) clearInterval(this.ping);
    const c = this.client;
    this.client = null;
    this.signals.complete();
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new Client({ connectionString: this.cfg.DATABASE_URL, keepAlive: true, connectionTimeoutMillis: 5000, application_name: 'duban-api-listen' });
    c.on('error', (err) => this.lost(c, err));
    c.on('end', () => this.lost(c, null));
    c.on('notification', (m) => this.receive(m.channel, m.payload));
    try {
      await c.connect();
      await c.query(`LISTEN ${NOTICE_CHANNEL}; LISTEN ${NOTICE_READ_CHANNEL}`);
    } catch (err) {
      this.lost(c, err);
      return;
    }
    if (this.stopped) return void c.end().catch(() => undefined);
    this.client = c;
    this.attempt = 0;
    this.ping = setInterval(() => void c.query('SELECT 1').catch((err) => this.lost(c, err)), PING_MS);
    this.ping.unref();
    if (this.everConnected) {
      this.logger.log('listening again on the notice channels');
      this.signals.next({ type: 'reconnected', lostAt: this.lostAt });
    }
    this.everConnected = true;
  }

  private lost(c: Client, err: unknown): void {
    if (this.stopped || (this.client !== null && c !== this.client)) return;
    if (this.retry) return; // already coming back
    if (this.client) this.lostAt = new Date();
    if (this.ping) clearInterval(this.ping);
    this.ping = null;
    this.client = null;
    // The old connection says nothing more (its late 'end' must not start a second reconnect).
    c.removeAllListeners();
    c.on('error', () => undefined);
    c.end().catch(() => undefined);
    const wait = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)];
    this.logger.warn(`notice channel connection lost (${err instanceof Error ? err.message : 'closed'}); again in ${wait} ms`);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, wait);
    this.retry.unref();
  }

  private receive(channel: string, payload: string | undefined): void {
    try {
      const p = JSON.parse(payload ?? '{}') as { id?: string; recipientId?: string };
      if (!p.recipientId) return;
      if (channel === NOTICE_CHANNEL && p.id) this.signals.next({ type: 'notice', id: p.id, recipientId: p.recipientId });
      else if (channel === NOTICE_READ_CHANNEL) this.signals.next({ type: 'read', recipientId: p.recipientId });
    } catch {
      this.logger.warn(`unreadable notification on ${channel}: ${payload}`);
    }
  }
}
