import { Button, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { AdminTable } from '../../components/AdminTable';
import { patch, post } from '../../desk/http';
import { ROLE_NAMES, options } from '../../desk/names';
import { useT } from '../../desk/shim';
import { all, usePaged } from '../../desk/usePaged';

interface Person {
  id: string;
  name: string;
  title: string;
  orgUnitId: string | null;
  roles: string[];
}

/** People and their roles (人员与角色): who works where, and what they may do. */
export default function People() {
  const { t } = useT();
  const [unit, setUnit] = useState<string | undefined>();
  const [role, setRole] = useState<string | undefined>();
  const qs = new URLSearchParams({ ...(unit ? { orgUnitId: unit } : {}), ...(role ? { role } : {}) }).toString();
  const list = usePaged<Person>(`/people${qs ? `?${qs}` : ''}`);
  const [units, setUnits] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    all<{ id: string; name: string }>('/org-units').then(setUnits, () => undefined);
  }, []);
  const unitOptions = units.map((u) => ({ value: u.id, label: u.name }));
  const unitName = (id: string | null) => units.find((u) => u.id === id)?.name ?? '—';
  return (
    <AdminTable<Person, 'create' | Person>
      title={t('人员与角色', 'People and roles')}
      list={list}
      toolbar={
        <>
          <Select
            aria-label={t('单位', 'Unit')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('全部单位', 'All units')}
            style={{ width: 200 }}
            value={unit}
            onChange={setUnit}
            options={unitOptions}
          />
          <Select
            aria-label={t('角色', 'Role')}
            allowClear
            placeholder={t('全部角色', 'All roles')}
            style={{ width: 180 }}
            value={role}
            onChange={setRole}
            options={options(ROLE_NAMES, t)}
          />
        </>
      }
      create={{ label: t('新增人员', 'New person'), dialog: 'create' }}
      columns={(open) => [
        { title: t('姓名', 'Name'), dataIndex: 'name' },
        { title: t('职务', 'Title'), dataIndex: 'title' },
        { title: t('单位', 'Unit'), key: 'unit', render: (_, p) => unitName(p.orgUnitId) },
        { title: t('角色', 'Roles'), key: 'roles', render: (_, p) => p.roles.map((r) => <Tag key={r}>{t(...(ROLE_NAMES[r] ?? [r, r]))}</Tag>) },
        {
          title: t('操作', 'Actions'),
          key: 'a',
          render: (_, p) => (
            <Button size="small" onClick={() => open(p)} aria-label={`${t('修改', 'Edit')}：${p.name}`}>
              {t('修改', 'Edit')}
            </Button>
          ),
        },
      ]}
      form={(d) =>
        d === 'create'
          ? {
              title: t('新增人员', 'New person'),
              fields: [
                { name: 'name', label: ['姓名', 'Name'] },
                { name: 'title', label: ['职务', 'Title'] },
                { name: 'orgUnitId', label: ['单位', 'Unit'], kind: 'select', options: unitOptions },
                { name: 'roles', label: ['角色', 'Roles'], kind: 'multi', options: options(ROLE_NAMES, t) },
                { name: 'email', label: ['电子邮箱', 'E-mail'] },
                { name: 'phone', label: ['手机', 'Phone'] },
              ],
              submit: (v) => post('/people', { roles: [], ...v }),
            }
          : {
              title: `${t('修改', 'Edit')}：${d.name}`,
              initial: { orgUnitId: d.orgUnitId ?? undefined, title: d.title, roles: d.roles },
              fields: [
                { name: 'orgUnitId', label: ['单位', 'Unit'], kind: 'select', options: unitOptions },
                { name: 'title', label: ['职务', 'Title'] },
                { name: 'roles', label: ['角色', 'Roles'], kind: 'multi', options: options(ROLE_NAMES, t) },
                { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' },
              ],
              submit: (v) => patch(`/people/${d.id}`, v),
            }
      }
    />
  );
}
