import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NoticesService } from '../../../../libs/notices/src/notices.service';
import { OrgService } from '../../../../libs/org/src/org.service';
import { DomainError } from '../../../../libs/domain/src/errors';
import { isProjectOffice } from '../../../../libs/domain/src/access';
import type { RequestContext } from '../../../../libs/identity/src/context';
import type { Role } from '../../../../libs/org/src/person.entity';
import { Allow, Ctx } from '../auth/access.decorators';
import { UpdatePersonDto } from '../dto/identity.dto';

const WRITE = { roles: ['project_office'], scopes: ['org:write'] } as const;
const READ = { roles: 'any', scopes: ['org:read'] } as const;
import { NoticeListQueryDto } from '../dto/blocker.dto';
import { UpdateOrgUnitDto, CreateOrgUnitDto, CreatePersonDto, OrgUnitListQueryDto, PeopleListQueryDto } from '../dto/org.dto';
import { Answer, NoticeAnswer, OrgUnitAnswer, PersonAnswer, pageOf } from '../dto/responses';

@ApiTags('org')
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly org: OrgService) {}

  @Answer(OrgUnitAnswer)
  @Allow(WRITE)
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateOrgUnitDto) {
    return this.org.createUnit(ctx, dto);
  }

  @Answer(pageOf(OrgUnitAnswer))
  @Allow(READ)
  @Get()
  list(@Query() q: OrgUnitListQueryDto) {
    return this.org.listUnits(q);
  }

  @Answer(OrgUnitAnswer)
  @Allow(READ)
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.org.getUnit(id);
  }

  /** Names the county leader in charge of a department (分管县领导), the approvals ladder's third rung. */
  @Answer(OrgUnitAnswer)
  @Allow({ roles: ['project_office'] })
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateOrgUnitDto) {
    return this.org.setLeaderInCharge(ctx, id, dto.leaderInChargeId ?? null, dto.reason);
  }
}

@ApiTags('org')
@Controller('people')
export class PeopleController {
  constructor(
    private readonly org: OrgService,
    private readonly notices: NoticesService,
  ) {}

  @Answer(PersonAnswer)
  @Allow(WRITE)
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreatePersonDto) {
    return this.org.createPerson(ctx, dto);
  }

  @Answer(pageOf(PersonAnswer))
  @Allow(READ)
  @Get()
  list(@Query() q: PeopleListQueryDto) {
    return this.org.listPeople(q);
  }

  @Answer(PersonAnswer)
  @Allow(READ)
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.org.getPerson(id);
  }

  /** The project office moves a person, changes their post or their roles (reason required). */
  @Answer(PersonAnswer)
  @Allow({ roles: ['project_office'] })
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePersonDto) {
    return this.org.updatePerson(ctx, id, { ...dto, roles: dto.roles as Role[] | undefined });
  }

  /** A person's inbox (收件箱), newest first: their own, or anyone's for the project office. */
  @Answer(pageOf(NoticeAnswer))
  @Allow({ roles: 'any' })
  @Get(':id/notices')
  async inbox(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Query() q: NoticeListQueryDto) {
    if (!(ctx.actor.kind === 'person' && ctx.actor.personId === id) && !isProjectOffice(ctx.actor)) {
      throw DomainError.forbidden('只能查看本人的通知', 'You can only read your own notices');
    }
    await this.org.getPerson(id);
    return this.notices.inbox(id, q);
  }
}
