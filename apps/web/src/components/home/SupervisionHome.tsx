/** 红色事项清单 (supervision office): every overdue matter across the county, with 催办 (remind). */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Modal, Space, Typography } from 'antd';
import { get, post } from '../../api';
import { errorText, useI18n } from '../../i18n';
import { MatterList, type MatterRow } from '../MatterList';
import { allPages, useLoad } from '../useLoad';

export function SupervisionHome() {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const red = useLoad(() => allPages((page) => get<{ items: MatterRow[]; total: number }>(`/blockers?status=open&colour=red&pageSize=200&page=${page}`)), []);
  const [target, setTarget] = useState<MatterRow | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const remind = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      await post(`/blockers/${target.id}/remind`, text.trim() ? { text: text.trim() } : {});
      void message.success(t('已催办', 'Reminder sent'));
      setTarget(null);
      setText('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('红色事项清单', 'Red list')}
      </Typography.Title>
      {red.error ? <Alert type="error" showIcon title={errorText(red.error, lang)} /> : null}
      <Card size="small" title={t(`逾期事项（${red.data?.length ?? 0}）`, `Overdue matters (${red.data?.length ?? 0})`)}>
        <MatterList
          rows={red.data ?? []}
          loading={red.loading}
          empty={t('没有逾期事项', 'No overdue matters')}
          action={(m) => (
            <Button size="small" onClick={() => setTarget(m)} aria-label={t(`催办：${m.title}`, `Remind: ${m.title}`)}>
              {t('催办', 'Remind')}
            </Button>
          )}
        />
      </Card>
      <Modal
        open={!!target}
        title={t('催办', 'Remind')}
        onCancel={() => setTarget(null)}
        onOk={remind}
        confirmLoading={busy}
        okText={t('发送催办', 'Send reminder')}
        cancelText={t('取消', 'Cancel')}
      >
        <Typography.Paragraph>{target?.title}</Typography.Paragraph>
        <label htmlFor="remind-text">{t('催办意见（可选）', 'Note (optional)')}</label>
        <Input.TextArea id="remind-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginTop: 12 }} /> : null}
      </Modal>
    </Space>
  );
}
