import { Body, Controller, Get, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiConsumes, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LEDGER_FIELDS, type LedgerField } from '../../../../libs/ledger/src/synonyms';
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

class MappingColumnDto {
  @ApiProperty({ example: 3, description: 'The source column (1-based), as the proposal numbers it' }) @IsInt() @Min(1) @Max(500) index: number;
  @ApiProperty({ example: '总投资 / 亿元', description: 'The source column’s header, as the proposal shows it' }) @IsString() @MaxLength(200) label: string;
  @ApiProperty({ enum: LEDGER_FIELDS, nullable: true, description: 'The field the column holds; null to leave the column out' })
  @IsOptional()
  @IsIn([...LEDGER_FIELDS], { message: `field must be one of ${LEDGER_FIELDS.join(', ')} or null (字段名不正确)` })
  field: LedgerField | null;
  @ApiPropertyOptional({ enum: ['亿元', '万元', '元'], description: 'For an amount: the unit the column is in (converted to 万元)' })
  @IsOptional()
  @IsIn(['亿元', '万元', '元'], { message: 'unit must be 亿元, 万元 or 元 (金额单位应为亿元、万元或元)' })
  unit?: string;
}

class MappingDto {
  @ApiProperty({ description: 'The header shape’s signature, from the proposal' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'signature must be the proposal’s 64 hex digits (表头签名不正确)' })
  signature: string;
  @ApiProperty({ type: [MappingColumnDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'columns must not be empty (须至少有一列)' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => MappingColumnDto)
  columns: MappingColumnDto[];
  @ApiPropertyOptional({ example: '按本县台账确认列对应关系' }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
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
    return q.dryRun ? this.ledger.preview(file, q.year) : this.ledger.import(ctx, file, q.year);
  }

  /**
   * The first step with a county's own ledger (.xlsx as the request body): the header found under its title rows,
   * the field proposed for each column with a confidence (or the mapping confirmed before for this header shape),
   * the columns left unmapped, and the problems an import would meet. Nothing is written.
   */
  @Answer(AnyAnswer)
  @Allow({ roles: ['project_office'], scopes: ['projects:write'] })
  @Post('import/proposal')
  @ApiConsumes(XLSX)
  async proposal(@Query() q: YearDto, @Req() req: Request) {
    return this.ledger.proposal(await body(req), q.year);
  }

  /** The project office confirms or changes the column mapping for a header shape; saved and used by every import of that shape. */
  @Answer(AnyAnswer)
  @Allow({ roles: ['project_office'], scopes: ['projects:write'] })
  @Post('mapping')
  confirm(@Ctx() ctx: RequestContext, @Body() dto: MappingDto) {
    return this.ledger.confirmMapping(ctx, dto.signature, dto.columns, dto.reason || '确认台账列对应关系');
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
