import { randomUUID } from 'node:crypto';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { loadConfig, requireAuthSecret } from '../../../libs/config/src';
import { AppModule } from './app.module';
import { ErrorsFilter } from './errors.filter';
import { withIdempotencyHeader } from './idempotency/openapi';
import { buildOpenApiDocument } from './openapi';
import { InputHygienePipe } from './input-hygiene';
import { validationPipe } from './validation';
import { webConsole, webHeaders } from './web-console';

/** Builds the HTTP API (not yet listening), so tests and main share one setup. */
export async function createApi(logLevels: LogLevel[] = ['error', 'warn', 'log']): Promise<INestApplication> {
  const cfg = loadConfig();
  requireAuthSecret(cfg); // stop at start-up, not at the first login
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: logLevels });
  // The client's address (req.ip, used by the rate limits and login protection) comes from
  // X-Forwarded-For only through the proxies named in TRUSTED_PROXIES; by default from the socket.
  app.set('trust proxy', cfg.TRUSTED_PROXIES);
  app.setGlobalPrefix('api');
  // Security headers. The API answers JSON only, so its policy allows nothing;
  // the docs page (Swagger UI) needs its own scripts and styles.
  const apiHeaders = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  const docsHeaders = helmet({
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
    },
  });
  const isApi = (path: string) => path === '/api' || path.startsWith('/api/');
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/api/docs') ? docsHeaders : isApi(req.path) ? apiHeaders : webHeaders)(req, res, next));
  // The web console (dist/web) at `/`, every other path but /api/… falling back to its index.html.
  const web = webConsole();
  if (web) app.use((req: Request, res: Response, next: NextFunction) => (isApi(req.path) ? next() : web(req, res, next)));
  app.enableCors({
    origin: cfg.CORS_ORIGINS.length ? cfg.CORS_ORIGINS : false,
    allowedHeaders: ['authorization', 'content-type', 'x-api-key', 'x-request-id', 'idempotency-key'],
    exposedHeaders: ['x-request-id', 'retry-after', 'idempotency-replayed'],
    maxAge: 600,
  });
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    req.id = given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', req.id);
    next();
  });
  // Hygiene first: validation then sees clean, normalised text (input-hygiene.ts).
  app.useGlobalPipes(new InputHygienePipe(), validationPipe);
  app.useGlobalFilters(new ErrorsFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, () => withIdempotencyHeader(buildOpenApiDocument(app)), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
