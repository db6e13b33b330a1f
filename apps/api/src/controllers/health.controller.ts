import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { temporalIsUp } from '../../../../libs/temporal/src/temporal.module';
import { StuckWorkStore } from '../../../../libs/stuck-work/src/stuck-work.store';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
    private readonly stuck: StuckWorkStore,
  ) {}

  /**
   * Database and Temporal status; 503 when either is down. `stuckWork` counts
   * activities that keep failing (listed at GET /api/admin/stuck-work): work
   * needing a look, not a reason to take the API out of service.
   */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, temporal] = await Promise.all([
      this.ds.query('SELECT 1').then(() => 'up' as const, () => 'down' as const),
      temporalIsUp(this.temporal).then((up) => (up ? ('up' as const) : ('down' as const))),
    ]);
    const status = database === 'up' && temporal === 'up' ? 'ok' : 'degraded';
    if (status !== 'ok') res.status(503);
    const stuckWork = database === 'up' ? await this.stuck.count().catch(() => null) : null;
    return { status, database, temporal, stuckWork };
  }
}
