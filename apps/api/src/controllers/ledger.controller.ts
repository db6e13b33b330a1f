import { Controller, Get, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiConsumes, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Request } from 'express';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { LedgerService } from '../../../../libs/ledger/src/ledger.service';
import { Allow, Ctx } from '../auth/access.decorators';
import { Answer, AnyAnswer } from '../dto/responses';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_BYTES = 20 * 1024 * 1024;

class YearDto {
  @ApiProperty({ example: 2026, description: 'The year of the annual investment plan column' }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
}

class ImportQueryDto extends YearDto {
  @ApiProperty({ required: false, default: false, description: 'Check only: every cell problem and what would be created or updated; nothing is written' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

/** The project ledger (台账), as the project office keeps it in Excel. */
@ApiTags('ledger')
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  /** The projects you may see, with the year's investment plan, as .xlsx. */
  @Answer(null, { xlsx: true })
  @Allow({ roles: 'any', scopes: ['projects:read'] })
  @Get('export')
  async export(@Ctx() ctx: RequestContext, @Query() q: YearDto) {
    // Type and name on the file, not @Header: a refusal must still answer JSON.
    return new StreamableFile(await this.ledger.export(ctx.actor, q.year), {
      type: XLSX,
      disposition: "attachment; filename*=UTF-8''%E9%87%8D%E7%82%B9%E9%A1%B9%E7%9B%AE%E5%8F%B0%E8%B4%A6.xlsx",
    });
  }

  /**
   * Imports a ledger (.xlsx as the request body): every row is checked first; any bad cell and nothing is imported.
   * With dryRun=true only the check runs: the problems come back as a list (200) and nothing is written.
   */
  @Answer(AnyAnswer)
  @Allow({ roles: ['project_office'], scopes: ['projects:write'] })
  @Post('import')
  @ApiConsumes(XLSX)
  async import(@Ctx() ctx: RequestContext, @Query() q: ImportQueryDto, @Req() req: Request) {
    const file = await body(req);
    return q.dryRun ? this.ledger.preview(file) : this.ledger.import(ctx, file, q.year);
  }
}

/** The raw upload: the JSON parser leaves an .xlsx body alone. */
async function body(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BYTES) throw new DomainError(DomainErrorCode.Invalid, '文件超过20MB', 'The file is larger than 20 MB');
    chunks.push(chunk as Buffer);
  }
  if (!size) throw new DomainError(DomainErrorCode.Invalid, '请上传台账文件（.xlsx）作为请求体', 'Upload the ledger (.xlsx) as the request body');
  return Buffer.concat(chunks);
}
