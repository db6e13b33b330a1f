/**
 * What can be done from a notice: 签收, 办结 (resolve with a result), grant or
 * refuse a pending extension, the 督办通知单 PDF. The server decides; its
 * refusal is shown in its own words.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Input, Modal, Space } from 'antd';
import { download, post } from '../../api';
import { formatTime, fromZonedInput, toZonedInput } from '../../format';
import { errorText, useI18n } from '../../i18n';
import type { InboxNotice } from '../../live';

export interface OpenMatter {
  id: string;
  extension: { requestedBy: string; until: string; reason: string; at: string } | null;
}

type Dialog = null | 'resolve' | 'grant' | 'refuse';

/** An instant as the value of a datetime-local input, on the organisation's clock (not the browser's). */
const localInput = (iso: string): string => toZonedInput(iso);

export function NoticeActions({ notice, matter, onChanged }: { notice: InboxNotice; matter: OpenMatter | undefined; onChanged: (n?: InboxNotice) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [text, setText] = useState('');
  const [until, setUntil] = useState('');
  const what = notice.blockerTitle ?? notice.title;

  const run = async (key: string, fn: () => Promise<InboxNotice | void>, done: string) => {
    setBusy(key);
    setError(null);
    try {
      const answer = await fn();
      void message.success(done);
      setDialog(null);
      setText('');
      onChanged(answer || undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const open = (d: Dialog) => {
    setError(null);
    if (d === 'grant' && matter?.extension) setUntil(localInput(matter.extension.until));
    setDialog(d);
  };

  const acknowledgeOwed = !!notice.acknowledge && !notice.acknowledge.acknowledged;
  const buttons = [];
  if (acknowledgeOwed)
    buttons.push(
      <Button
        key="ack"
        type="primary"
        size="small"
        loading={busy === 'ack'}
        aria-label={t(`签收：${what}`, `Acknowledge: ${what}`)}
        onClick={() => run('ack', () => post<InboxNotice>(`/notices/${notice.id}/acknowledge`), t('已签收', 'Acknowledged'))}
      >
        {t('签收', 'Acknowledge')}
      </Button>,
    );
  if (matter)
    buttons.push(
      <Button key="resolve" size="small" aria-label={t(`办结：${what}`, `Resolve: ${what}`)} onClick={() => open('resolve')}>
        {t('办结', 'Resolve')}
      </Button>,
    );
  if (matter?.extension)
    buttons.push(
      <Button key="grant" size="small" aria-label={t(`同意延期：${what}`, `Grant extension: ${what}`)} onClick={() => open('grant')}>
        {t('同意延期', 'Grant extension')}
      </Button>,
      <Button key="refuse" size="small" danger aria-label={t(`不同意延期：${what}`, `Refuse extension: ${what}`)} onClick={() => open('refuse')}>
        {t('不同意延期', 'Refuse extension')}
      </Button>,
    );
  if (notice.documentNo && notice.blockerId)
    buttons.push(
      <Button
        key="pdf"
        size="small"
        type="link"
        loading={busy === 'pdf'}
        aria-label={t(`通知单 PDF：${notice.documentNo}`, `Form (PDF): ${notice.documentNo}`)}
        onClick={async () => {
          setBusy('pdf');
          setError(null);
          try {
            await download(`/notices/${notice.id}/form.pdf`, `${notice.documentNo}.pdf`);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(null);
          }
        }}
      >
        {t('通知单 PDF', 'Form (PDF)')}
      </Button>,
    );

  const dialogTitle = { resolve: t('办结', 'Resolve'), grant: t('同意延期', 'Grant extension'), refuse: t('不同意延期', 'Refuse extension') };
  const submit = () => {
    if (!matter || !dialog) return;
    if (dialog === 'resolve') return run('resolve', () => post(`/blockers/${matter.id}/resolve`, { resolution: text.trim() }), t('已办结', 'Resolved'));
    if (dialog === 'grant')
      return run(
        'grant',
        () => post(`/blockers/${matter.id}/extension-request/grant`, { reason: text.trim(), ...(until ? { until: fromZonedInput(until) } : {}) }),
        t('已同意延期', 'Extension granted'),
      );
    return run('refuse', () => post(`/blockers/${matter.id}/extension-request/refuse`, { reason: text.trim() }), t('已不同意延期', 'Extension refused'));
  };

  return (
    <>
      {buttons.length ? (
        <Space wrap size={[8, 8]} style={{ marginTop: 8 }}>
          {buttons}
        </Space>
      ) : null}
      {error && !dialog ? <Alert type="error" showIcon role="alert" title={errorText(error, lang)} style={{ marginTop: 8 }} /> : null}
      <Modal
        open={!!dialog}
        title={dialog ? dialogTitle[dialog] : ''}
        onCancel={() => setDialog(null)}
        onOk={submit}
        confirmLoading={!!busy}
        okText={t('确定', 'OK')}
        cancelText={t('取消', 'Cancel')}
        destroyOnHidden
      >
        <p style={{ fontWeight: 600 }}>{what}</p>
        {dialog !== 'resolve' && matter?.extension ? (
          <p>
            {t('申请延期至', 'Asked until')} {formatTime(matter.extension.until, lang)}：{matter.extension.reason}
          </p>
        ) : null}
        {dialog === 'grant' ? (
          <div style={{ marginBottom: 12 }}>
            <label htmlFor={`until-${notice.id}`}>{t('新的期限', 'New due time')}</label>
            <Input id={`until-${notice.id}`} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
          </div>
        ) : null}
        <label htmlFor={`text-${notice.id}`}>{dialog === 'resolve' ? t('办理结果', 'Resolution') : t('理由', 'Reason')}</label>
        <Input.TextArea id={`text-${notice.id}`} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        {error ? <Alert type="error" showIcon role="alert" title={errorText(error, lang)} style={{ marginTop: 12 }} /> : null}
      </Modal>
    </>
  );
}
