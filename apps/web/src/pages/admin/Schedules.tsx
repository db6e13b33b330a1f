import { Button, Space, Table, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ErrorView } from '../../desk/ErrorView';
import { FormDialog } from '../../desk/FormDialog';
import { get, post, put } from '../../desk/http';
import { formatDateTime, useT } from '../../desk/shim';

interface Schedule {
  key: string;
  name: { zh: string; en: string };
  cron: string;
  timeZone: string;
  paused: boolean;
  /** The note of the last pause or resume (its reason). */
  note: string | null;
  nextRuns: string[];
  recentRuns: { at?: string; startedAt?: string; workflowId?: string; status?: string }[];
}

/** Schedules (定时任务): the weekly bulletin and the monthly investment check, their times, run now, pause and resume with a note. */
export default function Schedules() {
  const { t, lang } = useT();
  const [rows, setRows] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [pausing, setPausing] = useState<Schedule | null>(null);
  const load = useCallback(() => get<Schedule[]>('/schedules').then(setRows, setError), []);
  useEffect(() => {
    void load();
  }, [load]);
  const trigger = async (s: Schedule) => {
    try {
      await post(`/schedules/${s.key}/trigger`);
      void message.success(t(`已立即运行：${s.name.zh}`, `Running now: ${s.name.en}`));
      setTimeout(() => void load(), 1500);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <Typography.Title level={3}>{t('定时任务', 'Schedules')}</Typography.Title>
      <ErrorView error={error} />
      <Table<Schedule>
        rowKey="key"
        size="small"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={false}
        columns={[
          { title: t('任务', 'Schedule'), key: 'n', render: (_, s) => (lang === 'en' ? s.name.en : s.name.zh) },
          { title: t('时间（cron）', 'Time (cron)'), key: 'c', render: (_, s) => <code>{s.cron}</code> },
          { title: t('时区', 'Time zone'), dataIndex: 'timeZone' },
          { title: t('下次运行', 'Next runs'), key: 'x', render: (_, s) => s.nextRuns.slice(0, 2).map(formatDateTime).join('；') },
          { title: t('最近运行', 'Recent runs'), key: 'r', render: (_, s) => s.recentRuns.slice(0, 2).map((r, i) => <div key={i}>{formatDateTime(r.at ?? r.startedAt)}</div>) },
          {
            title: t('状态', 'State'),
            key: 'p',
            render: (_, s) => (
              <>
                {s.paused ? <Tag>{t('已暂停', 'Paused')}</Tag> : <Tag color="#237804">{t('运行中', 'Active')}</Tag>}
                {s.note && <div aria-label={`${t('说明', 'Note')}：${s.name.zh}`}>{s.note}</div>}
              </>
            ),
          },
          {
            title: t('操作', 'Actions'),
            key: 'a',
            render: (_, s) => (
              <Space size={4}>
                <Button size="small" onClick={() => setEditing(s)} aria-label={`${t('修改时间', 'Change time')}：${s.name.zh}`}>
                  {t('修改时间', 'Change time')}
                </Button>
                <Button size="small" type="primary" onClick={() => void trigger(s)} aria-label={`${t('立即运行', 'Run now')}：${s.name.zh}`}>
                  {t('立即运行', 'Run now')}
                </Button>
                <Button size="small" onClick={() => setPausing(s)} aria-label={`${s.paused ? t('恢复', 'Resume') : t('暂停', 'Pause')}：${s.name.zh}`}>
                  {s.paused ? t('恢复', 'Resume') : t('暂停', 'Pause')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <FormDialog
          title={`${t('修改时间', 'Change time')}：${lang === 'en' ? editing.name.en : editing.name.zh}`}
          initial={{ cron: editing.cron }}
          fields={[{ name: 'cron', label: ['cron表达式（分 时 日 月 周）', 'Cron (minute hour day month weekday)'], placeholder: '30 8 * * MON' }]}
          submit={(v) => put(`/schedules/${editing.key}`, v)}
          onDone={() => {
            setEditing(null);
            void load();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {pausing && (
        <FormDialog
          title={`${pausing.paused ? t('恢复', 'Resume') : t('暂停', 'Pause')}：${lang === 'en' ? pausing.name.en : pausing.name.zh}`}
          fields={[{ name: 'reason', label: ['说明（理由，记入审计日志）', 'Note (the reason, kept in the audit log)'], kind: 'textarea' }]}
          submit={(v) => post(`/schedules/${pausing.key}/${pausing.paused ? 'resume' : 'pause'}`, v)}
          onDone={() => {
            setPausing(null);
            void load();
          }}
          onCancel={() => setPausing(null)}
        />
      )}
    </div>
  );
}
