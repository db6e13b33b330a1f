/**
 * The pure rules behind the lifecycle and approval workflows: what a plan must
 * look like, and who may do what to a stage or an approval item, in which state.
 */
import { type ApprovalActor, type ApprovalItemState, approvalRefusal } from '../../libs/domain/src/approval';
import { STAGES } from '../../libs/domain/src/lifecycle';
import { type LifecycleActor, type LifecycleState, type StagePlan, lifecycleRefusal, planProblem } from '../../libs/domain/src/lifecycle-plan';

const plan = (days: string[], na: Partial<Record<number, string>> = {}): StagePlan[] =>
  STAGES.map((stage, i) => ({ stage, dueOn: days[i], dueAt: '', warnAt: '', notApplicable: na[i] ?? null }));

describe('planProblem', () => {
  test('five stages in order, due days not going backwards (n/a stages skipped)', () => {
    expect(planProblem(plan(['2027-01-31', '2027-03-31', '2027-06-30', '2027-07-31', '2028-12-31']))).toBeNull();
    expect(planProblem(plan(['2027-01-31', '2026-03-31', '2027-06-30', '2027-07-31', '2028-12-31']))).toMatchObject({
      type: 'Invalid',
      stage: 'approval',
      zh: '审批阶段的完成时限不能早于前一阶段',
    });
    expect(planProblem(plan(['2027-01-31', '2027-03-31', '2020-01-01', '2027-07-31', '2028-12-31'], { 2: '已取得' }))).toBeNull();
    expect(planProblem(plan(['2027-01-31', '2027-3-31', '2027-06-30', '2027-07-31', '2028-12-31']))).toMatchObject({ stage: 'approval', type: 'Invalid' });
    expect(planProblem(plan(['2027-01-31', '2027-03-31', '2027-06-30', '2027-07-31', '2028-12-31']).slice(0, 4))).toMatchObject({ type: 'Invalid' });
    expect(planProblem([...plan(['2027-01-31', '2027-03-31', '2027-06-30', '2027-07-31', '2028-12-31'])].reverse())).toMatchObject({ type: 'Invalid' });
  });
});

describe('lifecycleRefusal', () => {
  const who = (x: Partial<LifecycleActor>): LifecycleActor => ({ personId: 'p', name: 'n', office: false, liaison: false, unit: false, ...x });
  const state = (over: Partial<LifecycleState['stages'][number]> = {}): LifecycleState => ({
    projectId: 'x',
    revision: 1,
    confirmCompletion: true,
    pendingReplan: null,
    lateStartBlockerId: null,
    completedAt: null,
    stages: plan(['2027-01-31', '2027-03-31', '2027-06-30', '2027-07-31', '2028-12-31']).map((p, i) => ({
      ...p,
      state: i === 0 ? 'active' : 'pending',
      colour: null,
      activatedAt: null,
      doneAt: null,
      completedOn: null,
      evidence: [],
      reported: null,
      scheduleBlockerId: null,
      ...(i === 0 ? over : {}),
    })),
  });
  const report = { action: 'reportCompletion' as const, stage: 'planning' as const, completedOn: '2026-11-23', evidence: [{ title: '批复' }], note: '' };
  test('completion: the unit or the office, with evidence, once; the start stage needs its permit', () => {
    expect(lifecycleRefusal({ ...report, actor: who({ unit: true }) }, state())).toBeNull();
    expect(lifecycleRefusal({ ...report, actor: who({ liaison: true }) }, state())).toMatchObject({ type: 'Forbidden' });
    expect(lifecycleRefusal({ ...report, evidence: [{ title: ' ' }], actor: who({ unit: true }) }, state())).toMatchObject({ type: 'Invalid' });
    expect(lifecycleRefusal({ ...report, actor: who({ unit: true }) }, state({ state: 'done' }))).toMatchObject({ type: 'Conflict' });
    expect(lifecycleRefusal({ ...report, stage: 'start', actor: who({ unit: true }) }, state())).toMatchObject({ type: 'Invalid', zh: expect.stringContaining('施工许可') });
    expect(lifecycleRefusal({ ...report, stage: 'start', evidence: [{ title: '建筑工程施工许可证', number: '1' }], actor: who({ unit: true }) }, state())).toBeNull();
  });
  test('replanning: the unit asks once at a time; the liaison leader or office decides; refusing needs a reason', () => {
    const ask = { action: 'requestReplan' as const, plan: state().stages, reason: '征迁推迟', requestId: 'r' };
    expect(lifecycleRefusal({ ...ask, actor: who({ unit: true }) }, state())).toBeNull();
    expect(lifecycleRefusal({ ...ask, actor: who({ liaison: true }) }, state())).toMatchObject({ type: 'Forbidden' });
    const pending = { ...state(), pendingReplan: { id: 'r', plan: [], reason: '', requestedBy: 'p', requestedByName: 'n', requestedAt: '' } };
    expect(lifecycleRefusal({ ...ask, actor: who({ unit: true }) }, pending)).toMatchObject({ type: 'Conflict' });
    expect(lifecycleRefusal({ action: 'decideReplan', grant: true, reason: '', actor: who({ liaison: true }) }, pending)).toBeNull();
    expect(lifecycleRefusal({ action: 'decideReplan', grant: false, reason: '', actor: who({ office: true }) }, pending)).toMatchObject({ type: 'Invalid' });
    expect(lifecycleRefusal({ action: 'decideReplan', grant: true, reason: '', actor: who({ unit: true }) }, pending)).toMatchObject({ type: 'Forbidden' });
    expect(lifecycleRefusal({ action: 'decideReplan', grant: true, reason: '', actor: who({ office: true }) }, state())).toMatchObject({ type: 'Conflict' });
  });
});

