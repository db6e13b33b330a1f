import { Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { useState } from 'react';
import { ACTION_NAMES, ACTION_PATHS, CLOCK_STOP_KINDS, type ApprovalItem, type DeskAction } from './approvals';
import { ErrorView } from './ErrorView';
import { post } from './http';
import { useT } from './shim';

/** One dialog per action: asks only what the action needs, sends it, and shows a refusal in the server's words. */
export function ActionDialog({ item, action, onDone, onCancel }: { item: ApprovalItem; action: DeskAction; onDone: (i: ApprovalItem) => void; onCancel: () => void }) {
  const { t } = useT();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const name = t(...ACTION_NAMES[action]);

  const submit = async () => {
    const v = form.getFieldsValue(true);
    const lines = (s: unknown) =>
      String(s ?? '')
        .split(/\n+/)
        .map((x) => x.trim())
        .filter(Boolean);
    let body: object = {};
    if (action === 'accept' && v.withDeficiencies) body = { deficiencies: { missing: lines(v.missing), commitOn: v.commitOn?.format?.('YYYY-MM-DD') ?? '' } };
    if (action === 'supplement') body = { missing: lines(v.missing), reason: v.reason ?? '' };
    if (action === 'stop') body = { kind: v.kind, reason: v.reason ?? '', days: v.days };
    if (action === 'resume') body = { note: v.note ?? '' };
    if (action === 'approve') body = { ...(v.documentNo ? { documentNo: v.documentNo } : {}), note: v.note ?? '' };
    if (action === 'reject') body = { reason: v.reason ?? '' };
    if (action === 'extend') body = { days: v.days, reason: v.reason ?? '' };
    if (action === 'verify') body = { passed: v.passed === true, note: v.note ?? '' };
    setBusy(true);
    setError(null);
    try {
      onDone(await post<ApprovalItem>(`/approval-items/${item.id}/${ACTION_PATHS[action]}`, body));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={`${name}：${item.name}`}
      onCancel={onCancel}
      footer={
        <Space>
          <Button onClick={onCancel}>{t('取消', 'Cancel')}</Button>
          <Button type="primary" danger={action === 'reject'} loading={busy} onClick={submit}>
            {t('确认', 'Confirm')}
            {name}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'expert_review', days: action === 'extend' ? 10 : 5, passed: true }}>
        {action === 'accept' && item.green && (
          <>
            <Form.Item name="withDeficiencies" label={t('容缺受理（绿色通道）', 'Accept with deficiencies (green channel)')}>
              <Radio.Group
                options={[
                  { value: false, label: t('材料齐全', 'Complete') },
                  { value: true, label: t('容缺受理', 'With deficiencies') },
                ]}
              />
            </Form.Item>
            <Form.Item noStyle shouldUpdate>
              {() =>
                form.getFieldValue('withDeficiencies') ? (
                  <>
                    <Form.Item name="missing" label={t('所缺材料（每行一项）', 'Missing documents (one per line)')}>
                      <Input.TextArea rows={3} />
                    </Form.Item>
                    <Form.Item name="commitOn" label={t('承诺补齐日期', 'Commitment date')}>
                      <DatePicker />
                    </Form.Item>
                  </>
                ) : null
              }
            </Form.Item>
          </>
        )}
        {action === 'accept' && !item.green && <p>{t('确认材料齐全，受理该事项；办理时限自受理起计算。', 'Confirm the file is complete; the clock starts at acceptance.')}</p>}
        {action === 'review' && <p>{t('该事项进入审查。', 'The item goes under review.')}</p>}
        {action === 'supplement' && (
          <>
            <p>
              {t(
                '一次性告知：请列明需补正的全部材料，计时暂停直至申请方补齐。',
                'Tell everything at once: list every document needed; the clock stops until the applicant supplies them.',
              )}
            </p>
            <Form.Item name="missing" label={t('需补正的材料（每行一项）', 'Documents needed (one per line)')}>
              <Input.TextArea rows={4} />
            </Form.Item>
            <Form.Item name="reason" label={t('理由', 'Reason')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
        {action === 'stop' && (
          <>
            <Form.Item name="kind" label={t('暂停事由', 'Kind of stop')}>
              <Select options={Object.entries(CLOCK_STOP_KINDS).map(([value, n]) => ({ value, label: t(...n) }))} />
            </Form.Item>
            <Form.Item name="days" label={t('暂停时限（工作日）', 'Its limit (working days)')}>
              <InputNumber min={1} max={60} />
            </Form.Item>
            <Form.Item name="reason" label={t('理由', 'Reason')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
        {(action === 'resume' || action === 'approve' || action === 'verify') && (
          <>
            {action === 'approve' && (
              <Form.Item name="documentNo" label={t('批准文号', 'Document number')}>
                <Input placeholder="县发改投资〔2026〕18号" />
              </Form.Item>
            )}
            {action === 'verify' && (
              <Form.Item name="passed" label={t('核查结果', 'Result')}>
                <Radio.Group
                  options={[
                    { value: true, label: t('通过', 'Passed') },
                    { value: false, label: t('不通过', 'Failed') },
                  ]}
                />
              </Form.Item>
            )}
            <Form.Item name="note" label={t('说明', 'Note')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
        {action === 'reject' && (
          <Form.Item name="reason" label={t('不予批准的理由', 'Reason for rejecting')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {action === 'extend' && (
          <>
            <Form.Item name="days" label={t('延长（工作日）', 'Extend by (working days)')}>
              <InputNumber min={1} max={30} />
            </Form.Item>
            <Form.Item name="reason" label={t('理由', 'Reason')}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
      </Form>
      <ErrorView error={error} />
    </Modal>
  );
}
