import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DUBAN_CONFIG, type DubanConfig } from '../../../../libs/config/src';
import { Allow } from '../auth/access.decorators';
import { Answer, SettingsAnswer } from '../dto/responses';

/** What a client needs of the deployment's settings to show its data as the organisation does. */
@ApiTags('settings')
@Controller('settings')
export class SettingsController {
  constructor(@Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig) {}

  /**
   * The organisation's time zone (DUBAN_TIME_ZONE): the console shows every date and time in it and reads
   * the dates people type as days there, whatever the zone of the browser. Any signed-in person may read it.
   */
  @Answer(SettingsAnswer)
  @Allow({ roles: 'any', scopes: ['projects:read'], duringPasswordChange: true })
  @Get()
  settings() {
    return { timeZone: this.cfg.DUBAN_TIME_ZONE };
  }
}
