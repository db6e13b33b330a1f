import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { NOTICE_KINDS } from '../../../../libs/notices/src/notice.entity';

/** The inbox's answers (see responses.ts for the conventions: open objects, named fields). */
function answer(name: string, props: Record<string, ApiPropertyOptions>): Type<unknown> {
  const cls = { [name]: class {} }[name];
  for (const [key, opts] of Object.entries(props)) ApiProperty(opts)(cls.prototype, key);
  return cls;
}

const uuid: ApiPropertyOptions = { type: String, format: 'uuid' };
const uuidOrNull: ApiPropertyOptions = { type: String, format: 'uuid', nullable: true };
const str: ApiPropertyOptions = { type: String };
const strOrNull: ApiPropertyOptions = { type: String, nullable: true };
const at: ApiPropertyOptions = { type: String, format: 'date-time' };
const atOrNull: ApiPropertyOptions = { type: String, format: 'date-time', nullable: true };
const int: ApiPropertyOptions = { type: Number, format: 'int32' };
const bool: ApiPropertyOptions = { type: Boolean };

/** A nullable object written out in place: a nullable $ref (allOf) would refuse null in strict validators. */
const objOrNull = (properties: Record<string, object>, description: string): ApiPropertyOptions =>
  ({ type: 'object', nullable: true, properties, required: Object.keys(properties), additionalProperties: true, description }) as ApiPropertyOptions;
const deputyFor = objOrNull({ personId: { type: 'string', format: 'uuid' }, name: { type: 'string' } }, '代: a deputy’s copy, for this person');
const acknowledge = objOrNull(
  {
    blockerId: { type: 'string', format: 'uuid' },
    acknowledged: { type: 'boolean' },
    href: { type: 'string', example: '/api/notices/3d6c3c43-526c-4bff-baf0-cf4eda2fee8d/acknowledge', description: 'POST here to acknowledge (签收)' },
  },
  'For a notice asking for 签收 (an escalation notice)',
);

export const InboxNoticeAnswer = answer('InboxNoticeAnswer', {
  id: uuid,
  recipientId: uuid,
  kind: { type: String, enum: NOTICE_KINDS },
  title: str,
  body: str,
  titleEn: str,
  bodyEn: str,
  rung: str,
  documentNo: strOrNull,
  channel: str,
  createdAt: at,
  readAt: atOrNull,
  urgent: bool,
  ackRequired: bool,
  acknowledgedAt: atOrNull,
  eventId: uuidOrNull,
  sourceKey: strOrNull,
  blockerId: uuidOrNull,
  blockerTitle: strOrNull,
  projectId: uuidOrNull,
  projectName: strOrNull,
  deputyFor,
  delegationId: uuidOrNull,
  acknowledge,
});

export const InboxNoticePageAnswer = answer('InboxNoticePage', { items: { type: InboxNoticeAnswer, isArray: true }, total: int, page: int, pageSize: int });

export const UnreadCountsAnswer = answer('UnreadCountsAnswer', {
  total: int,
  urgent: int,
  byKind: { type: 'object', additionalProperties: { type: 'integer' }, example: { escalation: 3, reminder: 1 }, description: 'Unread per kind; a kind not listed has none' },
  ackPending: { ...int, description: 'Notices whose 签收 is still owed' },
});

export const ReadAllAnswer = answer('ReadAllAnswer', { marked: { ...int, description: 'How many notices were marked read' } });

export const StreamTicketAnswer = answer('StreamTicketAnswer', {
  ticket: { type: String, description: 'For GET /api/notices/stream?ticket=…; single use' },
  expiresAt: at,
});

export const STREAM_EVENTS = [
  'Server-Sent Events, for as long as the connection stays open:',
  '`event: notice` (`id:` the notice id; `data:` an InboxNoticeAnswer) when a notice for you is stored (deputy copies included);',
  '`event: ready` (`id:` where the stream starts: your newest notice, or the time when you have none) once, on a stream opened without Last-Event-ID;',
  '`event: counts` (`data:` an UnreadCountsAnswer) when the stream opens and after each change of your unread or 签收 state;',
  '`: heartbeat` comment lines every 25 s.',
  'Send `Last-Event-ID` (or `lastEventId`) to get the notices stored since that one.',
].join(' ');
