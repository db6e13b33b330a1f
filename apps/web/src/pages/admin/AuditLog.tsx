import { Button, DatePicker, Form, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { ErrorView } from '../../desk/ErrorView';
import { formatDateTime, useT } from '../../desk/shim';
import { usePaged } from '../../desk/usePaged';
import { fromZonedInput } from '../../time';

interface Entry {
  seq: string;
  at: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  hash: string;
}

/** The audit log (全程留痕): who did what, when and why, searched by target, actor, action and time. */
export default function AuditLog() {
  const { t } = useT();
  const [query, setQuery] = useState('');
  const list = usePaged<Entry>(`/audit${query ? `?${query}` : ''}`, 50);
  const [form] = Form.useForm();
  const search = () => {
    const v = form.getFieldsValue();
    const q = new URLSearchParams();
    for (const k of ['targetType', 'targetId', 'actorId', 'action']) if (v[k]?.trim()) q.set(k, v[k].trim());
    // The picked wall-clock times are the organisation's, whatever zone the browser is in.
    for (const [i, key] of [
      [0, 'from'],
      [1, 'to'],
    ] as const) {
      const at = v.range?.[i] ? fromZonedInput(v.range[i].format('YYYY-MM-DDTHH:mm')) : undefined;
      if (at) q.set(key, at);
    }
    setQuery(q.toString());
  };
  return (
    <div>
      <Typography.Title level={3}>{t('审计日志', 'Audit log')}</Typography.Title>
      <Form form={form} layout="inline" onFinish={search} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="action" label={t('操作', 'Action')}>
          <Input placeholder="blocker.resolve" />
        </Form.Item>
        <Form.Item name="targetType" label={t('对象类型', 'Target type')}>
          <Input placeholder="blocker" />
        </Form.Item>
        <Form.Item name="targetId" label={t('对象编号', 'Target id')}>
          <Input />
        </Form.Item>
        <Form.Item name="actorId" label={t('操作人编号', 'Actor id')}>
          <Input />
        </Form.Item>
        <Form.Item name="range" label={t('时间', 'Time')}>
          <DatePicker.RangePicker showTime />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('查询', 'Search')}
          </Button>
        </Form.Item>
      </Form>
      <ErrorView error={list.error} />
      <Table<Entry>
        rowKey="seq"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={list.pagination}
        expandable={{
          expandedRowRender: (e) => (
            <pre style={{ whiteSpace: 'pre-wrap', margin: 0, fontSize: 12 }}>
              {t('之前', 'Before')}：{JSON.stringify(e.before, null, 2)}
              {'\n'}
              {t('之后', 'After')}：{JSON.stringify(e.after, null, 2)}
              {'\n'}hash：{e.hash}
            </pre>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'seq', width: 70 },
          { title: t('时间', 'Time'), key: 'at', render: (_, e) => formatDateTime(e.at) },
          { title: t('操作', 'Action'), dataIndex: 'action' },
          { title: t('对象', 'Target'), key: 't', render: (_, e) => `${e.targetType}${e.targetId ? ` ${e.targetId.slice(0, 8)}` : ''}` },
          { title: t('操作人', 'Actor'), key: 'a', render: (_, e) => `${e.actorKind}${e.actorId ? ` ${e.actorId.slice(0, 8)}` : ''}` },
          { title: t('理由', 'Reason'), dataIndex: 'reason' },
        ]}
      />
    </div>
  );
}
