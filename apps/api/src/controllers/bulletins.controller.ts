import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BulletinsService } from '../../../../libs/bulletins/src/bulletins.service';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx } from '../auth/access.decorators';
import { PageQueryDto } from '../dto/page.dto';
import { Answer, BulletinAnswer, BulletinSummaryAnswer, DOCX_CONTENT, PDF_CONTENT, pageOf } from '../dto/responses';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A bulletin's id in a download path: 'current' or a UUID; anything else is refused in words, not a 500. */
function bulletinId(id: string): string {
  if (id !== 'current' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new BadRequestException({
      error: 'bad_request',
      message: `通报编号无效：${id}（应为通报的编号或 current）`,
      messageEn: `Not a bulletin id: ${id} (a bulletin's id or current)`,
    });
  return id;
}

/** A Chinese file name for every browser: an ASCII fallback, and the real name in RFC 5987 form (filename*). */
const attachment = (number: string, ext: string) => `attachment; filename="bulletin.${ext}"; filename*=UTF-8''${encodeURIComponent(`${number}.${ext}`)}`;

/** Weekly bulletins (通报) with the ranking (一周一排序); the schedules that produce them are in schedules.controller.ts. */
@ApiTags('bulletins')
@Controller()
export class BulletinsController {
  constructor(private readonly bulletins: BulletinsService) {}

  @Answer(pageOf(BulletinSummaryAnswer))
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins')
  list(@Query() q: PageQueryDto) {
    return this.bulletins.list(q);
  }

  /** The latest bulletin. */
  @Answer(BulletinAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/current')
  current(@Ctx() ctx: RequestContext) {
    return this.bulletins.get(ctx.actor, 'current');
  }

  @Answer(BulletinAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/:id')
  one(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.bulletins.get(ctx.actor, id);
  }

  /** The bulletin as an .xlsx ledger. */
  @Answer(null, { xlsx: true })
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/:id/xlsx')
  async xlsx(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    if (id !== 'current' && !/^[0-9a-f-]{36}$/i.test(id)) throw new DomainError(DomainErrorCode.Invalid, `通报编号无效：${id}`, `Not a bulletin id: ${id}`);
    const { number, file } = await this.bulletins.xlsx(ctx.actor, id);
    // Type on the file, not @Header: a refusal must still answer JSON.
    return new StreamableFile(file, { type: XLSX, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(number)}.xlsx` });
  }

  /** The bulletin as an official document (通报), .docx: red head, figures, rankings, red and black lists, laggards, overdue matters. */
  @Answer(null, { docx: true })
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/:id/docx')
  async docx(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    const { number, file } = await this.bulletins.document(ctx.actor, bulletinId(id), 'docx');
    return new StreamableFile(file, { type: DOCX_CONTENT, disposition: attachment(number, 'docx') });
  }

  /** The same document as a PDF, for printing and for phones without Word. */
  @Answer(null, { pdf: true })
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('bulletins/:id/pdf')
  async pdf(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    const { number, file } = await this.bulletins.document(ctx.actor, bulletinId(id), 'pdf');
    return new StreamableFile(file, { type: PDF_CONTENT, disposition: attachment(number, 'pdf') });
  }
}
