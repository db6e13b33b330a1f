/** The Temporal worker process: runs workflows and their activities until SIGINT/SIGTERM. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, LogLevel, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../../libs/config/src';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const sdkLevel: Record<typeof cfg.LOG_LEVEL, LogLevel> = { error: 'ERROR', warn: 'WARN', log: 'INFO', debug: 'DEBUG', verbose: 'TRACE' };
  Runtime.install({ logger: new DefaultLogger(sdkLevel[cfg.LOG_LEVEL]) });
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: [cfg.LOG_LEVEL, 'error', 'warn'] });
  app.enableShutdownHooks();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
