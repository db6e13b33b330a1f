/**
 * Editing a ladder (修改督办层级): its rungs in order, each rung's names and
 * who sits on it, and the reason (audited). Matters already open keep the
 * ladder they were opened with, so the page says the edit is for new ones.
 */
import { Alert, Button, Card, Input, Select, Space, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ErrorView } from '../../desk/ErrorView';
import { get, patch } from '../../desk/http';
import { ROLE_NAMES, options } from '../../desk/names';
import { useT } from '../../desk/shim';
import { all } from '../../desk/usePaged';
import type { Ladder } from './Policies';

type Rung = Ladder['rungs'][number];

/** The rules for who sits on a rung (RungMembers in libs/domain/src/ladder.ts). */
const KINDS: Record<string, [string, string]> = {
  responsible_unit: ['责任单位（工作人员及负责人）', 'Responsible unit (staff and head)'],
  responsible_unit_head: ['责任单位负责人', 'Head of the responsible unit'],
  department_staff: ['审批部门工作人员', 'Approval staff of the department'],
  unit_leader_in_charge: ['分管县领导', 'County leader in charge of the unit'],
  project_liaison: ['项目包联领导', 'The project’s liaison leaders'],
  county_committee: ['县委县政府及项目办', 'County committee and project office'],
  role: ['某角色的所有人员', 'Everyone with a role'],
  people: ['指定人员', 'Named people'],
};

export default function LadderEdit() {
  const { t } = useT();
  const { id } = useParams();
  const nav = useNavigate();
  const [ladder, setLadder] = useState<Ladder | null>(null);
  const [rungs, setRungs] = useState<Rung[]>([]);
  const [reason, setReason] = useState('');
  const [people, setPeople] = useState<{ value: string; label: string }[]>([]);
  const [units, setUnits] = useState<{ value: string; label: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    get<Ladder[]>('/ladders').then((ls) => {
      const l = ls.find((x) => x.id === id) ?? null;
      setLadder(l);
      setRungs(l?.rungs ?? []);
      if (!l) setMissing(true);
    }, setError);
    all<{ id: string; name: string }>('/people').then((ps) => setPeople(ps.map((p) => ({ value: p.id, label: p.name }))), setError);
    all<{ id: string; name: string }>('/org-units').then((us) => setUnits(us.map((u) => ({ value: u.id, label: u.name }))), setError);
  }, [id]);

  const change = (i: number, r: Partial<Rung>) => setRungs((rs) => rs.map((x, j) => (j === i ? { ...x, ...r } : x)));
  const move = (i: number, by: number) =>
    setRungs((rs) => {
      const out = [...rs];
      [out[i], out[i + by]] = [out[i + by], out[i]];
      return out;
    });
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await patch(`/ladders/${id}`, { rungs, reason });
      void message.success(t('督办层级已保存', 'Ladder saved'));
      nav('/admin/policies');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (missing) return <Alert type="error" showIcon title={t('没有这个督办层级', 'No such ladder')} />;
  if (!ladder) return <ErrorView error={error} />;
  return (
    <div>
      <Typography.Title level={3}>{`${t('修改督办层级', 'Edit ladder')}：${ladder.name}`}</Typography.Title>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t(
          '修改适用于此后立项的问题；已在督办中的问题仍按立项时的层级办理。被督办规则使用的层级，各级标识及顺序不可改变。',
          'The edit applies to matters opened from now on; open matters keep the ladder they were opened with. While a policy uses the ladder, its rung keys and order stay.',
        )}
      />
      {rungs.map((r, i) => {
        const at = (zh: string, en: string) => t(`第${i + 1}级${zh}`, `Rung ${i + 1} ${en}`);
        return (
          <Card
            key={i}
            size="small"
            title={at('', '')}
            style={{ marginBottom: 8 }}
            extra={
              <Space size={4}>
                <Button size="small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={at('上移', 'up')}>
                  ↑
                </Button>
                <Button size="small" disabled={i === rungs.length - 1} onClick={() => move(i, 1)} aria-label={at('下移', 'down')}>
                  ↓
                </Button>
                <Button size="small" danger onClick={() => setRungs((rs) => rs.filter((_, j) => j !== i))} aria-label={at('删除', 'remove')}>
                  {t('删除', 'Remove')}
                </Button>
              </Space>
            }
          >
            <Space wrap>
              <Input aria-label={at('标识', 'key')} style={{ width: 120 }} value={r.key} onChange={(e) => change(i, { key: e.target.value })} />
              <Input
                aria-label={at('中文名称', 'Chinese name')}
                style={{ width: 160 }}
                value={r.name.zh}
                onChange={(e) => change(i, { name: { ...r.name, zh: e.target.value } })}
              />
              <Input
                aria-label={at('英文名称', 'English name')}
                style={{ width: 180 }}
                value={r.name.en}
                onChange={(e) => change(i, { name: { ...r.name, en: e.target.value } })}
              />
              <Select
                aria-label={at('成员规则', 'members')}
                style={{ width: 240 }}
                value={r.members.kind}
                options={options(KINDS, t)}
                onChange={(kind: string) => change(i, { members: kind === 'people' ? { kind, personIds: [] } : kind === 'role' ? { kind, role: 'county_leader' } : { kind } })}
              />
              {r.members.kind === 'role' && (
                <>
                  <Select
                    aria-label={at('角色', 'role')}
                    style={{ width: 160 }}
                    value={r.members.role}
                    options={options(ROLE_NAMES, t)}
                    onChange={(role: string) => change(i, { members: { ...r.members, role } })}
                  />
                  <Select
                    aria-label={at('限于单位', 'in unit')}
                    allowClear
                    placeholder={t('任何单位', 'Any unit')}
                    style={{ width: 180 }}
                    value={r.members.orgUnitId}
                    options={units}
                    showSearch={{ optionFilterProp: 'label' }}
                    onChange={(orgUnitId?: string) => change(i, { members: { kind: 'role', role: r.members.role, ...(orgUnitId ? { orgUnitId } : {}) } })}
                  />
                </>
              )}
              {r.members.kind === 'people' && (
                <Select
                  aria-label={at('人员', 'people')}
                  mode="multiple"
                  style={{ minWidth: 260 }}
                  value={r.members.personIds}
                  options={people}
                  showSearch={{ optionFilterProp: 'label' }}
                  onChange={(personIds: string[]) => change(i, { members: { kind: 'people', personIds } })}
                />
              )}
            </Space>
          </Card>
        );
      })}
      <Button style={{ marginBottom: 12 }} onClick={() => setRungs((rs) => [...rs, { key: '', name: { zh: '', en: '' }, members: { kind: 'county_committee' } }])}>
        {t('添加一级', 'Add a rung')}
      </Button>
      <Input.TextArea
        aria-label={t('修改理由', 'Reason for the change')}
        placeholder={t('修改理由（必填，记入审计日志）', 'Reason (required, kept in the audit log)')}
        rows={2}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        style={{ marginBottom: 12 }}
      />
      <ErrorView error={error} />
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" loading={busy} onClick={() => void save()}>
          {t('保存', 'Save')}
        </Button>
        <Link to="/admin/policies">{t('返回', 'Back')}</Link>
      </Space>
    </div>
  );
}
