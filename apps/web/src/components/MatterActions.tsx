/**
 * The actions on a matter (shared/design/escalation.md, "Actions"). The matter's answer says which
 * the person may take now (`allowedActions`, from the same rule the server applies), so a button
 * shows only for those; the server still decides, and a refusal (bad input, a change meanwhile) is
 * shown in its own words. An answer without the list (an older API) falls back to roles and state.
 */
import { Button, Form, Input, Modal, Select, Space, message } from 'antd';
import { useEffect, useState } from 'react';
import { get, post } from '../api';
import { fromZonedInput } from '../format';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { RefusalAlert } from './RefusalAlert';

const ACT_ROLES = ['unit_staff', 'unit_head', 'liaison_leader', 'county_leader', 'project_office'];

export interface MatterForActions {
  id: string;
  status: 'open' | 'resolved';
  rungIndex: number;
  dueAt: string | null;
  responsibleUnitId: string;
  acknowledgedBy?: string[];
  extension?: { until: string; reason: string } | null;
  reopenUntil?: string | null;
  ladder?: unknown[] | null;
  /** The API's names (libs/domain/src/blocker-rules.ts OFFERED_ACTIONS). */
  allowedActions?: string[];
}

/** Our button keys → the API's action names. */
const API_ACTION: Record<string, string> = {
  acknowledge: 'acknowledge',
  progress: 'progress',
  grant: 'grantExtension',
  refuse: 'refuseExtension',
  extension: 'requestExtension',
  escalate: 'escalateNow',
  transfer: 'transfer',
  remind: 'remind',
  resolve: 'resolve',
  reopen: 'reopen',
};

type Field = { name: string; zh: string; en: string; kind: 'text' | 'datetime' | 'unit'; required: boolean };

interface ActionDef {
  key: string;
  zh: string;
  en: string;
  path: string;
  fields: Field[];
  danger?: boolean;
  primary?: boolean;
}

const reason = (zh: string, en: string): Field => ({ name: 'reason', zh, en, kind: 'text', required: true });

/** Which actions to offer: those the API says the person may take now. */
export function offeredActions(m: MatterForActions, roles: string[], personId: string, nowMs: number, rungCount: number): ActionDef[] {
  if (!m.allowedActions) return byRoleAndState(m, roles, personId, nowMs, rungCount);
  const allowed = new Set(m.allowedActions);
  // Every role and state, then only what the API allows (so the buttons' forms stay defined in one place).
  const all = byRoleAndState({ ...m, status: m.status, acknowledgedBy: [] }, [...ACT_ROLES, 'supervision'], '', 0, Number.MAX_SAFE_INTEGER);
  const open = m.status === 'open' ? all : byRoleAndState(m, [...ACT_ROLES], personId, 0, rungCount);
  return open.filter((a) => allowed.has(API_ACTION[a.key]));
}

/** Without the API's list: from the person's roles and the matter's state. */
function byRoleAndState(m: MatterForActions, roles: string[], personId: string, nowMs: number, rungCount: number): ActionDef[] {
  const acts = roles.some((r) => ACT_ROLES.includes(r));
  const out: ActionDef[] = [];
  if (m.status === 'open') {
    if (acts && !(m.acknowledgedBy ?? []).includes(personId)) out.push({ key: 'acknowledge', zh: '签收', en: 'Acknowledge', path: 'acknowledge', fields: [], primary: true });
    if (acts)
      out.push({
        key: 'progress',
        zh: '进展反馈',
        en: 'Progress note',
        path: 'progress',
        fields: [{ name: 'text', zh: '进展情况', en: 'Progress', kind: 'text', required: true }],
      });
    if (acts && m.extension) {
      out.push({
        key: 'grant',
        zh: '批准延期',
        en: 'Grant extension',
        path: 'extension-request/grant',
        fields: [
          reason('审批意见', 'Reason'),
          { name: 'until', zh: '新时限（默认为申请的时限）', en: 'New due time (default: the one asked for)', kind: 'datetime', required: false },
        ],
      });
      out.push({ key: 'refuse', zh: '不予延期', en: 'Refuse extension', path: 'extension-request/refuse', fields: [reason('不予延期的理由', 'Reason')], danger: true });
    }
    if (acts && !m.extension && (!m.dueAt || Date.parse(m.dueAt) > nowMs))
      out.push({
        key: 'extension',
        zh: '申请延期',
        en: 'Request extension',
        path: 'extension-request',
        fields: [{ name: 'until', zh: '申请延至', en: 'Extend until', kind: 'datetime', required: true }, reason('申请理由', 'Reason')],
      });
    if (acts && m.rungIndex < rungCount - 1)
      out.push({ key: 'escalate', zh: '主动上报', en: 'Escalate now', path: 'escalate', fields: [reason('已采取的措施及上报理由', 'What was tried, and why')] });
    if (roles.some((r) => ['liaison_leader', 'county_leader', 'project_office'].includes(r)))
      out.push({
        key: 'transfer',
        zh: '转办',
        en: 'Transfer',
        path: 'transfer',
        fields: [
          { name: 'toUnitId', zh: '转至单位', en: 'To unit', kind: 'unit', required: true },
          reason('转办理由', 'Reason'),
          { name: 'dueAt', zh: '新时限（可不填）', en: 'New due time (optional)', kind: 'datetime', required: false },
        ],
      });
    if (roles.some((r) => ['supervision', 'project_office'].includes(r)))
      out.push({
        key: 'remind',
        zh: '督查催办',
        en: 'Remind',
        path: 'remind',
        fields: [{ name: 'text', zh: '催办内容（可不填）', en: 'Text (optional)', kind: 'text', required: false }],
      });
    if (acts)
      out.push({
        key: 'resolve',
        zh: '办结',
        en: 'Resolve',
        path: 'resolve',
        fields: [{ name: 'resolution', zh: '办理结果', en: 'Resolution', kind: 'text', required: true }],
        primary: true,
      });
  } else if (acts && (!m.reopenUntil || Date.parse(m.reopenUntil) > nowMs)) {
    out.push({ key: 'reopen', zh: '重新打开', en: 'Reopen', path: 'reopen', fields: [reason('重新打开的理由', 'Reason')], danger: true });
  }
  return out;
}

