import { OFFERED_ACTIONS } from '../../../../libs/domain/src/blocker-rules';
import { Type, applyDecorators } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { ApiProperty, ApiPropertyOptions, ApiResponse } from '@nestjs/swagger';

/**
 * The answers of the API as OpenAPI schemas, so clients can be generated and
 * answers checked (schemathesis, tests/e2e/schemathesis.e2e-spec.ts).
 *
 * Each answer names the fields a client relies on, with their types; the
 * objects stay open (further fields may appear), so adding a field to an answer
 * is not a breaking change. Error answers are one shared schema (ErrorBody),
 * added to every operation by openapi.ts.
 */

type Props = Record<string, ApiPropertyOptions>;

/** An answer class with the given properties; its name is the schema's name. */
function answer(name: string, props: Props): Type<unknown> {
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
const num: ApiPropertyOptions = { type: Number };
const bool: ApiPropertyOptions = { type: Boolean };
const strings: ApiPropertyOptions = { type: String, isArray: true };
/** Any JSON object whose own fields are documented in the domain (policies, ladders, events). */
const obj = (description?: string): ApiPropertyOptions => ({ type: 'object', additionalProperties: true, description });
const objOrNull = (description?: string): ApiPropertyOptions => ({ ...obj(description), nullable: true });
const objs = (description?: string): ApiPropertyOptions => ({ type: 'array', items: { type: 'object', additionalProperties: true }, description });
const optional = (o: ApiPropertyOptions): ApiPropertyOptions => ({ ...o, required: false }) as ApiPropertyOptions;
const of = (type: Type<unknown>, more: Partial<ApiPropertyOptions> = {}): ApiPropertyOptions => ({ type, ...more }) as ApiPropertyOptions;

export class FieldProblemDto {
  @ApiProperty({ example: 'title' }) field: string;
  @ApiProperty({ type: [String] }) problems: string[];
}

/** The body of every error (errors.filter.ts): Chinese message first, English beside it, the request id. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'invalid_input' }) error: string;
  @ApiProperty({ example: '请求参数有误：title' }) message: string;
  @ApiProperty({ example: 'Invalid input: title' }) messageEn: string;
  @ApiProperty({ example: '3d6c3c43-526c-4bff-baf0-cf4eda2fee8d' }) requestId: string;
  @ApiProperty({ type: [FieldProblemDto], required: false, description: 'Each refused field (400)' }) errors?: FieldProblemDto[];
  @ApiProperty({ required: false, description: 'What a refusal carries for the person to act on', type: Object, additionalProperties: true }) details?: unknown;
}

/** A page of a list: the items, the total and where the page is. */
export function pageOf(item: Type<unknown>): Type<unknown> {
  return answer(`${item.name}Page`, { items: { type: item, isArray: true }, total: int, page: int, pageSize: int });
}

export const HealthAnswer = answer('HealthAnswer', {
  status: { enum: ['ok', 'degraded'], type: String },
  database: str,
  temporal: str,
  stuckWork: { ...int, nullable: true, description: 'Activities that keep failing (GET /api/admin/stuck-work); null while the database is down' },
  message: optional(str),
  messageEn: optional(str),
});
const StuckActivityAnswer = answer('StuckActivityAnswer', {
  workflowId: str,
  workflowType: strOrNull,
  activityType: str,
  attempt: int,
  errorType: strOrNull,
  lastError: str,
  firstFailedAt: at,
  lastFailedAt: at,
});
export const StuckWorkAnswer = answer('StuckWorkAnswer', { total: int, items: { type: StuckActivityAnswer, isArray: true } as ApiPropertyOptions });
const PersonRef = answer('PersonRef', { id: uuid, name: str, orgUnitId: uuidOrNull, roles: strings });
export const LoginAnswer = answer('LoginAnswer', {
  accessToken: str,
  accessExpiresAt: at,
  refreshToken: str,
  refreshExpiresAt: at,
  tokenType: str,
  mustChangePassword: bool,
  person: of(PersonRef),
});
export const TokensAnswer = answer('TokensAnswer', { accessToken: str, accessExpiresAt: at, refreshToken: str, refreshExpiresAt: at, tokenType: str });
export const SettingsAnswer = answer('SettingsAnswer', {
  timeZone: { type: String, example: 'Asia/Shanghai', description: 'IANA time zone of the organisation (DUBAN_TIME_ZONE)' },
});
export const ActorAnswer = answer('ActorAnswer', { kind: { type: String, enum: ['person', 'apiKey', 'system'] } });

export const AccountAnswer = answer('AccountAnswer', {
  id: uuid,
  personId: uuid,
  username: str,
  status: str,
  failedLogins: int,
  lockedUntil: atOrNull,
  mustChangePassword: bool,
  createdAt: at,
});
export const AccountWithPasswordAnswer = answer('AccountWithPasswordAnswer', { id: uuid, personId: uuid, username: str, status: str, password: optional(str) });
export const ApiKeyAnswer = answer('ApiKeyAnswer', { id: uuid, name: str, prefix: str, scopes: strings, revokedAt: atOrNull, createdAt: at });
export const NewApiKeyAnswer = answer('NewApiKeyAnswer', { id: uuid, name: str, scopes: strings, key: { type: String, description: 'Shown once' } });
export const AuditEntryAnswer = answer('AuditEntryAnswer', {
  seq: { type: String, description: 'Position in the chain (a big integer as text)' },
  at: at,
  actorKind: str,
  actorId: strOrNull,
  action: str,
  targetType: str,
  targetId: strOrNull,
  before: objOrNull(),
  after: objOrNull(),
  reason: strOrNull,
  hash: str,
});

export const OrgUnitAnswer = answer('OrgUnitAnswer', { id: uuid, name: str, kind: str, leaderInChargeId: uuidOrNull, createdAt: at });
export const PersonAnswer = answer('PersonAnswer', { id: uuid, name: str, title: str, orgUnitId: uuidOrNull, roles: strings, createdAt: at });
export const NoticeAnswer = answer('NoticeAnswer', { id: uuid, recipientId: uuid, kind: str, title: str, body: str, readAt: optional(atOrNull), createdAt: at });

export const ProjectAnswer = answer('ProjectAnswer', {
  id: uuid,
  code: str,
  name: str,
  category: str,
  responsibleUnitId: uuid,
  responsibleUnitName: strOrNull,
  townshipId: uuidOrNull,
  townshipName: strOrNull,
  totalInvestment: { type: String, description: '万元, decimal as text' },
  liaisonLeaders: objs('The liaison leaders'),
  createdAt: at,
});

const blockerProps: Props = {
  id: uuid,
  projectId: uuid,
  projectName: str,
  projectCode: str,
  responsibleUnitId: uuid,
  responsibleUnitName: strOrNull,
  category: str,
  severity: str,
  title: str,
  description: str,
  reportedBy: strOrNull,
  reportedByName: strOrNull,
  reportedAt: at,
  policyId: uuidOrNull,
  status: { type: String, enum: ['open', 'resolved'] },
  rung: str,
  rungIndex: int,
  dueAt: atOrNull,
  overdueAtTop: bool,
  resolution: strOrNull,
  resolvedAt: atOrNull,
  updatedAt: at,
};
export const BlockerAnswer = answer('BlockerAnswer', { ...blockerProps, colour: { type: String, enum: ['green', 'yellow', 'red'], nullable: true, required: false } });
export const BlockerDetailAnswer = answer('BlockerDetailAnswer', {
  ...blockerProps,
  ladder: objs('The rungs of its ladder'),
  events: optional(objs('Every event, oldest first')),
  allowedActions: {
    type: 'array',
    items: { type: 'string', enum: [...OFFERED_ACTIONS] },
    required: false,
    description: 'What the caller may do on it now (as themself or as a deputy): the buttons a page shows',
  },
});
export const SearchAnswer = answer('SearchAnswer', {
  q: str,
  projects: of(answer('SearchProjects', { items: { type: ProjectAnswer, isArray: true }, total: int })),
  matters: of(answer('SearchMatters', { items: { type: BlockerAnswer, isArray: true }, total: int })),
});
const BackgroundJobFailure = answer('BackgroundJobFailure', { targetType: { type: String, enum: ['blocker', 'approval_item'] }, targetId: uuid, reason: str, at: at });
export const BackgroundJobAnswer = answer('BackgroundJobAnswer', {
  id: uuid,
  kind: str,
  status: { type: String, enum: ['running', 'done'] },
  reason: str,
  policyId: uuidOrNull,
  total: { ...int, nullable: true, description: 'Matters the job reaches (null until counted)' },
  done: int,
  failed: int,
  failures: optional({ type: BackgroundJobFailure, isArray: true, description: 'Each failed matter with its reason (on GET /api/background-jobs/{id})' } as ApiPropertyOptions),
  createdBy: uuidOrNull,
  createdByName: str,
  createdAt: at,
  finishedAt: atOrNull,
});

export const PolicyAnswer = answer('PolicyAnswer', {
  id: uuid,
  name: str,
  category: strOrNull,
  severity: str,
  rungs: objs(),
  automatic: bool,
  ladderId: uuidOrNull,
  repeatEvery: strOrNull,
  reopenWithin: strOrNull,
  version: int,
  updatedAt: at,
  createdAt: at,
});
export const LadderAnswer = answer('LadderAnswer', { id: uuid, name: str, rungs: objs(), isDefault: bool, createdAt: at, updatedAt: at });

export const CalendarAnswer = answer('CalendarAnswer', { settings: obj(), coverage: obj(), amendments: objs() });
export const DayAnswer = answer('DayAnswer', { date: str, working: bool });
export const DueAnswer = answer('DueAnswer', { dueAt: at, provisional: bool });
export const AmendmentAnswer = answer('AmendmentAnswer', {
  date: str,
  kind: { type: String, enum: ['off', 'work'] },
  recomputeJobId: { ...uuidOrNull, description: 'The background job moving open matters (GET /api/background-jobs/{id})' },
});
export const NoticeYearAnswer = answer('NoticeYearAnswer', {
  year: int,
  days: int,
  recomputeJobId: { ...uuidOrNull, description: 'The background job moving open matters (GET /api/background-jobs/{id})' },
});

export const MeetingAnswer = answer('MeetingAnswer', { id: uuid, title: str, scheduledAt: at, status: str, heldAt: atOrNull, minutes: str, createdAt: at });
export const MeetingDetailAnswer = answer('MeetingDetailAnswer', { id: uuid, title: str, scheduledAt: at, status: str });
export const DecisionAnswer = answer('DecisionAnswer', { id: uuid });

export const InvestmentAnswer = answer('InvestmentAnswer', {});
export const InvestmentLagAnswer = answer('InvestmentLagAnswer', { on: str, timeShare: num, rows: objs() });

export const LifecycleAnswer = answer('LifecycleAnswer', {
  projectId: uuid,
  revision: int,
  confirmCompletion: bool,
  stages: objs(),
  pendingReplan: objOrNull(),
  lateStartBlockerId: uuidOrNull,
  completedAt: atOrNull,
});
export const PlanAnswer = answer('PlanAnswer', { projectId: uuid });
export const BattleMapAnswer = answer('BattleMapAnswer', {
  asOf: at,
  summary: obj('Projects per colour'),
  items: objs(),
  total: optional(int),
  page: optional(int),
  pageSize: optional(int),
});

export const BulletinSummaryAnswer = answer('BulletinSummaryAnswer', { id: uuid, kind: str, periodStart: str, number: str, asOf: at, generatedAt: at });
export const BulletinAnswer = answer('BulletinAnswer', { id: uuid, kind: str, periodStart: str, number: str, asOf: at, generatedAt: at, data: obj() });
export const ScheduleAnswer = answer('ScheduleAnswer', {
  key: str,
  name: obj(),
  cron: str,
  timeZone: str,
  paused: bool,
  note: { ...strOrNull, description: 'The note of the last pause or resume (its reason)' },
  nextRuns: { type: String, format: 'date-time', isArray: true },
  recentRuns: objs(),
});
export const TriggeredAnswer = answer('TriggeredAnswer', { triggered: str });

export const ProgressNoteAnswer = answer('ProgressNoteAnswer', {
  id: uuid,
  year: int,
  month: int,
  progressLine: str,
  problems: str,
  nextSteps: str,
  source: { type: String, enum: ['ledger_import', 'manual'] },
  recordedByName: strOrNull,
  recordedAt: at,
});

export const CatalogueItemAnswer = answer('CatalogueItemAnswer', {
  id: uuid,
  code: str,
  name: str,
  departmentId: uuidOrNull,
  stage: str,
  statutoryDays: int,
  promisedDays: int,
  active: bool,
});
/** What an approval item's answers share, in the desk's queue and alone. */
const approvalItemProps: Props = {
  id: uuid,
  projectId: uuid,
  projectName: str,
  projectCode: str,
  name: str,
  stage: str,
  status: str,
  statusName: str,
  departmentId: uuid,
  department: str,
};
export const ApprovalItemAnswer = answer('ApprovalItemAnswer', {
  ...approvalItemProps,
  dueAt: atOrNull,
  remainingDays: { type: Number, nullable: true, description: 'Working days left on the limit' },
});
const colourOrNull: ApiPropertyOptions = { type: String, enum: ['green', 'yellow', 'red'], nullable: true };
const ApprovalClockAnswer = answer('ApprovalClockAnswer', {
  dueAt: { ...atOrNull, description: 'When the department’s clock runs out (before acceptance: the day it is deemed accepted)' },
  remainingDays: { type: Number, nullable: true, description: 'Working days left' },
  running: bool,
  intake: { type: Boolean, description: 'Awaiting acceptance: dueAt is when it is deemed accepted (视为受理)' },
});
export const ApprovalQueueItemAnswer = answer('ApprovalQueueItemAnswer', {
  ...approvalItemProps,
  colour: colourOrNull,
  clock: of(ApprovalClockAnswer),
});
export const ApprovalQueueAnswer = answer('ApprovalQueueAnswer', {
  items: { type: ApprovalQueueItemAnswer, isArray: true },
  total: int,
  page: int,
  pageSize: int,
  departmentId: uuidOrNull,
});
export const ApprovalOverviewAnswer = answer('ApprovalOverviewAnswer', {});
export const DepartmentsAnswer = answer('DepartmentsAnswer', { departments: objs() });
export const AnyAnswer = answer('ObjectAnswer', {});

/** The .xlsx downloads. */
export const XLSX_CONTENT = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The .pdf downloads (the 督办通知单, the bulletin). */
export const PDF_CONTENT = 'application/pdf';
/** The .docx downloads (the bulletin as an official document). */
export const DOCX_CONTENT = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The success answer of an operation, with the status the route really answers
 * (201 for POST unless @HttpCode says otherwise). Put it above @Get/@Post/…:
 * decorators apply bottom-up, and it reads what those have set.
 */
export function Answer(
  type: Type<unknown> | null,
  opts: { isArray?: boolean; description?: string; xlsx?: boolean; pdf?: boolean; docx?: boolean; eventStream?: boolean } = {},
): MethodDecorator {
  return (target, key, descriptor) => {
    const fn = descriptor.value as object;
    const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
    if (method === undefined) throw new Error(`@Answer on ${String(key)} must be above its route decorator`);
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200);
    if (opts.xlsx || opts.pdf || opts.docx) {
      const content = opts.pdf ? PDF_CONTENT : opts.docx ? DOCX_CONTENT : XLSX_CONTENT;
      return applyDecorators(
        ApiResponse({
          status,
          description: opts.description ?? (opts.pdf ? '.pdf' : opts.docx ? '.docx' : '.xlsx'),
          content: { [content]: { schema: { type: 'string', format: 'binary' } } },
        }),
      )(target, key, descriptor);
    }
    // A Server-Sent Events stream: its events are told in the description.
    if (opts.eventStream) {
      const content = { 'text/event-stream': { schema: { type: 'string' } } };
      return applyDecorators(ApiResponse({ status, description: opts.description ?? 'text/event-stream', content }))(target, key, descriptor);
    }
    if (status === 204 || type === null) return applyDecorators(ApiResponse({ status, description: opts.description ?? 'Done (no content)' }))(target, key, descriptor);
    return applyDecorators(ApiResponse({ status, type, isArray: opts.isArray, description: opts.description ?? 'OK' }))(target, key, descriptor);
  };
}
