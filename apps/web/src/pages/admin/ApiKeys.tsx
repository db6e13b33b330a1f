import { Alert, Button, Tag } from 'antd';
import { useState } from 'react';
import { AdminTable } from '../../components/AdminTable';
import { post } from '../../desk/http';
import { SCOPES } from '../../desk/names';
import { formatDateTime, useT } from '../../desk/shim';
import { usePaged } from '../../desk/usePaged';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  revokedAt: string | null;
  createdAt: string;
}

/** API keys (接口密钥) of the systems that call Duban; the full key is shown once. */
export default function ApiKeys() {
  const { t } = useT();
  const list = usePaged<ApiKey>('/api-keys');
  const [key, setKey] = useState<string | null>(null);
  return (
    <AdminTable<ApiKey, 'create' | ApiKey>
      title={t('接口密钥', 'API keys')}
      list={list}
      create={{ label: t('新建密钥', 'New key'), dialog: 'create' }}
      banner={
        key && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            closable={{ onClose: () => setKey(null) }}
            title={t('新密钥（仅显示一次，请保存到调用系统）：', 'The new key (shown once; store it in the calling system):')}
            description={<code>{key}</code>}
          />
        )
      }
      columns={(open) => [
        { title: t('名称', 'Name'), dataIndex: 'name' },
        { title: t('前缀', 'Prefix'), key: 'p', render: (_, k) => <code>{k.prefix}</code> },
        { title: t('权限', 'Scopes'), key: 's', render: (_, k) => k.scopes.map((s) => <Tag key={s}>{s}</Tag>) },
        { title: t('创建时间', 'Created'), key: 'c', render: (_, k) => formatDateTime(k.createdAt) },
        {
          title: t('状态', 'Status'),
          key: 'r',
          render: (_, k) =>
            k.revokedAt ? (
              <Tag>{t(`已吊销 ${formatDateTime(k.revokedAt)}`, `Revoked ${formatDateTime(k.revokedAt)}`)}</Tag>
            ) : (
              <Button size="small" danger onClick={() => open(k)} aria-label={`${t('吊销', 'Revoke')}：${k.name}`}>
                {t('吊销', 'Revoke')}
              </Button>
            ),
        },
      ]}
      form={(d) =>
        d === 'create'
          ? {
              title: t('新建密钥', 'New key'),
              fields: [
                { name: 'name', label: ['调用系统名称', 'Calling system'], placeholder: '市重点项目平台' },
                { name: 'scopes', label: ['权限', 'Scopes'], kind: 'multi', options: SCOPES.map((s) => ({ value: s, label: s })) },
              ],
              submit: (v) => post<{ key: string }>('/api-keys', { scopes: [], ...v }),
              after: (r: { key: string }) => setKey(r.key),
            }
          : {
              title: `${t('吊销', 'Revoke')}：${d.name}`,
              fields: [{ name: 'reason', label: ['原因', 'Reason'], kind: 'textarea' }],
              submit: (v) => post(`/api-keys/${d.id}/revoke`, v),
            }
      }
    />
  );
}
