/**
 * What JavaScript a route of the web console loads, gzipped, measured from the
 * build (dist/web and Vite's manifest): the entry with its static imports,
 * plus the route's lazily loaded page file with its static imports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export const WEB_DIST = join(PROJECT_ROOT, 'dist', 'web');

export function routeJs(pageSource: string, dist = WEB_DIST): { files: { file: string; gzip: number }[]; gzipBytes: number } {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`no ${manifestPath}: run npm run build`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`not in the manifest: ${key}`);
    seen.add(key);
    for (const i of chunk.imports ?? []) visit(i);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('no entry in the manifest');
  visit(entry);
  visit(pageSource);
  const files = [...seen]
    .map((k) => manifest[k].file)
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, gzip: gzipSync(readFileSync(join(dist, file)), { level: 9 }).length }));
  return { files, gzipBytes: files.reduce((s, f) => s + f.gzip, 0) };
}