/** A datetime-local value, read on the organisation's clock (not the browser's), as an ISO instant. */
const toIso = (v: string | undefined) => fromZonedInput(v);

function UnitSelect({ id, value, onChange, exclude }: { id?: string; value?: string; onChange?: (v: string) => void; exclude: string }) {
  const { t } = useI18n();
  const [units, setUnits] = useState<{ id: string; name: string; kind: string }[]>([]);
  useEffect(() => {
    Promise.all(['department', 'township'].map((k) => get<{ items: { id: string; name: string; kind: string }[] }>(`/org-units?kind=${k}&pageSize=200`)))
      .then((pages) => setUnits(pages.flatMap((p) => p.items)))
      .catch(() => setUnits([]));
  }, []);
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('选择单位', 'Choose a unit')}
      options={units.filter((u) => u.id !== exclude).map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}

export function MatterActions({ matter, onChanged }: { matter: MatterForActions; onChanged: (m: any) => void }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const [open, setOpen] = useState<ActionDef | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  if (!session) return null;
  const rungCount = (matter.ladder?.length as number | undefined) || 3;
  const actions = offeredActions(matter, session.person.roles, session.person.id, Date.now(), rungCount);

  const run = async (a: ActionDef, values: Record<string, string | undefined>) => {
    setBusy(a.key);
    setError(null);
    try {
      const body: Record<string, string> = {};
      for (const f of a.fields) {
        const v = f.kind === 'datetime' ? toIso(values[f.name]) : values[f.name]?.trim();
        if (v) body[f.name] = v;
      }
      const updated = await post(`/blockers/${matter.id}/${a.path}`, body);
      message.success(t(`已${a.zh}`, `${a.en}: done`));
      setOpen(null);
      form.resetFields();
      onChanged(updated);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  if (!actions.length) return <p>{t('您对该事项没有可办理的操作。', 'There is nothing you can do on this matter.')}</p>;
  return (
    <div>
      {!open && error ? <RefusalAlert error={error} onClose={() => setError(null)} /> : null}
      <Space wrap style={{ marginTop: 8 }}>
        {actions.map((a) => (
          <Button
            key={a.key}
            type={a.primary ? 'primary' : 'default'}
            danger={a.danger}
            loading={busy === a.key}
            onClick={() => {
              setError(null);
              if (a.fields.length) {
                form.resetFields();
                setOpen(a);
              } else void run(a, {});
            }}
          >
            {t(a.zh, a.en)}
          </Button>
        ))}
      </Space>
      <Modal
        open={!!open}
        title={open ? t(open.zh, open.en) : ''}
        okText={t('提交', 'Submit')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={!!busy}
        onCancel={() => {
          setOpen(null);
          setError(null);
        }}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {open && error ? <RefusalAlert error={error} /> : null}
        <Form form={form} layout="vertical" onFinish={(v) => open && void run(open, v)} name={`matter-${open?.key ?? 'action'}`}>
          {open?.fields.map((f) => (
            <Form.Item key={f.name} name={f.name} label={t(f.zh, f.en)} rules={f.required ? [{ required: true, message: t(`请填写${f.zh}`, `${f.en} is required`) }] : []}>
              {f.kind === 'text' ? <Input.TextArea rows={3} /> : f.kind === 'datetime' ? <Input type="datetime-local" /> : <UnitSelect exclude={matter.responsibleUnitId} />}
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </div>
  );
}
