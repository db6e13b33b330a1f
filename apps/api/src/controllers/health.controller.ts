import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { temporalIsUp } from '../../../../libs/temporal/src/temporal.module';
import { Answer, HealthAnswer } from '../dto/responses';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
  ) {}

  /** Database and Temporal status; 503 when either is down. */
  @Answer(HealthAnswer)
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, temporal] = await Promise.all([
      this.ds.query('SELECT 1').then(() => 'up' as const, () => 'down' as const),
      temporalIsUp(this.temporal).then((up) => (up ? ('up' as const) : ('down' as const))),
    ]);
    const status = database === 'up' && temporal === 'up' ? 'ok' : 'degraded';
    if (status !== 'ok') res.status(503);
    return { status, database, temporal };
  }
}
