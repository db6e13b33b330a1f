import { Button, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { AdminTable } from '../../components/AdminTable';
import { patch, post } from '../../desk/http';
import { UNIT_KINDS, options } from '../../desk/names';
import { formatDateTime, useT } from '../../desk/shim';
import { all, usePaged } from '../../desk/usePaged';

interface Unit {
  id: string;
  name: string;
  kind: string;
  leaderInChargeId: string | null;
  createdAt: string;
}

/** Org units (组织机构): the departments, townships and offices; the county leader in charge of each. */
export default function OrgUnits() {
  const { t } = useT();
  const [kind, setKind] = useState<string | undefined>();
  const list = usePaged<Unit>(`/org-units${kind ? `?kind=${kind}` : ''}`);
  const [leaders, setLeaders] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    all<{ id: string; name: string }>('/people?role=county_leader').then(setLeaders, () => undefined);
  }, []);
  const leaderName = (id: string | null) => leaders.find((l) => l.id === id)?.name ?? (id ? id.slice(0, 8) : '—');
  return (
    <AdminTable<Unit, 'create' | Unit>
      title={t('组织机构', 'Org units')}
      list={list}
      toolbar={
        <Select
          aria-label={t('类型', 'Kind')}
          allowClear
          placeholder={t('全部类型', 'All kinds')}
          style={{ width: 180 }}
          value={kind}
          onChange={setKind}
          options={options(UNIT_KINDS, t)}
        />
      }
      create={{ label: t('新建单位', 'New unit'), dialog: 'create' }}
      columns={(open) => [
        { title: t('名称', 'Name'), dataIndex: 'name' },
        { title: t('类型', 'Kind'), key: 'kind', render: (_, u) => <Tag>{t(...(UNIT_KINDS[u.kind] ?? [u.kind, u.kind]))}</Tag> },
        { title: t('分管县领导', 'Leader in charge'), key: 'leader', render: (_, u) => leaderName(u.leaderInChargeId) },
        { title: t('创建时间', 'Created'), key: 'created', render: (_, u) => formatDateTime(u.createdAt) },
        {
          title: t('操作', 'Actions'),
          key: 'a',
          render: (_, u) => (
            <Button size="small" onClick={() => open(u)} aria-label={`${t('设置分管领导', 'Set leader in charge')}：${u.name}`}>
              {t('设置分管领导', 'Set leader in charge')}
            </Button>
          ),
        },
      ]}
      form={(d) =>
        d === 'create'
          ? {
              title: t('新建单位', 'New unit'),
              fields: [
                { name: 'name', label: ['名称', 'Name'], placeholder: '县发改局' },
                { name: 'kind', label: ['类型', 'Kind'], kind: 'select', options: options(UNIT_KINDS, t) },
              ],
              submit: (v) => post('/org-units', v),
            }
          : {
              title: `${t('设置分管县领导', 'Leader in charge')}：${d.name}`,
              initial: { leaderInChargeId: d.leaderInChargeId ?? undefined },
              fields: [
                { name: 'leaderInChargeId', label: ['分管县领导', 'Leader in charge'], kind: 'select', options: leaders.map((l) => ({ value: l.id, label: l.name })) },
                { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' },
              ],
              submit: (v) => patch(`/org-units/${d.id}`, { leaderInChargeId: v.leaderInChargeId ?? null, ...(v.reason !== undefined ? { reason: v.reason } : {}) }),
            }
      }
    />
  );
}
