/**
 * The web console does not import server code, so it repeats the few names it shows
 * (apps/web/src/components/labels.ts). This proves the copies equal the domain's: a category,
 * stage or rung added or renamed in libs/domain fails here until the console says the same.
 */
import { BLOCKER_CATEGORY_NAMES, PROJECT_CATEGORY_NAMES, RUNG_NAMES, STAGES, STAGE_NAMES } from '../../apps/web/src/components/labels';
import { BLOCKER_CATEGORIES } from '../../libs/domain/src/blocker';
import { RUNG_LABELS } from '../../libs/domain/src/ladder';
import { PROJECT_CATEGORIES } from '../../libs/projects/src/project.entity';
import { STAGES as DOMAIN_STAGES, STAGE_NAMES as DOMAIN_STAGE_NAMES } from '../../libs/domain/src/lifecycle';

const zhOf = (t: Record<string, { zh: string }>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.zh]));

test('blocker categories: the same keys and Chinese names as libs/domain', () => {
  expect(zhOf(BLOCKER_CATEGORY_NAMES)).toEqual(BLOCKER_CATEGORIES);
});

test('project categories: the same keys and Chinese names as the project register', () => {
  expect(zhOf(PROJECT_CATEGORY_NAMES)).toEqual(PROJECT_CATEGORIES);
});

test('stages: the same order and names as libs/domain', () => {
  expect([...STAGES]).toEqual([...DOMAIN_STAGES]);
  expect(STAGE_NAMES).toEqual(DOMAIN_STAGE_NAMES);
});

test('the default ladder’s rungs: the same names as libs/domain', () => {
  expect(RUNG_NAMES).toEqual(RUNG_LABELS);
});
