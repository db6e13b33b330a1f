import { Alert, Button, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { AdminTable } from '../../components/AdminTable';
import { post } from '../../desk/http';
import { formatDateTime, useT } from '../../desk/shim';
import { all, usePaged } from '../../desk/usePaged';

interface Account {
  id: string;
  personId: string;
  username: string;
  status: string;
  failedLogins: number;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  createdAt: string;
}

type Dialog = { kind: 'create' } | { kind: 'disable' | 'enable' | 'reset'; account: Account };

/** Accounts (账号): logins of people; a generated password is shown once. */
export default function Accounts() {
  const { t } = useT();
  const list = usePaged<Account>('/accounts');
  const [people, setPeople] = useState<{ id: string; name: string }[]>([]);
  const [shown, setShown] = useState<{ username: string; password: string } | null>(null);
  useEffect(() => {
    all<{ id: string; name: string }>('/people').then(setPeople, () => undefined);
  }, []);
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? id.slice(0, 8);
  const showPassword = (r: { username?: string; password?: string }) => {
    if (r?.password) setShown({ username: r.username ?? '', password: r.password });
  };
  const verb = { disable: ['停用账号', 'Disable'], enable: ['启用账号', 'Enable'], reset: ['重置密码', 'Reset password'] } as const;
  return (
    <AdminTable<Account, Dialog>
      title={t('账号', 'Accounts')}
      list={list}
      create={{ label: t('新建账号', 'New account'), dialog: { kind: 'create' } }}
      banner={
        shown && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            closable={{ onClose: () => setShown(null) }}
            title={t(`账号 ${shown.username} 的临时密码（仅显示一次）：`, `Temporary password of ${shown.username} (shown once):`)}
            description={<code aria-label={t('临时密码', 'Temporary password')}>{shown.password}</code>}
          />
        )
      }
      columns={(open) => [
        { title: t('用户名', 'Username'), dataIndex: 'username' },
        { title: t('人员', 'Person'), key: 'p', render: (_, a) => name(a.personId) },
        {
          title: t('状态', 'Status'),
          key: 's',
          render: (_, a) => (
            <Space size={2}>
              <Tag color={a.status === 'active' ? '#237804' : 'default'}>{a.status === 'active' ? t('启用', 'Active') : t('停用', 'Disabled')}</Tag>
              {a.lockedUntil && new Date(a.lockedUntil) > new Date() && <Tag color="#cf1322">{t('已锁定', 'Locked')}</Tag>}
              {a.mustChangePassword && <Tag>{t('须改密码', 'Must change password')}</Tag>}
            </Space>
          ),
        },
        { title: t('创建时间', 'Created'), key: 'c', render: (_, a) => formatDateTime(a.createdAt) },
        {
          title: t('操作', 'Actions'),
          key: 'a',
          render: (_, a) => (
            <Space size={4} wrap>
              {(a.status === 'active' ? (['disable', 'reset'] as const) : (['enable'] as const)).map((k) => (
                <Button key={k} size="small" danger={k === 'disable'} onClick={() => open({ kind: k, account: a })} aria-label={`${t(verb[k][0], verb[k][1])}：${a.username}`}>
                  {t(verb[k][0], verb[k][1])}
                </Button>
              ))}
              {a.status === 'active' && a.lockedUntil && (
                <Button size="small" onClick={() => open({ kind: 'enable', account: a })}>
                  {t('解除锁定', 'Unlock')}
                </Button>
              )}
            </Space>
          ),
        },
      ]}
      form={(d) =>
        d.kind === 'create'
          ? {
              title: t('新建账号', 'New account'),
              initial: { mustChangePassword: true },
              fields: [
                { name: 'personId', label: ['人员', 'Person'], kind: 'select', options: people.map((p) => ({ value: p.id, label: p.name })) },
                { name: 'username', label: ['用户名', 'Username'], placeholder: 'wangjianguo' },
                { name: 'password', label: ['初始密码（留空则自动生成）', 'Initial password (generated when empty)'], kind: 'password' },
                { name: 'mustChangePassword', label: ['首次登录须修改密码', 'Must change at first login'], kind: 'bool' },
              ],
              submit: (v) => post('/accounts', v),
              after: showPassword,
            }
          : {
              title: `${t(verb[d.kind][0], verb[d.kind][1])}：${d.account.username}`,
              fields: [{ name: 'reason', label: ['原因', 'Reason'], kind: 'textarea' }],
              submit: (v) => post(`/accounts/${d.account.id}/${d.kind === 'reset' ? 'reset-password' : d.kind}`, v),
              after: showPassword,
            }
      }
    />
  );
}
