/**
 * A form in a dialog for the administration pages: the fields it is given,
 * sent as they are; a refusal is shown in the API's words, on the form and
 * on each field the API names.
 */
import { Button, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { ErrorView } from './ErrorView';
import { DeskError } from './http';
import { useT } from './shim';

export interface FieldSpec {
  name: string;
  label: [string, string];
  kind?: 'text' | 'textarea' | 'number' | 'select' | 'multi' | 'bool' | 'json' | 'password';
  options?: { value: string; label: string }[];
  placeholder?: string;
  help?: [string, string];
}

export function FormDialog<T>({
  title,
  fields,
  initial,
  submit,
  onDone,
  onCancel,
}: {
  title: string;
  fields: FieldSpec[];
  initial?: Record<string, unknown>;
  submit: (values: Record<string, unknown>) => Promise<T>;
  onDone: (r: T) => void;
  onCancel: () => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const send = async () => {
    const raw = form.getFieldsValue(true) as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const f of fields) {
      const v = raw[f.name];
      if (v === undefined || v === '' || v === null) continue;
      if (f.kind === 'json') {
        try {
          values[f.name] = JSON.parse(String(v));
        } catch {
          form.setFields([{ name: f.name, errors: [t('不是有效的JSON', 'Not valid JSON')] }]);
          return;
        }
      } else values[f.name] = typeof v === 'string' ? v.trim() : v;
    }
    setBusy(true);
    setError(null);
    form.setFields(fields.map((f) => ({ name: f.name, errors: [] })));
    try {
      onDone(await submit(values));
    } catch (e) {
      setError(e);
      if (e instanceof DeskError && e.body.errors) {
        const known = new Set(fields.map((f) => f.name));
        form.setFields(e.body.errors.map((x) => ({ name: x.field.split('.')[0], errors: x.problems })).filter((x) => known.has(x.name)));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      onCancel={onCancel}
      footer={
        <Space>
          <Button onClick={onCancel}>{t('取消', 'Cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void send()}>
            {t('保存', 'Save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        {fields.map((f) => (
          <Form.Item key={f.name} name={f.name} label={t(...f.label)} valuePropName={f.kind === 'bool' ? 'checked' : 'value'} extra={f.help ? t(...f.help) : undefined}>
            {f.kind === 'textarea' || f.kind === 'json' ? (
              <Input.TextArea rows={f.kind === 'json' ? 8 : 3} placeholder={f.placeholder} style={f.kind === 'json' ? { fontFamily: 'monospace' } : undefined} />
            ) : f.kind === 'number' ? (
              <InputNumber style={{ width: '100%' }} />
            ) : f.kind === 'select' || f.kind === 'multi' ? (
              <Select mode={f.kind === 'multi' ? 'multiple' : undefined} options={f.options} allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={f.placeholder} />
            ) : f.kind === 'bool' ? (
              <Switch />
            ) : f.kind === 'password' ? (
              <Input.Password autoComplete="new-password" />
            ) : (
              <Input placeholder={f.placeholder} />
            )}
          </Form.Item>
        ))}
      </Form>
      <ErrorView error={error} />
    </Modal>
  );
}
