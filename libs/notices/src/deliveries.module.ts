import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { TemporalModule } from '../../temporal/src/temporal.module';
import { DeliveriesService } from './deliveries.service';
import { DeliveryDispatcher } from './delivery-dispatcher';

/** The outbox for the API: the project office's view of deliveries and the retry of dead letters. */
@Module({
  imports: [TemporalModule, AuditModule],
  providers: [DeliveriesService, DeliveryDispatcher],
  exports: [DeliveriesService],
})
export class DeliveriesModule {}
