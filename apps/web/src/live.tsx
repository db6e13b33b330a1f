/**
 * The live inbox stream, one per tab: unread counts for the top bar and new
 * notices for whoever listens (the inbox page). A browser's EventSource cannot
 * send the Authorization header, so each connection starts with a single-use
 * ticket; on an error it reconnects with a fresh ticket and the last event id,
 * so nothing sent in between is lost.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { get, post } from './api';
import { useAuth } from './auth';

export interface UnreadCounts {
  total: number;
  urgent: number;
  byKind: Record<string, number>;
  ackPending: number;
}

export interface InboxNotice {
  id: string;
  kind: string;
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
  rung: string;
  documentNo: string | null;
  createdAt: string;
  readAt: string | null;
  urgent: boolean;
  ackRequired: boolean;
  acknowledgedAt: string | null;
  blockerId: string | null;
  blockerTitle: string | null;
  projectId: string | null;
  projectName: string | null;
  deputyFor: { personId: string; name: string } | null;
  acknowledge: { blockerId: string; acknowledged: boolean; href: string } | null;
}

type NoticeListener = (n: InboxNotice) => void;

interface Live {
  counts: UnreadCounts | null;
  connected: boolean;
  /** Called for each notice that arrives while the page is open. */
  onNotice: (l: NoticeListener) => () => void;
  /** Re-reads the counts (after a local change such as mark read). */
  refreshCounts: () => void;
}

const LiveContext = createContext<Live>({ counts: null, connected: false, onNotice: () => () => undefined, refreshCounts: () => undefined });

export function LiveProvider({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const personId = session && !session.mustChangePassword ? session.person.id : null;
  const [counts, setCounts] = useState<UnreadCounts | null>(null);
  const [connected, setConnected] = useState(false);
  const listeners = useRef(new Set<NoticeListener>());
  const refreshCounts = useRef(() => undefined as void);

  useEffect(() => {
    if (!personId) {
      setCounts(null);
      return;
    }
    let stopped = false;
    let source: EventSource | null = null;
    let lastEventId: string | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let delay = 1000;
    refreshCounts.current = () => {
      get<UnreadCounts>('/notices/unread-counts')
        .then((c) => !stopped && setCounts(c))
        .catch(() => undefined);
    };
    const connect = async () => {
      if (stopped) return;
      try {
        const { ticket } = await post<{ ticket: string }>('/notices/stream-tickets');
        if (stopped) return;
        const qs = new URLSearchParams({ ticket });
        if (lastEventId) qs.set('lastEventId', lastEventId);
        source = new EventSource(`/api/notices/stream?${qs}`);
        source.onopen = () => {
          delay = 1000;
          setConnected(true);
        };
        // The stream's starting point, so that a drop before any notice still replays what was missed.
        source.addEventListener('ready', (e) => {
          if (!lastEventId && (e as MessageEvent).lastEventId) lastEventId = (e as MessageEvent).lastEventId;
        });
        source.addEventListener('counts', (e) => setCounts(JSON.parse((e as MessageEvent).data)));
        source.addEventListener('notice', (e) => {
          const m = e as MessageEvent;
          if (m.lastEventId) lastEventId = m.lastEventId;
          const n = JSON.parse(m.data) as InboxNotice;
          listeners.current.forEach((l) => l(n));
        });
        source.onerror = () => {
          // The ticket was single use: EventSource's own retry would be refused, so reconnect ourselves.
          source?.close();
          setConnected(false);
          schedule();
        };
      } catch {
        schedule();
      }
    };
    const schedule = () => {
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, delay);
      delay = Math.min(delay * 2, 30_000);
    };
    refreshCounts.current();
    void connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
      setConnected(false);
    };
  }, [personId]);

  const value: Live = {
    counts,
    connected,
    onNotice: (l) => {
      listeners.current.add(l);
      return () => listeners.current.delete(l);
    },
    refreshCounts: () => refreshCounts.current(),
  };
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export const useLive = (): Live => useContext(LiveContext);
