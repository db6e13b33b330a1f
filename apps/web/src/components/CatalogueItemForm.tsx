/**
 * One item of the approval catalogue (审批事项目录) to create or edit (project office): code, name, the
 * approval department, its stage, the statutory and promised limits in working days, the project
 * categories it applies to, the documents it needs, active or not, and the reason (audited). An edit
 * sends only what changed. A refusal is shown in the server's words.
 */
import { Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { get, patch, post } from '../api';
import { useI18n } from '../i18n';
import { PROJECT_CATEGORY_NAMES, STAGE_NAMES } from './labels';
import { RefusalAlert } from './RefusalAlert';

export interface CatalogueItem {
  id: string;
  code: string;
  name: string;
  departmentId: string | null;
  department?: string | null;
  stage: string;
  statutoryDays: number;
  promisedDays: number;
  warningDays: number;
  categories: string[];
  requiredDocuments: string[];
  active: boolean;
}

const EDITABLE = ['code', 'name', 'departmentId', 'stage', 'statutoryDays', 'promisedDays', 'warningDays', 'categories', 'requiredDocuments', 'active'] as const;
const lines = (s: unknown) =>
  String(s ?? '')
    .split(/\n+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** `item` null: a new item; otherwise that item to edit. */
export function CatalogueItemForm({ item, onSaved, onCancel }: { item: CatalogueItem | null; onSaved: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [departments, setDepartments] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    get<{ items: { id: string; name: string }[] }>('/org-units?kind=department&pageSize=200')
      .then((p) => setDepartments(p.items.map((u) => ({ value: u.id, label: u.name }))))
      .catch(setError);
  }, []);
  const zhen = (n: { zh: string; en: string }) => (lang === 'en' ? n.en : n.zh);

  const save = async (v: Record<string, unknown>) => {
    const fields: Record<string, unknown> = { ...v, requiredDocuments: lines(v.requiredDocuments) };
    delete fields.reason;
    const changed = item
      ? Object.fromEntries(EDITABLE.filter((k) => JSON.stringify(fields[k]) !== JSON.stringify(item[k])).map((k) => [k, fields[k]]))
      : Object.fromEntries(EDITABLE.map((k) => [k, fields[k]]));
    setBusy(true);
    setError(null);
    try {
      if (item) await patch(`/approval-catalogue/${item.id}`, { ...changed, reason: v.reason });
      else await post('/approval-catalogue', { ...changed, reason: v.reason });
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const initial = item
    ? { ...item, requiredDocuments: item.requiredDocuments.join('\n') }
    : { stage: 'approval', statutoryDays: 20, promisedDays: 10, warningDays: 2, categories: [], active: true };
  return (
    <Modal
      open
      title={item ? `${t('修改审批事项', 'Edit the item')}：${item.name}` : t('新增审批事项', 'New catalogue item')}
      okText={t('保存', 'Save')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      {error ? <RefusalAlert error={error} /> : null}
      <Form form={form} name="catalogue-item" layout="vertical" initialValues={initial} onFinish={save}>
        <Form.Item
          name="code"
          label={t('事项编码（小写字母、数字、连字符）', 'Code (lower-case letters, digits, dashes)')}
          rules={[{ required: true, message: t('请填写事项编码', 'The code is required') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('事项名称', 'Name')} rules={[{ required: true, whitespace: true, message: t('请填写事项名称', 'The name is required') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="departmentId" label={t('审批部门', 'Department')} rules={[{ required: true, message: t('请选择审批部门', 'Choose the department') }]}>
          <Select options={departments} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item name="stage" label={t('所属阶段', 'Stage')}>
          <Select options={['planning', 'approval', 'land', 'start'].map((s) => ({ value: s, label: zhen(STAGE_NAMES[s]) }))} />
        </Form.Item>
        <Form.Item name="statutoryDays" label={t('法定时限（工作日）', 'Statutory limit (working days)')}>
          <InputNumber min={1} max={365} />
        </Form.Item>
        <Form.Item name="promisedDays" label={t('承诺时限（工作日）', 'Promised limit (working days)')}>
          <InputNumber min={1} max={365} />
        </Form.Item>
        <Form.Item name="warningDays" label={t('预警提前（工作日）', 'Warning before (working days)')}>
          <InputNumber min={0} max={30} />
        </Form.Item>
        <Form.Item name="categories" label={t('适用项目类别（不选为全部）', 'Project categories (none: all)')}>
          <Select mode="multiple" options={Object.entries(PROJECT_CATEGORY_NAMES).map(([value, n]) => ({ value, label: zhen(n) }))} />
        </Form.Item>
        <Form.Item name="requiredDocuments" label={t('申报材料（每行一项）', 'Required documents (one per line)')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="active" label={t('启用', 'Active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="reason" label={t('理由', 'Reason')} rules={[{ required: true, whitespace: true, message: t('请说明理由', 'A reason is required') }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
