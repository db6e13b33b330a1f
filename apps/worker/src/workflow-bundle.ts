import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerOptions, bundleWorkflowCode } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../../libs/temporal/src/binaries';

/** Where `npm run build` writes the prebuilt workflow bundle. */
export const BUNDLE_PATH = join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');
/** The workflows' TypeScript source, bundled directly when no prebuilt bundle exists (tests, development). */
export const WORKFLOWS_SOURCE = join(PROJECT_ROOT, 'workflows', 'index.ts');

/** The prebuilt bundle when present, else the source for the worker to bundle at start. */
export function workflowCode(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (process.env.DUBAN_BUNDLE_FROM_SOURCE !== '1' && existsSync(BUNDLE_PATH)) {
    return { workflowBundle: { code: readFileSync(BUNDLE_PATH, 'utf8') } };
  }
  return { workflowsPath: WORKFLOWS_SOURCE };
}

export async function buildBundle(): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_SOURCE, logger: quietLogger });
  return code;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
