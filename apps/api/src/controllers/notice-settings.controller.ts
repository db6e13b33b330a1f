import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { ContactPointsService } from '../../../../libs/notice-settings/src/contact-points.service';
import { NoticeChannelsService } from '../../../../libs/notice-settings/src/notice-channels.service';
import { NoticeSettingsService } from '../../../../libs/notice-settings/src/notice-settings.service';
import { PreferencesService } from '../../../../libs/notice-settings/src/preferences.service';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { ReasonTextDto } from '../dto/blocker.dto';
import { ChannelTestDto, ContactPointsDto, CreateChannelDto, DefaultPreferencesDto, NoticeSettingsDto, PreferencesDto, UpdateChannelDto } from '../dto/notice-settings.dto';
import { Answer } from '../dto/responses';
import { ChannelTestAnswer, ContactPointsAnswer, NoticeChannelAnswer, NoticeSettingsAnswer, PreferencesAnswer } from '../dto/notice-settings.responses';

/** Any logged-in person reaches the route; the service admits the person themself or the project office. */
const SELF_OR_OFFICE = { roles: 'any' } as const;

/** Where a person is reached: mobile, e-mail, DingTalk / WeCom user id, Feishu open id. */
@ApiTags('notice settings')
@Controller('people')
export class ContactPointsController {
  constructor(
    private readonly contacts: ContactPointsService,
    private readonly preferences: PreferencesService,
  ) {}

  /** Read by the person, the project office, or a system allowed to write people (the contact privacy rule). */
  @Answer(ContactPointsAnswer)
  @Allow({ roles: 'any', scopes: ['org:write'] })
  @Get(':id/contact-points')
  get(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.contacts.get(ctx, id);
  }

  /** Set by the person or the project office; a field left out stays, null removes it. */
  @Answer(ContactPointsAnswer)
  @Allow(SELF_OR_OFFICE)
  @Put(':id/contact-points')
  set(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ContactPointsDto) {
    return this.contacts.set(ctx, id, dto);
  }

  /** Per notice kind: the channels and digest that apply, and whether they are the person's own, the office's default or built in. */
  @Answer(PreferencesAnswer)
  @Allow(SELF_OR_OFFICE)
  @Get(':id/notice-preferences')
  preferencesOf(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.preferences.get(ctx, id);
  }

  /** The person's own choices, within the channels the office allows; urgent kinds never go into the digest. */
  @Answer(PreferencesAnswer)
  @Allow(SELF_OR_OFFICE)
  @Put(':id/notice-preferences')
  setPreferences(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: PreferencesDto) {
    return this.preferences.set(ctx, id, dto.preferences, dto.reason ?? null);
  }
}

/** The organisation's defaults per notice kind (person_id NULL), kept by the project office. */
@ApiTags('notice settings')
@Controller('notice-preferences')
export class NoticePreferenceDefaultsController {
  constructor(private readonly preferences: PreferencesService) {}

  @Answer(PreferencesAnswer)
  @Allow(OFFICE_ONLY)
  @Get('defaults')
  get(@Ctx() ctx: RequestContext) {
    return this.preferences.get(ctx, null);
  }

  @Answer(PreferencesAnswer)
  @Allow(OFFICE_ONLY)
  @Put('defaults')
  set(@Ctx() ctx: RequestContext, @Body() dto: DefaultPreferencesDto) {
    return this.preferences.set(ctx, null, dto.preferences, dto.reason);
  }
}

/** Quiet hours, digest time, urgent kinds, allowed channels, delivery attempts: one set for the organisation. */
@ApiTags('notice settings')
@Controller('notice-settings')
export class NoticeSettingsController {
  constructor(private readonly settings: NoticeSettingsService) {}

  @Answer(NoticeSettingsAnswer)
  @Allow({ roles: 'any' })
  @Get()
  get() {
    return this.settings.get();
  }

  /** The project office; a field left out stays; the reason is recorded with the before and after. */
  @Answer(NoticeSettingsAnswer)
  @Allow(OFFICE_ONLY)
  @Put()
  update(@Ctx() ctx: RequestContext, @Body() dto: NoticeSettingsDto) {
    return this.settings.update(ctx, dto);
  }
}

/** The county's provider accounts and group robots; secrets never leave masked. */
@ApiTags('notice settings')
@Controller('notice-channels')
export class NoticeChannelsController {
  constructor(private readonly channels: NoticeChannelsService) {}

  @Answer(NoticeChannelAnswer, { isArray: true })
  @Allow(OFFICE_ONLY)
  @Get()
  list() {
    return this.channels.list();
  }

  @Answer(NoticeChannelAnswer)
  @Allow(OFFICE_ONLY)
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.channels.get(id);
  }

  /** Settings are checked by the channel's adapter; a group channel names the rungs or units whose notices it carries. */
  @Answer(NoticeChannelAnswer)
  @Allow(OFFICE_ONLY)
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateChannelDto) {
    return this.channels.create(ctx, dto);
  }

  /** Settings given are merged over the stored ones; a masked value sent back unchanged keeps the secret. */
  @Answer(NoticeChannelAnswer)
  @Allow(OFFICE_ONLY)
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateChannelDto) {
    return this.channels.update(ctx, id, dto);
  }

  /** Disables the channel (kept for the deliveries that went through it); PATCH enabled=true brings it back. */
  @Answer(NoticeChannelAnswer)
  @Allow(OFFICE_ONLY)
  @Delete(':id')
  @HttpCode(200)
  disable(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonTextDto) {
    return this.channels.disable(ctx, id, dto.reason);
  }

  /** Sends a test message through the adapter and answers what the provider said. */
  @Answer(ChannelTestAnswer)
  @Allow(OFFICE_ONLY)
  @Post(':id/test')
  @HttpCode(200)
  test(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ChannelTestDto) {
    return this.channels.sendTest(ctx, id, dto.address);
  }
}
