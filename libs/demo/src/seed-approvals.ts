/**
 * The demo's approvals: clerks in the approval departments, their county
 * leaders in charge, and three projects in the approval stage — one on the
 * green channel with every item of the stage submitted at once (one approved
 * on commitment, some accepted, the start stage's permit alongside), two
 * submitting item by item.
 */
type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

interface Plan {
  stages: { stage: string; lanes: { id: string; name: string; departmentId: string; status: string }[] }[];
}

export async function seedApprovals(asOffice: Call, asClerk: Call, projects: { id: string }[]): Promise<{ items: number; green: string }> {
  // Projects whose planning is done and approval is the current stage (seed-lifecycle: index % 5 === 1).
  const [green, ...others] = [projects[1], projects[6], projects[11]];
  let items = 0;
  await asOffice('PUT', `/projects/${green.id}/green-channel`, { reason: '县重点项目，纳入审批绿色通道（演示）' });
  const plan = await asOffice<Plan>('PUT', `/projects/${green.id}/approval-plan`, { reason: '按项目类别确定审批事项（演示）' });
  const lanes = plan.stages.find((s) => s.stage === 'approval')?.lanes ?? [];
  items += plan.stages.reduce((n, s) => n + s.lanes.length, 0);
  const energy = lanes.find((l) => l.name.includes('节能审查'));
  if (energy) await asOffice('POST', `/approval-items/${energy.id}/submit`, { commitment: '本单位承诺项目符合节能审查要求，并接受事后核查（演示）' });
  await asOffice('POST', `/projects/${green.id}/approval-stages/approval/submit`);
  // On the green channel the start stage's permit is prepared alongside, so 县住建局's clerk (the printed `approval`) has work too.
  if (plan.stages.some((s) => s.stage === 'start' && s.lanes.some((l) => l.status === 'planned'))) await asOffice('POST', `/projects/${green.id}/approval-stages/start/submit`);
  // The clerk of 县自然资源局 accepts that department's items; the others wait with their clocks running.
  for (const l of lanes.filter((x) => /规划许可|用地预审/.test(x.name))) await asClerk('POST', `/approval-items/${l.id}/accept`, {});
  for (const p of others) {
    const o = await asOffice<Plan>('PUT', `/projects/${p.id}/approval-plan`, { reason: '按项目类别确定审批事项（演示）' });
    items += o.stages.reduce((n, s) => n + s.lanes.length, 0);
    const first = o.stages.find((s) => s.stage === 'approval')?.lanes.find((l) => l.name.includes('用地预审'));
    if (first) {
      await asOffice('POST', `/approval-items/${first.id}/submit`, {});
      await asClerk('POST', `/approval-items/${first.id}/accept`, {});
    }
  }
  return { items, green: green.id };
}
