import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StuckWorkStore } from './stuck-work.store';

/** Stuck work: activities that keep failing, for the project office and the health check. */
@Module({
  providers: [{ provide: StuckWorkStore, inject: [DataSource], useFactory: (ds: DataSource) => new StuckWorkStore(ds) }],
  exports: [StuckWorkStore],
})
export class StuckWorkModule {}
