import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { DeliveriesService } from '../../../../libs/notices/src/deliveries.service';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { ReasonTextDto } from '../dto/blocker.dto';
import { DeliveriesQueryDto, DeliveryAnswer, DeliveryDetailAnswer, DeliveryPageAnswer } from '../dto/delivery.dto';
import { Answer } from '../dto/responses';

/** The outbox (投递记录) and its dead-letter list, for the project office: what was sent where, what failed, and retrying it. */
@ApiTags('deliveries')
@Allow(OFFICE_ONLY)
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  /** Deliveries by status, newest first; `status=dead` is the dead-letter list. */
  @Answer(DeliveryPageAnswer)
  @Get()
  list(@Query() q: DeliveriesQueryDto) {
    return this.deliveries.list(q);
  }

  /** One delivery with every attempt and the provider's answer to each. */
  @Answer(DeliveryDetailAnswer)
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.deliveries.get(id);
  }

  /** Sends a dead delivery again (attempts start afresh); recorded in the audit log with the reason. */
  @Answer(DeliveryAnswer)
  @Post(':id/retry')
  @HttpCode(200)
  retry(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonTextDto) {
    return this.deliveries.retry(ctx, id, dto.reason);
  }
}
