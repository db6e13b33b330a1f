import { Controller, Get, Header, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { attachmentDisposition } from '../../../../libs/notice-form/src/notice-form';
import { NoticeFormService } from '../../../../libs/notice-form/src/notice-form.service';
import { Allow, Ctx } from '../auth/access.decorators';
import { Answer, PDF_CONTENT } from '../dto/responses';

class RungNameAnswer {
  @ApiProperty({ example: '包联领导' }) zh: string;
  @ApiProperty({ example: 'liaison leader' }) en: string;
}

/** One numbered notice of a matter (督办〔2026〕12号) and the notice to download its form with. */
export class NoticeFormItemAnswer {
  @ApiProperty({ example: '督办〔2026〕12号' }) documentNo: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) eventId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) issuedAt: Date;
  @ApiProperty({ example: 'liaison', description: 'The rung the matter was escalated to' }) rung: string;
  @ApiProperty({ type: RungNameAnswer }) rungName: RungNameAnswer;
  @ApiProperty({ type: String, nullable: true, example: 'unit' }) fromRung: string | null;
  @ApiProperty({ type: String, format: 'uuid', description: 'A notice of that number: your own when you hold one' }) noticeId: string;
  @ApiProperty({ description: 'Whether you may download the form (recipient, deputy, project office, supervision office)' }) downloadable: boolean;
  @ApiProperty({ example: '/api/notices/3d6c3c43-526c-4bff-baf0-cf4eda2fee8d/form.pdf' }) formPath: string;
}

/**
 * The 督办通知单 (formal escalation notice) as a one-page PDF to print and sign for, and the list
 * of a matter's numbered notices so the project office can print the form of any escalation.
 */
@ApiTags('notices')
@Controller()
export class NoticeFormsController {
  constructor(private readonly forms: NoticeFormService) {}

  /**
   * The notice's 督办通知单 as PDF: for its recipient, a deputy holding a copy of it, the project
   * office and the supervision office (others: 404, as for an unknown notice). 404 with a reason
   * for a notice that is not an escalation notice.
   */
  @Answer(null, { pdf: true, description: 'The 督办通知单, one A4 page' })
  @Allow({ roles: 'any' })
  @Get('notices/:id/form.pdf')
  @Header('Cache-Control', 'private, no-store')
  async form(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    const form = await this.forms.form(ctx.actor, id);
    // Type and name on the file, not @Header: a refusal must still answer JSON.
    return new StreamableFile(form.content, { type: PDF_CONTENT, disposition: attachmentDisposition(form.filename), length: form.content.length });
  }

  /** The matter's numbered notices (one per document number), for whoever may see the matter. */
  @Answer(NoticeFormItemAnswer, { isArray: true })
  @Allow({ roles: 'any', scopes: ['blockers:read'] })
  @Get('blockers/:id/forms')
  list(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.forms.list(ctx.actor, id);
  }
}
