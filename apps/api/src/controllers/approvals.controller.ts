import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApprovalsService } from '../../../../libs/approvals/src/approvals.service';
import { CatalogueService, type CatalogueFields } from '../../../../libs/approvals/src/catalogue.service';
import { ApprovalQueueService } from '../../../../libs/approvals/src/approval-queue.service';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import {
  AcceptDto,
  ApprovalPlanDto,
  ApprovalQueueQueryDto,
  ApproveDto,
  CatalogueItemDto,
  ClockStopDto,
  ExtensionDto,
  DepartmentQueryDto,
  GreenChannelDto,
  NoteDto,
  RejectDto,
  SubmitDto,
  SupplementDto,
  UpdateCatalogueItemDto,
  VerifyDto,
} from '../dto/approval.dto';
import { Answer, AnyAnswer, ApprovalItemAnswer, ApprovalOverviewAnswer, ApprovalQueueAnswer, CatalogueItemAnswer, DepartmentsAnswer } from '../dto/responses';

const APPLICANTS = { roles: ['unit_staff', 'unit_head', 'project_office'] } as const;
const DEPARTMENTS = { roles: ['approval_staff', 'unit_head'] } as const;

/** The approval green channel (审批绿色通道): catalogue, plans, items and their clocks, and the views over them. */
@ApiTags('approvals')
@Controller()
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly catalogue: CatalogueService,
    private readonly queueOf: ApprovalQueueService,
  ) {}

  @Answer(CatalogueItemAnswer, { isArray: true })
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('approval-catalogue')
  list() {
    return this.catalogue.list();
  }

  @Answer(CatalogueItemAnswer)
  @Allow(OFFICE_ONLY)
  @Post('approval-catalogue')
  create(@Ctx() ctx: RequestContext, @Body() dto: CatalogueItemDto) {
    const { reason, ...fields } = dto;
    return this.catalogue.create(ctx, fields as Partial<CatalogueFields>, reason);
  }

  @Answer(CatalogueItemAnswer)
  @Allow(OFFICE_ONLY)
  @Patch('approval-catalogue/:id')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCatalogueItemDto) {
    const { reason, ...fields } = dto;
    return this.catalogue.update(ctx, id, fields, reason);
  }

  /** Grants a project the green channel (project office). */
  @Answer(ApprovalOverviewAnswer)
  @Allow(OFFICE_ONLY)
  @Put('projects/:id/green-channel')
  green(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: GreenChannelDto) {
    return this.approvals.grantGreenChannel(ctx, id, dto.reason);
  }

  /** The items the project needs (project office); by default the catalogue's for its category. */
  @Answer(ApprovalOverviewAnswer)
  @Allow(OFFICE_ONLY)
  @Put('projects/:id/approval-plan')
  plan(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ApprovalPlanDto) {
    return this.approvals.setPlan(ctx, id, dto.catalogueItemIds, dto.reason);
  }

  /** The approval plan as parallel lanes per stage, with the critical item of each. */
  @Answer(ApprovalOverviewAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('projects/:id/approvals')
  ofProject(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.approvals.ofProject(ctx.actor, id);
  }

  /** Green channel: submits every planned item of a stage at once (并联审批). */
  @Answer(AnyAnswer)
  @Allow(APPLICANTS)
  @Post('projects/:id/approval-stages/:stage/submit')
  submitStage(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Param('stage') stage: string) {
    if (!['planning', 'approval', 'land', 'start'].includes(stage)) throw new DomainError(DomainErrorCode.Invalid, `没有这个阶段：${stage}`, `No such stage: ${stage}`);
    return this.approvals.submitStage(ctx, id, stage);
  }

  /** The department's queue (待办审批事项): its items, red first, with project, clock and colour; a clerk sees their own department's. */
  @Answer(ApprovalQueueAnswer)
  @Allow({ roles: ['approval_staff', 'unit_head', 'project_office', 'supervision', 'county_leader'] })
  @Get('approvals/queue')
  queue(@Ctx() ctx: RequestContext, @Query() q: ApprovalQueueQueryDto) {
    return this.queueOf.queue(ctx.actor, q);
  }

  /** Per department: on-time rate and average working days, green channel vs normal. */
  @Answer(DepartmentsAnswer)
  @Allow({ roles: 'any' })
  @Get('approvals/departments')
  departments(@Ctx() ctx: RequestContext, @Query() q: DepartmentQueryDto) {
    return this.approvals.departments(ctx.actor, q);
  }

  /** One item: elapsed and paused working days against its limit, who holds it, its history. */
  @Answer(ApprovalItemAnswer)
  @Allow({ roles: 'any' })
  @Get('approval-items/:id')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.approvals.get(ctx.actor, id);
  }

  /** The applicant submits; with a written commitment, an item under commitment-based approval is approved at once. */
  @Answer(ApprovalItemAnswer)
  @Allow(APPLICANTS)
  @Post('approval-items/:id/submit')
  submit(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SubmitDto) {
    return this.approvals.submit(ctx, id, dto.commitment);
  }

  /** The department accepts (受理), on the green channel possibly with deficiencies against a commitment date. */
  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/accept')
  accept(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AcceptDto) {
    return this.approvals.act(ctx, id, { action: 'accept', ...(dto.deficiencies && { deficiencies: { ...dto.deficiencies, commitAt: '' } }) });
  }

  /** The department asks for a supplement (补正), listing everything at once; its clock stops. */
  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/supplement-request')
  supplement(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SupplementDto) {
    return this.approvals.act(ctx, id, { action: 'requestSupplement', missing: dto.missing, reason: dto.reason });
  }

  /** The applicant supplies the material: the clock runs again. */
  @Answer(ApprovalItemAnswer)
  @Allow(APPLICANTS)
  @Post('approval-items/:id/material')
  supply(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto) {
    return this.approvals.act(ctx, id, { action: 'supplyMaterial', note: dto.note });
  }

  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/review')
  review(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.approvals.act(ctx, id, { action: 'startReview' });
  }

  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/approve')
  approve(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ApproveDto) {
    return this.approvals.act(ctx, id, { action: 'approve', documentNo: dto.documentNo, note: dto.note });
  }

  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/reject')
  reject(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RejectDto) {
    return this.approvals.act(ctx, id, { action: 'reject', reason: dto.reason });
  }

  /** The applicant supplies what was missing at an acceptance with deficiencies. */
  @Answer(ApprovalItemAnswer)
  @Allow(APPLICANTS)
  @Post('approval-items/:id/deficiencies-supplied')
  deficiencies(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto) {
    return this.approvals.act(ctx, id, { action: 'supplyDeficiency', note: dto.note });
  }

  /** A statutory extension (commonly 10 working days), granted by the head of the item's department, once. */
  @Answer(ApprovalItemAnswer)
  @Allow({ roles: ['unit_head'] })
  @Post('approval-items/:id/extension')
  extend(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ExtensionDto) {
    return this.approvals.act(ctx, id, { action: 'extend', days: dto.days, reason: dto.reason });
  }

  /** A recorded clock stop (expert review, hearing, appraisal) with its reason and its own time limit. */
  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/clock-stop')
  stop(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ClockStopDto) {
    return this.approvals.act(ctx, id, { action: 'stopClock', kind: dto.kind, reason: dto.reason, days: dto.days, dueAt: '' });
  }

  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/clock-resumption')
  resume(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: NoteDto) {
    return this.approvals.act(ctx, id, { action: 'resumeClock', note: dto.note });
  }

  /** The department's verification of an item approved on commitment. */
  @Answer(ApprovalItemAnswer)
  @Allow(DEPARTMENTS)
  @Post('approval-items/:id/verification')
  verify(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: VerifyDto) {
    return this.approvals.act(ctx, id, { action: 'verify', passed: dto.passed, note: dto.note });
  }
}
