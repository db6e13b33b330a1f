import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '../../../../libs/audit/src/audit.service';
import { Allow, OFFICE_ONLY } from '../auth/access.decorators';
import { AuditQueryDto } from '../dto/identity.dto';
import { Answer, AuditEntryAnswer, pageOf } from '../dto/responses';

/** The audit log (全程留痕), for the project office: by target, actor, action and time. */
@ApiTags('audit')
@Allow(OFFICE_ONLY)
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Answer(pageOf(AuditEntryAnswer))
  @Get()
  query(@Query() q: AuditQueryDto) {
    return this.audit.query(q);
  }
}
