/**
 * The web console's build. Root is apps/web; the output goes to <repo>/dist/web,
 * which the API serves at `/` (apps/api/src/web-console.ts). No React plugin:
 * Vite 8's built-in oxc transform compiles the JSX (automatic runtime).
 * `npm run build` sets NODE_ENV=production for this step: Jest's global setup
 * builds under NODE_ENV=test, which would otherwise give React's development
 * build (larger, and effects run twice), not what `npm start` serves.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(root, '../../dist/web'),
    emptyOutDir: true,
    // dist/web/.vite/manifest.json: which files each route loads (tests/support/bundle-size.ts measures the inbox's).
    manifest: true,
    // The CJK font's subsets are files of their own (never inlined), fetched only for the characters on screen.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // antd marks its files "use client" (for React Server Components); meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // The development server forwards the API (started separately with `npm start` or `npm run start:api`).
    proxy: { '/api': { target: process.env.DUBAN_API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
