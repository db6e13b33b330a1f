import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { ConfigModule } from '../../config/src/config.module';
import { dataSourceOptions } from './data-source';

/** The PostgreSQL read model, shared by the API and the worker's activities. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule],
      inject: [DUBAN_CONFIG],
      useFactory: (cfg: DubanConfig) => ({ ...dataSourceOptions(cfg.DATABASE_URL, cfg.DATABASE_POOL_MAX), migrationsRun: false }),
    }),
  ],
})
export class PersistenceModule {}
