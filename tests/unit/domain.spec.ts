/** Pure rules: durations, project codes, the ladder, policies, config, notice text, the audit chain, passwords. */
import { auditHash, canonicalJson } from '../../libs/audit/src/audit-chain';
import { ConfigError, loadConfig, requireAuthSecret } from '../../libs/config/src';
import { addResponseTime, parseResponseTime } from '../../libs/domain/src/duration';
import { RUNG_LABELS, isTopRung, nextRungIndex } from '../../libs/domain/src/ladder';
import { isProjectCode } from '../../libs/domain/src/project-code';
import { noticeText } from '../../libs/escalation/src/notice-text';
import { policyProblem } from '../../libs/domain/src/policy-rules';
import { passwordProblems } from '../../libs/identity/src/secrets';

describe('response times (ISO-8601 durations)', () => {
  test.each(['P3D', 'PT2H', 'PT10S', 'P1W', 'PT0.5S'])('%s is accepted', (t) => expect(parseResponseTime(t)).not.toBeNull());
  test.each(['3 days', '', 'P', 'PT0S', 'P0D', '-P1D', 'T2H', 'p3d'])('%p is refused', (t) => expect(parseResponseTime(t)).toBeNull());

  test('added on the organisation’s wall clock', () => {
    const from = Date.parse('2026-03-01T10:00:00+08:00');
    expect(new Date(addResponseTime(from, 'P3D')).toISOString()).toBe('2026-03-04T02:00:00.000Z');
    expect(new Date(addResponseTime(from, 'PT2H30M')).toISOString()).toBe('2026-03-01T04:30:00.000Z');
    // P1D across a daylight-saving change is "the same time tomorrow" there, not 24 h.
    const ny = Date.parse('2026-03-07T12:00:00-05:00');
    expect(addResponseTime(ny, 'P1D', 'America/New_York') - ny).toBe(23 * 3_600_000);
    expect(() => addResponseTime(from, 'soon')).toThrow(/invalid response time: soon/);
  });
});

describe('project codes (GB/T 40058-2021, 24 characters)', () => {
  test.each(['2026-341122-48-01-000011', '2019-110105-65-03-01234X'])('%s is a project code', (c) => expect(isProjectCode(c)).toBe(true));
  test.each(['2026-341122-48-01-00001', '2026-341122-48-01-0000111', '2026/341122-48-01-000011', '2026-341122-48-01-00001x', ''])('%p is not', (c) =>
    expect(isProjectCode(c)).toBe(false),
  );
});

describe('the ladder', () => {
  const rungs = ['unit', 'liaison', 'county'];
  test('next rung and top rung', () => {
    expect(nextRungIndex(rungs, 0)).toBe(1);
    expect(nextRungIndex(rungs, 2)).toBeNull();
    expect([0, 1, 2].map((i) => isTopRung(rungs, i))).toEqual([false, false, true]);
  });

  test('a policy follows the ladder from its first rung, each rung with a positive duration', () => {
    const ladder = ['unit', 'liaison', 'county'];
    const ok = [
      { rung: 'unit', responseTime: { unit: 'workingDays' as const, amount: 5 }, warningBefore: { unit: 'workingDays' as const, amount: 1 } },
      { rung: 'liaison', responseTime: 'P5D' },
      { rung: 'county', responseTime: { unit: 'workingHours' as const, amount: 16 }, warningBefore: { fraction: 0.25 } },
    ];
    expect(policyProblem({ rungs: ok, repeatEvery: 'P1D' }, ladder)).toBeNull();
    expect(policyProblem({ rungs: [] }, ladder)?.en).toBe('A policy needs at least one rung');
    expect(policyProblem({ rungs: ok.slice(0, 2) }, ladder)?.en).toBe("A policy sets a time for each of the ladder's 3 rungs");
    expect(policyProblem({ rungs: [ok[1], ok[0], ok[2]] }, ladder)?.en).toBe('rung 1 must be unit');
    expect(policyProblem({ rungs: [{ rung: 'unit', responseTime: 'PT0S' }, ok[1], ok[2]] }, ladder)?.zh).toBe('层级 unit 的办理时限不是有效的 ISO-8601 时长：PT0S');
    expect(policyProblem({ rungs: [{ rung: 'unit', responseTime: { unit: 'workingDays', amount: 0 } }, ok[1], ok[2]] }, ladder)?.en).toBe(
      'rung unit responseTime: the amount must be a whole number from 1 to 365',
    );
    expect(policyProblem({ rungs: [{ ...ok[0], warningBefore: { fraction: 1.5 } }, ok[1], ok[2]] }, ladder)?.en).toBe(
      'rung unit warningBefore: the warning fraction must be between 0 and 1',
    );
    expect(policyProblem({ rungs: ok, repeatEvery: 'weekly' }, ladder)?.en).toBe('repeatEvery: weekly is not a positive ISO-8601 duration');
  });
});

