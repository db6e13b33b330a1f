/**
 * Serves the web console (the Vite build in dist/web) at `/` from the API
 * process itself: one `npm start`, no second server. Every path outside /api
 * that is not a file gets index.html (the console's router reads the path).
 * Its own security headers: the console's scripts, styles and fonts are all
 * its own files; antd writes its styles at run time, hence 'unsafe-inline'
 * for styles only.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

/** dist/web, found from the compiled file (dist/apps/api/src) or the source (apps/api/src, under Jest). */
export function webConsoleDir(): string | null {
  const candidates = [process.env.DUBAN_WEB_DIR, resolve(__dirname, '../../../web'), resolve(__dirname, '../../../dist/web')].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

export const webHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      fontSrc: ["'self'", 'data:'],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      // County intranets often serve plain http: upgrading the console's own requests to https would break it.
      upgradeInsecureRequests: null,
    },
  },
});

/** Middleware for every non-/api request: static files, then the SPA fallback. Null when there is no build. */
export function webConsole(dir: string | null = webConsoleDir()): ((req: Request, res: Response, next: NextFunction) => void) | null {
  if (!dir) return null;
  const index = join(dir, 'index.html');
  const files = express.static(dir, {
    index: false,
    fallthrough: true,
    // Hashed file names under assets/ never change; index.html must always be asked again.
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  // The console's scripts are ~1.6 MB as built and ~0.5 MB gzipped: on a county intranet or a
  // leader's phone that difference is the wait. Only the console's files: the API's SSE stream
  // must not sit in a compression buffer.
  const gzip = compression();
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    gzip(req, res, () =>
      files(req, res, () => {
        // A missing asset is a 404, not the app page (a stale chunk must fail loudly).
        if (req.path.startsWith('/assets/')) return next();
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(index);
      }),
    );
  };
}
