import type { NoticeKind } from '../../notices/src/notice.entity';

/** A notice as the inbox shows it: its words, its state, and the names of what it is about. */
export interface InboxNotice {
  id: string;
  recipientId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
  rung: string;
  documentNo: string | null;
  channel: string;
  createdAt: string;
  readAt: string | null;
  urgent: boolean;
  ackRequired: boolean;
  acknowledgedAt: string | null;
  eventId: string | null;
  sourceKey: string | null;
  /** The matter (问题) it is about, with its title; null for a notice about a project. */
  blockerId: string | null;
  blockerTitle: string | null;
  projectId: string | null;
  projectName: string | null;
  /** A deputy's copy (代): whom the deputy stands in for. */
  deputyFor: { personId: string; name: string } | null;
  delegationId: string | null;
  /** For a notice asking for 签收: where to do it and whether it is done. */
  acknowledge: { blockerId: string; acknowledged: boolean; href: string } | null;
}

/** A person's unread notices, counted: in all, urgent ones, by kind (absent kinds: 0), and 签收 still owed. */
export interface UnreadCounts {
  total: number;
  urgent: number;
  byKind: Partial<Record<NoticeKind, number>>;
  ackPending: number;
}

export interface InboxQuery {
  page: number;
  pageSize: number;
  unreadOnly?: boolean;
  kind?: NoticeKind;
  urgent?: boolean;
  ackPending?: boolean;
}

/** The channels the API LISTENs on: a new notice (trigger of migration 1764200000000), a change of read state. */
export const NOTICE_CHANNEL = 'duban_notice';
export const NOTICE_READ_CHANNEL = 'duban_notice_read';
