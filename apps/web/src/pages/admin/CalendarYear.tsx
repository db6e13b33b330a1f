/**
 * The working-day calendar as a year view: holidays and adjusted working days
 * from the State Council notice, local amendments; a day opens its amendment.
 */
import { Alert, Button, Card, Col, InputNumber, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ErrorView } from '../../desk/ErrorView';
import { FormDialog } from '../../desk/FormDialog';
import { del, get, post, put } from '../../desk/http';
import { useT } from '../../desk/shim';
import '../../desk/desk.css';

interface Day {
  date: string;
  working: boolean;
  reason: 'amendment' | 'holiday' | 'adjusted-workday' | 'weekend' | 'weekday';
  note?: string;
  provisional: boolean;
}
interface CalendarInfo {
  settings: Record<string, unknown>;
  coverage: { source?: string; years?: number[]; noticeYears?: number[] } & Record<string, unknown>;
  amendments: { date: string; kind: 'off' | 'work'; note: string }[];
  noticeYears?: number[];
}

const STYLE: Record<string, { background: string; color: string; border?: string }> = {
  holiday: { background: '#ffccc7', color: '#5c0011' },
  'adjusted-workday': { background: '#bae0ff', color: '#002c8c' },
  'amendment-off': { background: '#ffe7ba', color: '#612500', border: '2px solid #d46b08' },
  'amendment-work': { background: '#efdbff', color: '#22075e', border: '2px solid #531dab' },
  weekend: { background: '#f0f0f0', color: '#434343' },
  weekday: { background: '#ffffff', color: '#1f1f1f' },
};

const styleOf = (d: Day) => (d.reason === 'amendment' ? (d.working ? STYLE['amendment-work'] : STYLE['amendment-off']) : STYLE[d.reason]);

