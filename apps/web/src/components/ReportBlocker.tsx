/**
 * 报告问题: a blocker reported on a project (POST /api/projects/{id}/blockers) by its unit, its
 * liaison leader or the project office; on success the new matter's page opens. A refusal (not this
 * project's unit, …) is shown in the server's words.
 */
import { Button, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { post } from '../api';
import { fromZonedInput } from '../format';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { BLOCKER_CATEGORY_NAMES, REPORTABLE_CATEGORIES } from './labels';
import { RefusalAlert } from './RefusalAlert';

export const REPORTER_ROLES = ['unit_staff', 'unit_head', 'liaison_leader', 'project_office'];

export function ReportBlockerButton({ projectId, projectName }: { projectId: string; projectName: string }) {
  const { t, lang } = useI18n();
  const { hasRole } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  if (!hasRole(...REPORTER_ROLES)) return null;
  const mayAssign = hasRole('liaison_leader', 'project_office');

  const submit = async (v: { category: string; severity: string; title: string; description?: string; dueAt?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const body = { category: v.category, severity: v.severity, title: v.title, description: v.description ?? '', ...(v.dueAt && { dueAt: fromZonedInput(v.dueAt) }) };
      const created = await post<{ id: string }>(`/projects/${projectId}/blockers`, body);
      setOpen(false);
      navigate(`/matters/${created.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button type="primary" danger onClick={() => setOpen(true)}>
        {t('报告问题', 'Report a blocker')}
      </Button>
      <Modal
        open={open}
        title={`${t('报告问题', 'Report a blocker')}：${projectName}`}
        okText={t('提交', 'Submit')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {error ? <RefusalAlert error={error} /> : null}
        <Form form={form} name="report-blocker" layout="vertical" initialValues={{ severity: 'normal' }} onFinish={submit}>
          <Form.Item name="category" label={t('问题类别', 'Category')} rules={[{ required: true, message: t('请选择问题类别', 'Choose a category') }]}>
            <Select options={REPORTABLE_CATEGORIES.map((c) => ({ value: c, label: lang === 'en' ? BLOCKER_CATEGORY_NAMES[c].en : BLOCKER_CATEGORY_NAMES[c].zh }))} />
          </Form.Item>
          <Form.Item name="severity" label={t('紧急程度', 'Severity')}>
            <Radio.Group
              options={[
                { value: 'normal', label: t('一般', 'Normal') },
                { value: 'urgent', label: t('紧急', 'Urgent') },
              ]}
            />
          </Form.Item>
          <Form.Item name="title" label={t('问题标题', 'Title')} rules={[{ required: true, message: t('请填写问题标题', 'A title is required') }, { max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('问题描述', 'Description')}>
            <Input.TextArea rows={4} />
          </Form.Item>
          {mayAssign ? (
            <Form.Item name="dueAt" label={t('交办时限（可不填，默认按督办规则）', 'Due time (optional; default: the policy’s)')}>
              <Input type="datetime-local" />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
