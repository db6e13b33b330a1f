/**
 * 审批事项目录: the approval items a project may need, per stage, with their department and limits
 * (GET /api/approval-catalogue); the project office adds and edits them (POST / PATCH, each audited).
 */
import { Button, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { get } from '../../api';
import { CatalogueItemForm, type CatalogueItem } from '../../components/CatalogueItemForm';
import { PROJECT_CATEGORY_NAMES, STAGE_NAMES, nameOf } from '../../components/labels';
import { RefusalAlert } from '../../components/RefusalAlert';
import { useI18n } from '../../i18n';

export default function Catalogue() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<CatalogueItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<CatalogueItem | 'new' | null>(null);
  const zhen = (n: { zh: string; en: string }) => (lang === 'en' ? n.en : n.zh);
  const load = useCallback(() => {
    get<CatalogueItem[]>('/approval-catalogue')
      .then(setItems)
      .catch((e) => {
        setError(e);
        setItems([]);
      });
  }, []);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="catalogue-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={1} id="catalogue-title" style={{ fontSize: 20, margin: 0 }}>
          {t('审批事项目录', 'Approval catalogue')}
        </Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('新增事项', 'New item')}
        </Button>
      </Space>
      {error ? <RefusalAlert error={error} onClose={() => setError(null)} /> : null}
      <Table<CatalogueItem>
        size="small"
        rowKey="id"
        loading={items === null}
        dataSource={items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="catalogue"
        columns={[
          { title: t('编码', 'Code'), dataIndex: 'code' },
          { title: t('事项名称', 'Name'), dataIndex: 'name' },
          { title: t('审批部门', 'Department'), dataIndex: 'department', render: (v: string | null) => v || '—' },
          { title: t('阶段', 'Stage'), dataIndex: 'stage', render: (s: string) => zhen(nameOf(STAGE_NAMES, s)) },
          { title: t('法定 / 承诺时限（工作日）', 'Statutory / promised (working days)'), render: (_: unknown, i) => `${i.statutoryDays} / ${i.promisedDays}` },
          {
            title: t('适用类别', 'Categories'),
            dataIndex: 'categories',
            render: (c: string[]) => (c?.length ? c.map((x) => zhen(nameOf(PROJECT_CATEGORY_NAMES, x))).join('、') : t('全部', 'all')),
          },
          { title: t('状态', 'Status'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="#237804">{t('启用', 'active')}</Tag> : <Tag>{t('停用', 'inactive')}</Tag>) },
          {
            title: t('操作', 'Actions'),
            key: 'edit',
            render: (_: unknown, i) => (
              <Button size="small" onClick={() => setEditing(i)} aria-label={`${t('修改', 'Edit')}：${i.name}`}>
                {t('修改', 'Edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing ? (
        <CatalogueItemForm
          item={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
          }}
        />
      ) : null}
    </section>
  );
}
