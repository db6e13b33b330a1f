/** Part of `npm run build`: writes the workflow bundle; exits non-zero on failure so a broken build is seen. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BUNDLE_PATH, buildBundle } from './workflow-bundle';

buildBundle()
  .then((code) => {
    mkdirSync(dirname(BUNDLE_PATH), { recursive: true });
    writeFileSync(BUNDLE_PATH, code);
  })
  .catch((err) => {
    console.error('workflow bundle failed:', err);
    process.exit(1);
  });
