/**
 * The buttons a matter page shows come from allowedActions, which asks the same
 * `refusal` rule the API and the workflow apply: what it offers is what would
 * be accepted (with well-formed input), and nothing else.
 */
import { allowedActions } from '../../libs/domain/src/blocker-rules';
import type { ActingPerson, BlockerState } from '../../libs/domain/src/blocker';
import { DEFAULT_LADDER_RUNGS } from '../../libs/domain/src/ladder';

const NOW = Date.parse('2026-12-01T02:00:00Z');
const person = (p: Partial<ActingPerson>): ActingPerson => ({ personId: 'p1', name: '某人', rungs: [], reporter: false, office: false, supervision: false, requestId: 'r', ...p });
const open = (s: Partial<BlockerState> = {}): BlockerState =>
  ({
    blockerId: 'b1',
    status: 'open',
    rungIndex: 0,
    rung: 'unit',
    dueAt: '2026-12-05T02:00:00Z',
    responsibleUnitId: 'u1',
    acknowledgedBy: [],
    extension: null,
    reopenUntil: null,
    ...s,
  }) as BlockerState;
const offered = (a: Partial<ActingPerson>, s?: Partial<BlockerState>) => allowedActions(person(a), open(s), DEFAULT_LADDER_RUNGS, NOW);

test('the unit on its own rung: acknowledge, progress, resolve, escalate, ask for more time; no decisions above it', () => {
  expect(offered({ rungs: ['unit'] })).toEqual(['acknowledge', 'progress', 'resolve', 'escalateNow', 'requestExtension']);
  expect(offered({ rungs: ['unit'] }, { acknowledgedBy: ['p1'] })).not.toContain('acknowledge');
  expect(offered({ rungs: ['unit'] }, { dueAt: '2026-11-30T00:00:00Z' })).not.toContain('requestExtension');
});

test('the liaison leader above the unit: decides a pending extension, transfers, resolves; does not acknowledge for the unit', () => {
  const s = { extension: { until: '2026-12-10T02:00:00Z', reason: '征迁协商' } } as Partial<BlockerState>;
  const got = offered({ rungs: ['liaison'] }, s);
  expect(got).toEqual(expect.arrayContaining(['grantExtension', 'refuseExtension', 'transfer', 'resolve', 'progress']));
  expect(got).not.toContain('acknowledge');
  expect(got).not.toContain('requestExtension');
});

test('supervision reminds only; a resolved matter offers reopening to its reporter within the period, nothing after', () => {
  expect(offered({ supervision: true })).toEqual(['remind']);
  expect(offered({ reporter: true }, { status: 'resolved', reopenUntil: '2026-12-03T00:00:00Z' })).toEqual(['reopen']);
  expect(offered({ reporter: true }, { status: 'resolved', reopenUntil: '2026-11-30T00:00:00Z' })).toEqual([]);
  expect(offered({}, {})).toEqual([]);
});
