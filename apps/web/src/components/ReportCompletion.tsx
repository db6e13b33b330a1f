/**
 * 报告阶段完成: the project's unit (or the project office) reports a stage done with its documents
 * as evidence (POST /api/projects/{id}/stages/{stage}/completion). The rules are the workflow's (the
 * start stage needs its 施工许可 with a number, a stage awaiting confirmation cannot be reported
 * twice): a refusal is shown in the server's words.
 */
import { Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { post } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { STAGE_NAMES } from './labels';
import { RefusalAlert } from './RefusalAlert';
import { unitOrOffice } from './ReplanRequestForm';

export function ReportCompletionButton({
  projectId,
  responsibleUnitId,
  stages,
  onDone,
}: {
  projectId: string;
  responsibleUnitId: string;
  stages: { stage: string; state: string }[];
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  const open_ = stages.filter((s) => s.state === 'active' || s.state === 'pending');
  if (!session || !unitOrOffice(session.person.roles, session.person.orgUnitId, responsibleUnitId) || !open_.length) return null;

  const submit = async (v: { stage: string; completedOn: string; title: string; number?: string; issuedBy?: string; issuedOn?: string; note?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const evidence = { title: v.title, ...(v.number && { number: v.number }), ...(v.issuedBy && { issuedBy: v.issuedBy }), ...(v.issuedOn && { issuedOn: v.issuedOn }) };
      await post(`/projects/${projectId}/stages/${v.stage}/completion`, { completedOn: v.completedOn, evidence: [evidence], note: v.note ?? '' });
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
      <Button onClick={() => setOpen(true)}>{t('报告阶段完成', 'Report a stage complete')}</Button>
      <Modal
        open={open}
        title={t('报告阶段完成', 'Report a stage complete')}
        okText={t('提交', 'Submit')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {error ? <RefusalAlert error={error} /> : null}
        <Form form={form} name="report-completion" layout="vertical" initialValues={{ stage: open_[0].stage }} onFinish={submit}>
          <Form.Item name="stage" label={t('阶段', 'Stage')} rules={[{ required: true }]}>
            <Select options={open_.map((s) => ({ value: s.stage, label: lang === 'en' ? STAGE_NAMES[s.stage]?.en : STAGE_NAMES[s.stage]?.zh }))} />
          </Form.Item>
          <Form.Item name="completedOn" label={t('完成日期', 'Completed on')} rules={[{ required: true, message: t('请填写完成日期', 'The day is required') }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('佐证材料名称（如：建筑工程施工许可证）', 'Evidence (e.g. the construction permit)')}
            rules={[{ required: true, message: t('请填写佐证材料', 'Evidence is required') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="number" label={t('文号 / 证号', 'Number')}>
            <Input />
          </Form.Item>
          <Form.Item name="issuedBy" label={t('发证机关', 'Issued by')}>
            <Input />
          </Form.Item>
          <Form.Item name="issuedOn" label={t('发证日期', 'Issued on')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="note" label={t('说明', 'Note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
