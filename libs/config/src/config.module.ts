import { Global, Module } from '@nestjs/common';
import { DUBAN_CONFIG, loadConfig } from './index';

@Global()
@Module({
  providers: [{ provide: DUBAN_CONFIG, useFactory: () => loadConfig() }],
  exports: [DUBAN_CONFIG],
})
export class ConfigModule {}