export default function CalendarYear() {
  const { t } = useT();
  const [year, setYear] = useState(new Date().getFullYear());
  const [days, setDays] = useState<Day[] | null>(null);
  const [info, setInfo] = useState<CalendarInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ kind: 'amend' | 'remove'; day: Day } | { kind: 'notice' } | { kind: 'removeYear'; year: number } | null>(null);

  const load = useCallback(async () => {
    try {
      setDays(null);
      const [d, c] = await Promise.all([get<Day[]>(`/calendar/days?from=${year}-01-01&to=${year}-12-31`), get<CalendarInfo>('/calendar')]);
      setDays(d);
      setInfo(c);
      setError(null);
    } catch (e) {
      setError(e);
      setDays([]);
    }
  }, [year]);
  useEffect(() => {
    void load();
  }, [load]);
  const done = () => {
    setDialog(null);
    void load();
  };
  const weekdays = [t('一', 'Mo'), t('二', 'Tu'), t('三', 'We'), t('四', 'Th'), t('五', 'Fr'), t('六', 'Sa'), t('日', 'Su')];
  const label = (d: Day) => {
    const what = {
      holiday: t('法定节假日', 'Holiday'),
      'adjusted-workday': t('调休上班', 'Adjusted working day'),
      amendment: t('本地调整', 'Local amendment'),
      weekend: t('周末', 'Weekend'),
      weekday: t('工作日', 'Weekday'),
    }[d.reason];
    return `${d.date} ${what}${d.note ? ` ${d.note}` : ''} ${d.working ? t('上班', 'working') : t('休息', 'day off')}${d.provisional ? t('（暂定）', ' (provisional)') : ''}`;
  };

  const months = Array.from({ length: 12 }, (_, m) => (days ?? []).filter((d) => Number(d.date.slice(5, 7)) === m + 1));

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('工作日历', 'Working-day calendar')}
        </Typography.Title>
        <Button aria-label={t('上一年', 'Previous year')} onClick={() => setYear((y) => y - 1)}>
          ‹
        </Button>
        <InputNumber aria-label={t('年份', 'Year')} min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <Button aria-label={t('下一年', 'Next year')} onClick={() => setYear((y) => y + 1)}>
          ›
        </Button>
        <Button onClick={() => setDialog({ kind: 'notice' })}>{t('载入国务院节假日通知', 'Load the holiday notice')}</Button>
      </Space>
      <Space wrap style={{ marginBottom: 12 }} aria-label={t('图例', 'Legend')}>
        {[
          ['holiday', t('法定节假日', 'Holiday')],
          ['adjusted-workday', t('调休上班', 'Adjusted working day')],
          ['amendment-off', t('本地调整：休息', 'Local: day off')],
          ['amendment-work', t('本地调整：上班', 'Local: working')],
          ['weekend', t('周末', 'Weekend')],
        ].map(([k, n]) => (
          <span key={k} style={{ ...STYLE[k], padding: '2px 8px', borderRadius: 4, border: STYLE[k].border ?? '1px solid #d9d9d9' }}>
            {n}
          </span>
        ))}
      </Space>
      {info && ![...(info.coverage.years ?? []), ...(info.noticeYears ?? [])].includes(year) && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(`${year}年的国务院节假日通知尚未载入：节假日按周末推算（暂定）`, `The holiday notice for ${year} is not loaded: days are provisional (weekends only)`)}
        />
      )}
      <ErrorView error={error} />
      {days === null ? (
        <Spin />
      ) : (
        <Row gutter={[12, 12]}>
          {months.map((month, m) => {
            const lead = month.length ? (new Date(`${month[0].date}T00:00:00Z`).getUTCDay() + 6) % 7 : 0;
            const cells: (Day | null)[] = [...Array(lead).fill(null), ...month];
            const weeks = Array.from({ length: Math.ceil(cells.length / 7) }, (_, w) => cells.slice(w * 7, w * 7 + 7));
            return (
              <Col key={m} xs={24} sm={12} lg={8} xxl={6}>
                <Card size="small" title={t(`${m + 1}月`, new Date(Date.UTC(2000, m, 1)).toLocaleString('en', { month: 'long' }))}>
                  <table style={{ width: '100%', borderCollapse: 'separate', borderSpacing: 2, tableLayout: 'fixed' }}>
                    <caption style={{ position: 'absolute', left: -9999 }}>{t(`${year}年${m + 1}月`, `${year}-${m + 1}`)}</caption>
                    <thead>
                      <tr>
                        {weekdays.map((w) => (
                          <th key={w} scope="col" style={{ fontWeight: 500, fontSize: 12 }}>
                            {w}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {weeks.map((week, w) => (
                        <tr key={w}>
                          {week.map((d, i) => (
                            <td key={i} style={{ padding: 0 }}>
                              {d && (
                                <button
                                  type="button"
                                  title={label(d)}
                                  onClick={() => setDialog({ kind: d.reason === 'amendment' ? 'remove' : 'amend', day: d })}
                                  style={{
                                    ...styleOf(d),
                                    width: '100%',
                                    minHeight: 28,
                                    borderRadius: 4,
                                    border: styleOf(d).border ?? '1px solid #e8e8e8',
                                    cursor: 'pointer',
                                    fontStyle: d.provisional ? 'italic' : 'normal',
                                  }}
                                >
                                  {Number(d.date.slice(8))}
                                  <span className="desk-sr">（{label(d)}）</span>
                                </button>
                              )}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
      {info && (
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col xs={24} md={16}>
            <Card size="small" title={t('本地调整', 'Local amendments')}>
              <Table
                rowKey="date"
                size="small"
                pagination={false}
                dataSource={info.amendments}
                columns={[
                  { title: t('日期', 'Date'), dataIndex: 'date' },
                  {
                    title: t('调整为', 'Becomes'),
                    key: 'k',
                    render: (_, a) => (a.kind === 'off' ? <Tag color="#ad4e00">{t('休息', 'Day off')}</Tag> : <Tag color="#531dab">{t('上班', 'Working')}</Tag>),
                  },
                  { title: t('说明', 'Note'), dataIndex: 'note' },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} md={8}>
            <Card size="small" title={t('节假日数据', 'Holiday data')}>
              <p style={{ margin: '0 0 8px' }}>
                {t('内置：', 'Built in: ')}
                {info.coverage.source ?? '—'}（{(info.coverage.years ?? []).join('、')}）
              </p>
              {t('已载入的通知：', 'Notices loaded: ')}
              {(info.noticeYears ?? []).map((y) => (
                <Tag key={y} closable onClose={(e) => (e.preventDefault(), setDialog({ kind: 'removeYear', year: y }))}>
                  {y}
                </Tag>
              ))}
            </Card>
          </Col>
        </Row>
      )}
      {dialog?.kind === 'amend' && (
        <FormDialog
          title={t(`调整 ${dialog.day.date}`, `Amend ${dialog.day.date}`)}
          initial={{ date: dialog.day.date, kind: dialog.day.working ? 'off' : 'work' }}
          fields={[
            {
              name: 'kind',
              label: ['调整为', 'Becomes'],
              kind: 'select',
              options: [
                { value: 'off', label: t('休息', 'Day off') },
                { value: 'work', label: t('上班', 'Working day') },
              ],
            },
            { name: 'note', label: ['说明', 'Note'], placeholder: '县庆放假一天' },
            { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' },
          ]}
          submit={(v) => post('/calendar/amendments', { date: dialog.day.date, ...v })}
          onDone={done}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'remove' && (
        <FormDialog
          title={t(`撤销 ${dialog.day.date} 的本地调整`, `Remove the amendment of ${dialog.day.date}`)}
          fields={[{ name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' }]}
          submit={(v) => del(`/calendar/amendments/${dialog.day.date}`, v)}
          onDone={done}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'removeYear' && (
        <FormDialog
          title={t(`撤销${dialog.year}年节假日通知`, `Remove the ${dialog.year} notice`)}
          fields={[{ name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' }]}
          submit={(v) => del(`/calendar/notice-years/${dialog.year}`, v)}
          onDone={done}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'notice' && (
        <FormDialog
          title={t('载入国务院节假日通知', 'Load the State Council holiday notice')}
          initial={{ year: year + 1, days: '[\n  { "date": "2027-01-01", "kind": "off", "note": "元旦" }\n]' }}
          fields={[
            { name: 'year', label: ['年份', 'Year'], kind: 'number' },
            { name: 'note', label: ['通知名称', 'Notice'], placeholder: '国务院办公厅关于2027年部分节假日安排的通知' },
            { name: 'days', label: ['放假与调休日（JSON）', 'Days off and adjusted working days (JSON)'], kind: 'json' },
            { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' },
          ]}
          submit={(v) =>
            (info?.noticeYears ?? []).includes(Number(v.year))
              ? put(`/calendar/notice-years/${v.year}`, { note: v.note, days: v.days, reason: v.reason })
              : post('/calendar/notice-years', v)
          }
          onDone={done}
          onCancel={() => setDialog(null)}
        />
      )}
    </div>
  );
}
