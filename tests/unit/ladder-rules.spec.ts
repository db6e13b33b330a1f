import type { LadderRung } from '../../libs/domain/src/ladder';
import { ladderProblem } from '../../libs/domain/src/ladder-rules';

const rung = (key: string, members: unknown, name = { zh: '层级', en: 'rung' }) => ({ key, name, members }) as LadderRung;
const PERSON = '5b1f2f7e-3d7a-4c0e-9a51-0d6b6b1f0a11';

describe('ladderProblem: what a ladder must be', () => {
  test('a valid ladder has none', () => {
    expect(
      ladderProblem([
        rung('unit', { kind: 'responsible_unit' }),
        rung('county_x', { kind: 'role', role: 'county_leader', orgUnitId: PERSON }),
        rung('envoy', { kind: 'people', personIds: [PERSON] }),
      ]),
    ).toBeNull();
  });

  test.each([
    ['one rung', [rung('unit', { kind: 'responsible_unit' })], /^督办层级须有2至8级/],
    ['nine rungs', Array.from({ length: 9 }, (_, i) => rung(`r${i}x`, { kind: 'county_committee' })), /^督办层级须有2至8级/],
    ['twice the same key', [rung('unit', { kind: 'responsible_unit' }), rung('unit', { kind: 'county_committee' })], /^层级标识须为互不相同/],
    ['an upper-case key', [rung('unit', { kind: 'responsible_unit' }), rung('City', { kind: 'county_committee' })], /^层级标识须为互不相同/],
    ['no English name', [rung('unit', { kind: 'responsible_unit' }), rung('city', { kind: 'county_committee' }, { zh: '市', en: ' ' })], /^第2级（city）须有中文和英文名称/],
    ['an unknown rule', [rung('unit', { kind: 'responsible_unit' }), rung('city', { kind: 'everyone' })], /^第2级（city）：成员规则须为以下之一/],
    ['an unknown role', [rung('unit', { kind: 'responsible_unit' }), rung('city', { kind: 'role', role: 'mayor' })], /^第2级（city）：角色须为以下之一/],
    ['a unit that is not an id', [rung('unit', { kind: 'responsible_unit' }), rung('city', { kind: 'role', role: 'county_leader', orgUnitId: 'x' })], /单位标识须为UUID/],
    ['nobody named', [rung('unit', { kind: 'responsible_unit' }), rung('city', { kind: 'people', personIds: [] })], /指定人员须为1至50个/],
    ['a name for an id', [rung('unit', { kind: 'responsible_unit' }), rung('city', { kind: 'people', personIds: ['县长'] })], /指定人员须为1至50个/],
  ])('%s is refused', (_, rungs, why) => {
    expect(ladderProblem(rungs)?.zh).toMatch(why);
  });
});
