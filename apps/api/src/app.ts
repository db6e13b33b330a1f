import { randomUUID } from 'node:crypto';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { ErrorsFilter } from './errors.filter';
import { validationPipe } from './validation';

/** Builds the HTTP API (not yet listening), so tests and main share one setup. */
export async function createApi(logLevels: LogLevel[] = ['error', 'warn', 'log']): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, { logger: logLevels });
  app.setGlobalPrefix('api');
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    req.id = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', req.id);
    next();
  });
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ErrorsFilter());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Duban 督办 API')
    .setDescription('重点项目层级督办：问题上报、逾期自动提级、督办通知 / Key-project escalation engine')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
