import { Injectable, Module } from '@nestjs/common';
import { CalendarStoreModule } from '../../calendar-store/src/calendar-store.module';
import { TemporalModule } from '../../temporal/src/temporal.module';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { DeliveryRelay } from './delivery-relay';
import { DeliveryActivities } from './delivery.activities';
import { DigestActivities } from './digest.activities';

/** The outbox's activities, for the worker's activity map in one piece. */
@Injectable()
export class OutboxActivities {
  constructor(
    private readonly delivery: DeliveryActivities,
    private readonly digest: DigestActivities,
    private readonly dispatcher: DeliveryDispatcher,
  ) {}

  all(): object[] {
    return [this.delivery, this.digest, this.dispatcher];
  }
}

/**
 * The outbox as the worker runs it: delivery and digest activities, and the
 * relay (LISTEN + sweep schedule + the digest workflow). Worker only: the
 * relay must not run in the API.
 */
@Module({
  imports: [TemporalModule, CalendarStoreModule],
  providers: [DeliveryActivities, DigestActivities, DeliveryDispatcher, DeliveryRelay, OutboxActivities],
  exports: [OutboxActivities, DeliveryDispatcher],
})
export class OutboxModule {}
