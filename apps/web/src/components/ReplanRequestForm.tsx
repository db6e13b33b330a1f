/**
 * 调整计划申请: the project's responsible unit (or the project office) asks for new due days of the five
 * stages, with its reason (POST /api/projects/{id}/replan-requests); the liaison leader or the office then
 * decides it in the list of requests. A day left empty keeps the current plan's; settled stages (done, not
 * applicable) keep theirs, as the workflow leaves them. Days are calendar days: a day picked is sent as
 * that day (dayjs's format of the picked cell), whatever zone the browser is in.
 */
import { Button, DatePicker, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { post } from '../api';
import { useAuth } from '../auth';
import { formatDay } from '../format';
import { useI18n } from '../i18n';
import { STAGE_NAMES, nameOf } from './labels';
import { RefusalAlert } from './RefusalAlert';

export interface PlannedStage {
  stage: string;
  state: string;
  dueOn: string | null;
  startsOn?: string | null;
  notApplicable: string | null;
}

/**
 * Who the lifecycle lets report a stage or ask for a replan (libs/domain lifecycle-plan.ts
 * lifecycleRefusal): the office, or staff/head of the project's own responsible unit.
 */
export function unitOrOffice(roles: string[], orgUnitId: string | null, responsibleUnitId: string): boolean {
  return roles.includes('project_office') || ((roles.includes('unit_staff') || roles.includes('unit_head')) && orgUnitId === responsibleUnitId);
}

type Picked = { format(f: string): string } | null | undefined;

export function ReplanRequestButton({
  projectId,
  responsibleUnitId,
  stages,
  onDone,
}: {
  projectId: string;
  responsibleUnitId: string;
  stages: PlannedStage[];
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  if (!session || !unitOrOffice(session.person.roles, session.person.orgUnitId, responsibleUnitId) || stages.length !== 5) return null;

  const submit = async (v: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const plan = stages.map((s) => {
        const picked = v[`due-${s.stage}`] as Picked;
        return {
          stage: s.stage,
          dueOn: picked ? picked.format('YYYY-MM-DD') : (s.dueOn ?? ''),
          ...(s.startsOn && { startsOn: s.startsOn }),
          ...(s.notApplicable && { notApplicable: s.notApplicable }),
        };
      });
      await post(`/projects/${projectId}/replan-requests`, { stages: plan, reason: String(v.reason ?? '') });
      setOpen(false);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        {t('申请调整计划', 'Request a new plan')}
      </Button>
      <Modal
        open={open}
        title={t('调整计划申请', 'Replanning request')}
        okText={t('提交', 'Submit')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {error ? <RefusalAlert error={error} /> : null}
        <p>{t('填写各阶段新的计划完成日期；不填的阶段沿用现计划。', 'Give each stage its new due day; a stage left empty keeps its current one.')}</p>
        <Form form={form} name="replan-request" layout="vertical" onFinish={submit}>
          {stages.map((s) => {
            const name = lang === 'en' ? nameOf(STAGE_NAMES, s.stage).en : nameOf(STAGE_NAMES, s.stage).zh;
            const settled = s.state === 'done' || s.state === 'n/a';
            return (
              <Form.Item
                key={s.stage}
                name={`due-${s.stage}`}
                label={`${name}${t('（现计划', ' (now ')}${formatDay(s.dueOn, lang)}${t('）', ')')}`}
                extra={settled ? t('已完成或不适用，不再调整', 'Done or not applicable: kept as it is') : undefined}
              >
                <DatePicker format="YYYY-MM-DD" disabled={settled} style={{ width: '100%' }} />
              </Form.Item>
            );
          })}
          <Form.Item name="reason" label={t('申请理由', 'Reason')} rules={[{ required: true, whitespace: true, message: t('请说明申请调整的理由', 'A reason is required') }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
