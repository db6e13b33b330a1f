import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NoticesService } from '../../../../libs/notices/src/notices.service';
import { OrgService } from '../../../../libs/org/src/org.service';
import { NoticeListQueryDto } from '../dto/blocker.dto';
import { CreateOrgUnitDto, CreatePersonDto, OrgUnitListQueryDto, PeopleListQueryDto } from '../dto/org.dto';

@ApiTags('org')
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly org: OrgService) {}

  @Post() create(@Body() dto: CreateOrgUnitDto) {
    return this.org.createUnit(dto);
  }

  @Get() list(@Query() q: OrgUnitListQueryDto) {
    return this.org.listUnits(q);
  }

  @Get(':id') get(@Param('id', ParseUUIDPipe) id: string) {
    return this.org.getUnit(id);
  }
}

@ApiTags('org')
@Controller('people')
export class PeopleController {
  constructor(
    private readonly org: OrgService,
    private readonly notices: NoticesService,
  ) {}

  @Post() create(@Body() dto: CreatePersonDto) {
    return this.org.createPerson(dto);
  }

  @Get() list(@Query() q: PeopleListQueryDto) {
    return this.org.listPeople(q);
  }

  @Get(':id') get(@Param('id', ParseUUIDPipe) id: string) {
    return this.org.getPerson(id);
  }

  /** A person's inbox (收件箱): the notices delivered to them, newest first. */
  @Get(':id/notices') async inbox(@Param('id', ParseUUIDPipe) id: string, @Query() q: NoticeListQueryDto) {
    await this.org.getPerson(id);
    return this.notices.inbox(id, q);
  }
}