describe('configuration', () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/d' };
  test('defaults', () => {
    const c = loadConfig(base);
    expect([c.TEMPORAL_ADDRESS, c.TEMPORAL_TASK_QUEUE, c.API_PORT, c.DUBAN_TIME_ZONE, c.CORS_ORIGINS]).toEqual(['127.0.0.1:7233', 'duban', 3000, 'Asia/Shanghai', []]);
  });

  test('every wrong value is named, with what it should be', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', API_PORT: '99999', DUBAN_TIME_ZONE: 'Mars/Olympus', TEMPORAL_ADDRESS: 'nohost', CORS_ORIGINS: 'evil', DUBAN_AUTH_SECRET: 'short' });
      throw new Error('should have failed');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const fields = (e as ConfigError).problems.map((p) => p.split(':')[0]).sort();
      expect(fields).toEqual(['API_PORT', 'CORS_ORIGINS', 'DATABASE_URL', 'DUBAN_AUTH_SECRET', 'DUBAN_TIME_ZONE', 'TEMPORAL_ADDRESS']);
    }
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required/);
    expect(() => requireAuthSecret(loadConfig(base))).toThrow(/DUBAN_AUTH_SECRET: required by the API/);
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.gov.cn, http://b.gov.cn:8080' }).CORS_ORIGINS).toEqual(['https://a.gov.cn', 'http://b.gov.cn:8080']);
  });
});

describe('notice text', () => {
  const c = {
    projectName: '城南污水处理厂扩建工程',
    blockerTitle: '3户拆迁户未签订补偿协议',
    category: 'relocation' as const,
    rung: RUNG_LABELS.liaison,
    fromRung: RUNG_LABELS.unit,
    dueAt: '2026-10-10T10:00:00.000Z',
    zone: 'Asia/Shanghai',
  };
  test('an escalation notice carries its number and names the project, the matter, both rungs and the local due time', () => {
    const t = noticeText('escalation', { ...c, documentNo: '督办〔2026〕12号' });
    expect(t.title).toBe('【督办】城南污水处理厂扩建工程：3户拆迁户未签订补偿协议');
    expect(t.body).toBe('督办〔2026〕12号　该问题在责任单位层级逾期未解决，现提级至包联领导督办，请于2026-10-10 18:00:00前协调解决。');
    expect(noticeText('copy', { ...c, documentNo: '督办〔2026〕12号' }).body).toMatch(/^督办〔2026〕12号　/);
    expect(t.bodyEn).toContain('now escalates to the liaison leader; please resolve it by 2026-10-10 18:00:00 (Asia/Shanghai)');
  });
  test('an assignment notice names the category in Chinese', () => {
    expect(noticeText('assigned', { ...c, rung: RUNG_LABELS.unit }).body).toBe(
      '项目“城南污水处理厂扩建工程”报告征迁问题“3户拆迁户未签订补偿协议”，由责任单位办理，请于2026-10-10 18:00:00前办结。',
    );
  });
});

describe('audit chain hashing', () => {
  const row = {
    seq: '1',
    at: new Date('2026-11-23T01:02:03.456Z'),
    actorKind: 'person',
    actorId: 'p',
    actorName: '甲',
    action: 'a',
    targetType: 't',
    targetId: 'x',
    before: null,
    after: { b: 1, a: [2, { d: 1, c: 2 }] },
    reason: null,
    requestId: 'r',
  };
  test('key order does not matter; content and the previous hash do', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
    const h = auditHash(null, row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(null, { ...row, after: { a: [2, { c: 2, d: 1 }], b: 1 } })).toBe(h);
    expect(auditHash(null, { ...row, actorName: '乙' })).not.toBe(h);
    expect(auditHash('0'.repeat(64), row)).not.toBe(h);
  });
});

describe('password policy', () => {
  test.each([
    ['short1', 'u', /10至200/],
    ['onlyletterslong', 'u', /字母和数字/],
    ['1234567890123', 'u', /字母和数字/],
    ['wangjianguo2026', 'wangjianguo', /用户名/],
  ])('%s is refused', (pw, user, why) => expect(passwordProblems(pw, user)?.zh).toMatch(why));
  test('a good one passes', () => expect(passwordProblems('Correct-horse-42', 'wang')).toBeNull());
});
