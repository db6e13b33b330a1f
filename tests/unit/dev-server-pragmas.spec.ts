import { sqlitePragmas } from '../../apps/stack/src/temporal-server';

// The embedded dev server's SQLite file: WAL with synchronous=normal unless told otherwise (its default journal doubled its CPU per escalation).
describe('the dev server SQLite pragmas', () => {
  it('defaults to WAL with synchronous=normal', () => {
    expect(sqlitePragmas({})).toEqual(['journal_mode=wal', 'synchronous=normal']);
  });

  it('takes TEMPORAL_SQLITE_PRAGMAS, and none for SQLite’s own defaults', () => {
    expect(sqlitePragmas({ TEMPORAL_SQLITE_PRAGMAS: 'journal_mode=delete, synchronous=full' })).toEqual(['journal_mode=delete', 'synchronous=full']);
    expect(sqlitePragmas({ TEMPORAL_SQLITE_PRAGMAS: 'none' })).toEqual([]);
  });

  it('refuses a value that is not PRAGMA=VALUE, naming the variable', () => {
    expect(() => sqlitePragmas({ TEMPORAL_SQLITE_PRAGMAS: 'journal_mode' })).toThrow(/TEMPORAL_SQLITE_PRAGMAS: "journal_mode" is not PRAGMA=VALUE/);
    expect(() => sqlitePragmas({ TEMPORAL_SQLITE_PRAGMAS: 'synchronous=off; DROP' })).toThrow(/TEMPORAL_SQLITE_PRAGMAS/);
  });
});
