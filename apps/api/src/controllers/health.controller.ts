import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators';
import { Client } from '@temporalio/client';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { temporalIsUp } from '../../../../libs/temporal/src/temporal.module';
import { StuckWorkStore } from '../../../../libs/stuck-work/src/stuck-work.store';
import { Answer, HealthAnswer } from '../dto/responses';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    private readonly temporal: Client,
    private readonly stuck: StuckWorkStore,
  ) {}

  /**
   * Database and Temporal status; 503 with Retry-After, naming what is down
   * (Chinese and English), when either is. `stuckWork` counts
   * activities that keep failing (listed at GET /api/admin/stuck-work): work
   * needing a look, not a reason to take the API out of service.
   */
  @Answer(HealthAnswer)
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, temporal] = await Promise.all([
      this.ds.query('SELECT 1').then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      temporalIsUp(this.temporal).then((up) => (up ? ('up' as const) : ('down' as const))),
    ]);
    const status = database === 'up' && temporal === 'up' ? 'ok' : 'degraded';
    const stuckWork = database === 'up' ? await this.stuck.count().catch(() => null) : null;
    if (status === 'ok') return { status, database, temporal, stuckWork };
    const down = [
      database === 'down' && { zh: '数据库（PostgreSQL）', en: 'the database (PostgreSQL)' },
      temporal === 'down' && { zh: '工作流服务（Temporal）', en: 'the workflow service (Temporal)' },
    ].filter((d) => !!d);
    res.status(503).setHeader('Retry-After', '5');
    return { status, database, temporal, stuckWork, message: `${down.map((d) => d.zh).join('、')}不可用`, messageEn: `${down.map((d) => d.en).join(' and ')} unreachable` };
  }
}
