/**
 * The project office's actions on one stage of the plan: 确认完成 a completion the unit reported (the
 * evidence shown first; confirm, or send it back with a reason: POST .../stages/{stage}/confirmation) and
 * 不适用 for a stage the project does not need (the land already held: POST .../stages/{stage}/not-applicable).
 * Shown to the office alone, as the API allows no one else; a refusal is shown in the server's words.
 */
import { Button, Descriptions, Form, Input, Modal, Radio, Space } from 'antd';
import { useState } from 'react';
import { post } from '../api';
import { useAuth } from '../auth';
import { formatDay, formatTime } from '../format';
import { useI18n } from '../i18n';
import { STAGE_NAMES, nameOf } from './labels';
import { RefusalAlert } from './RefusalAlert';

interface Evidence {
  title: string;
  number?: string;
  issuedBy?: string;
  issuedOn?: string;
}
export interface ActionableStage {
  stage: string;
  state: string;
  reported: { byName: string; at: string; completedOn: string; evidence: Evidence[]; note: string } | null;
}

type Dialog = null | 'confirm' | 'n/a';

export function StageActions({ projectId, stage, onDone }: { projectId: string; stage: ActionableStage; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { hasRole } = useAuth();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  const settled = stage.state === 'done' || stage.state === 'n/a';
  if (!hasRole('project_office') || settled) return null;
  const name = lang === 'en' ? nameOf(STAGE_NAMES, stage.stage).en : nameOf(STAGE_NAMES, stage.stage).zh;

  const submit = async (v: { accept?: boolean; reason?: string }) => {
    setBusy(true);
    setError(null);
    try {
      if (dialog === 'confirm') await post(`/projects/${projectId}/stages/${stage.stage}/confirmation`, { accept: v.accept !== false, reason: v.reason ?? '' });
      else await post(`/projects/${projectId}/stages/${stage.stage}/not-applicable`, { reason: v.reason ?? '' });
      setDialog(null);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const open = (d: Dialog) => {
    setError(null);
    setDialog(d);
  };
  const r = stage.reported;

  return (
    <Space size={4} wrap>
      {r ? (
        <Button size="small" type="primary" onClick={() => open('confirm')} aria-label={`${t('确认完成', 'Confirm completion')}：${name}`}>
          {t('确认完成', 'Confirm completion')}
        </Button>
      ) : null}
      <Button size="small" onClick={() => open('n/a')} aria-label={`${t('不适用', 'Not applicable')}：${name}`}>
        {t('不适用', 'Not applicable')}
      </Button>
      <Modal
        open={dialog !== null}
        title={`${dialog === 'confirm' ? t('确认阶段完成', 'Confirm the completion') : t('标记为不适用', 'Mark not applicable')}：${name}`}
        okText={t('提交', 'Submit')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        {error ? <RefusalAlert error={error} /> : null}
        {dialog === 'confirm' && r ? (
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }} data-testid="reported-completion">
            <Descriptions.Item label={t('报告人', 'Reported by')}>
              {r.byName}，{formatTime(r.at, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('完成日期', 'Completed on')}>{formatDay(r.completedOn, lang)}</Descriptions.Item>
            <Descriptions.Item label={t('完成佐证', 'Evidence')}>
              {r.evidence.map((e, i) => (
                <div key={i}>
                  {e.title}
                  {e.number ? `（${e.number}）` : ''}
                  {e.issuedBy ? ` ${e.issuedBy}` : ''}
                  {e.issuedOn ? ` ${formatDay(e.issuedOn, lang)}` : ''}
                </div>
              ))}
            </Descriptions.Item>
            {r.note ? <Descriptions.Item label={t('说明', 'Note')}>{r.note}</Descriptions.Item> : null}
          </Descriptions>
        ) : null}
        <Form form={form} name={dialog === 'confirm' ? 'stage-confirmation' : 'stage-not-applicable'} layout="vertical" initialValues={{ accept: true }} onFinish={submit}>
          {dialog === 'confirm' ? (
            <Form.Item name="accept" label={t('确认结果', 'Decision')}>
              <Radio.Group
                options={[
                  { value: true, label: t('确认完成', 'Confirm') },
                  { value: false, label: t('退回（须说明理由）', 'Send back (with a reason)') },
                ]}
              />
            </Form.Item>
          ) : null}
          <Form.Item name="reason" label={dialog === 'confirm' ? t('意见', 'Reason') : t('不适用的理由（如已取得用地）', 'Reason (e.g. the land is already held)')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