describe('approvalRefusal', () => {
  const who = (x: Partial<ApprovalActor>): ApprovalActor => ({ personId: 'p', name: 'n', department: false, applicant: false, office: false, ...x });
  const s = (over: Partial<ApprovalItemState> = {}): ApprovalItemState => ({
    itemId: 'i',
    status: 'submitted',
    submittedAt: '',
    deemedAcceptAt: null,
    acceptedAt: null,
    clockStart: null,
    usedDays: 0,
    remainingDays: 5,
    dueAt: null,
    warnAt: null,
    warned: false,
    pausedSince: null,
    pausedDays: 0,
    supplement: null,
    deficiency: null,
    verification: null,
    escalationBlockerId: null,
    applicantBlockerId: null,
    verificationBlockerId: null,
    decidedAt: null,
    reason: null,
    documentNo: null,
    ...over,
  });
  const dept = who({ department: true });
  test('only the item’s own department decides; the applicant supplies', () => {
    expect(approvalRefusal({ action: 'accept', actor: who({ office: true, applicant: true }) }, s(), { acceptWithDeficiencies: false })).toMatchObject({ type: 'Forbidden' });
    expect(approvalRefusal({ action: 'accept', actor: dept }, s(), { acceptWithDeficiencies: false })).toBeNull();
    expect(approvalRefusal({ action: 'supplyMaterial', note: '', actor: dept }, s({ status: 'supplement_requested' }), { acceptWithDeficiencies: false })).toMatchObject({
      type: 'Forbidden',
    });
    expect(
      approvalRefusal({ action: 'supplyMaterial', note: '', actor: who({ applicant: true }) }, s({ status: 'supplement_requested' }), { acceptWithDeficiencies: false }),
    ).toBeNull();
  });
  test('states: approve only once accepted; reject and supplement need their reasons; decided is final', () => {
    expect(approvalRefusal({ action: 'approve', actor: dept }, s(), { acceptWithDeficiencies: false })).toMatchObject({ type: 'Conflict' });
    expect(approvalRefusal({ action: 'approve', actor: dept }, s({ status: 'under_review' }), { acceptWithDeficiencies: false })).toBeNull();
    expect(approvalRefusal({ action: 'reject', reason: '', actor: dept }, s({ status: 'accepted' }), { acceptWithDeficiencies: false })).toMatchObject({ type: 'Invalid' });
    expect(approvalRefusal({ action: 'requestSupplement', missing: [], reason: 'x', actor: dept }, s(), { acceptWithDeficiencies: false })).toMatchObject({ type: 'Invalid' });
    expect(approvalRefusal({ action: 'approve', actor: dept }, s({ status: 'approved' }), { acceptWithDeficiencies: false })).toMatchObject({
      type: 'Conflict',
      zh: '该审批事项已办结',
    });
  });
  test('accept with deficiencies only where allowed, listing what is missing', () => {
    const def = { missing: ['资信证明'], commitOn: '2026-12-01', commitAt: '' };
    expect(approvalRefusal({ action: 'accept', deficiencies: def, actor: dept }, s(), { acceptWithDeficiencies: false })).toMatchObject({ type: 'Conflict' });
    expect(approvalRefusal({ action: 'accept', deficiencies: def, actor: dept }, s(), { acceptWithDeficiencies: true })).toBeNull();
    expect(approvalRefusal({ action: 'accept', deficiencies: { ...def, missing: [''] }, actor: dept }, s(), { acceptWithDeficiencies: true })).toMatchObject({ type: 'Invalid' });
  });
});
