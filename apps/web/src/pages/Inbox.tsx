/**
 * 我的督办 (Inbox), phone first: unread first, escalation notices with their
 * 督办 number, urgent and deputy copies (代) marked, one tap to the matter,
 * 签收 / resolve / extension decisions in place, live as notices arrive.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Empty, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { get, post } from '../api';
import { formatTime } from '../format';
import { errorText, useI18n } from '../i18n';
import { useLive, type InboxNotice } from '../live';
import { kindName } from '../components/inbox/kinds';
import { NoticeActions, type OpenMatter } from '../components/inbox/NoticeActions';

type Filter = 'all' | 'unread' | 'ack';
const PAGE_SIZE = 50;

/** Unread first, then newest first. */
const order = (a: InboxNotice, b: InboxNotice) => Number(!!a.readAt) - Number(!!b.readAt) || b.createdAt.localeCompare(a.createdAt);

export default function InboxPage() {
  const { t, lang } = useI18n();
  const live = useLive();
  const navigate = useNavigate();
  const [items, setItems] = useState<InboxNotice[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Map<string, OpenMatter>>(new Map());
  const [filter, setFilter] = useState<Filter>('all');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const merge = useCallback((incoming: InboxNotice[]) => {
    setItems((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]));
      for (const n of incoming) byId.set(n.id, { ...byId.get(n.id), ...n });
      return [...byId.values()];
    });
  }, []);

  /** The open matters I can see, with a pending extension if any: which actions to offer. */
  const loadOpen = useCallback(async () => {
    try {
      const r = await get<{ items: OpenMatter[] }>('/blockers?status=open&pageSize=200&sort=updatedAt&order=desc');
      setOpen(new Map(r.items.map((b) => [b.id, b])));
    } catch {
      setOpen(new Map());
    }
  }, []);

  const load = useCallback(
    async (p: number) => {
      setLoading(true);
      try {
        const r = await get<{ items: InboxNotice[]; total: number }>(`/notices?page=${p}&pageSize=${PAGE_SIZE}`);
        merge(r.items);
        setTotal(r.total);
        setPage(p);
        setError(null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [merge],
  );

  useEffect(() => {
    void load(1);
    void loadOpen();
  }, [load, loadOpen]);

  // Live: a new notice appears at the top at once; the matters it is about may have moved.
  useEffect(
    () =>
      live.onNotice((n) => {
        merge([n]);
        setTotal((x) => x + 1);
        if (n.blockerId) void loadOpen();
      }),
    [live, merge, loadOpen],
  );

  const shown = useMemo(
    () => items.filter((n) => (filter === 'unread' ? !n.readAt : filter === 'ack' ? !!n.acknowledge && !n.acknowledge.acknowledged : true)).sort(order),
    [items, filter],
  );
  const unread = items.filter((n) => !n.readAt).length;

  const markRead = async (n: InboxNotice) => {
    if (n.readAt) return;
    try {
      merge([await post<InboxNotice>(`/notices/${n.id}/read`)]);
      live.refreshCounts();
    } catch {
      /* reading is a courtesy: the notice stays unread */
    }
  };
  const readAll = async () => {
    const before = items.reduce((m, n) => (n.createdAt > m ? n.createdAt : m), '');
    try {
      await post('/notices/read-all', before ? { before } : {});
      const now = new Date().toISOString();
      setItems((prev) => prev.map((n) => (n.readAt || (before && n.createdAt > before) ? n : { ...n, readAt: now })));
      live.refreshCounts();
    } catch (e) {
      setError(e);
    }
  };
  const open1 = (n: InboxNotice) => {
    void markRead(n);
    if (n.blockerId) navigate(`/matters/${n.blockerId}`);
    else if (n.projectId) navigate(`/projects/${n.projectId}`);
  };

  return (
    <section aria-labelledby="inbox-title">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 12 }}>
        <Typography.Title level={2} id="inbox-title" style={{ margin: 0, fontSize: 20, flex: 1 }}>
          {t('我的督办', 'My inbox')}
        </Typography.Title>
        <Button size="small" onClick={readAll} disabled={!unread}>
          {t('全部已读', 'Mark all read')}
        </Button>
      </div>
      <Segmented<Filter>
        block
        value={filter}
        onChange={setFilter}
        options={[
          { value: 'all', label: t('全部', 'All') },
          { value: 'unread', label: `${t('未读', 'Unread')} ${live.counts?.total ?? unread}` },
          { value: 'ack', label: `${t('待签收', 'To acknowledge')} ${live.counts?.ackPending ?? ''}` },
        ]}
        style={{ marginBottom: 12 }}
        aria-label={t('筛选', 'Filter')}
      />
      {error ? <Alert type="error" showIcon role="alert" title={errorText(error, lang)} style={{ marginBottom: 12 }} /> : null}
      {loading && !items.length ? (
        <div style={{ textAlign: 'center', padding: 32 }}>
          <Spin />
        </div>
      ) : shown.length === 0 ? (
        <Empty description={t('没有通知', 'No notices')} />
      ) : (
        <ol aria-label={t('通知列表', 'Notices')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {shown.map((n) => (
            <li key={n.id} style={{ marginBottom: 10 }}>
              <NoticeCard
                notice={n}
                matter={n.blockerId ? open.get(n.blockerId) : undefined}
                onOpen={() => open1(n)}
                onRead={() => markRead(n)}
                onChanged={(c) => {
                  if (c) merge([c]);
                  live.refreshCounts();
                  void loadOpen();
                }}
              />
            </li>
          ))}
        </ol>
      )}
      {items.length < total ? (
        <Button block onClick={() => load(page + 1)} loading={loading} style={{ marginTop: 8 }}>
          {t('加载更多', 'Load more')}
        </Button>
      ) : null}
    </section>
  );
}

function NoticeCard({
  notice: n,
  matter,
  onOpen,
  onRead,
  onChanged,
}: {
  notice: InboxNotice;
  matter: OpenMatter | undefined;
  onOpen: () => void;
  onRead: () => void;
  onChanged: (n?: InboxNotice) => void;
}) {
  const { t, lang } = useI18n();
  const unread = !n.readAt;
  const title = lang === 'en' ? n.titleEn || n.title : n.title;
  const body = lang === 'en' ? n.bodyEn || n.body : n.body;
  const target = n.blockerId ? `/matters/${n.blockerId}` : n.projectId ? `/projects/${n.projectId}` : null;
  return (
    <article
      aria-label={title}
      data-notice-id={n.id}
      data-unread={unread ? 'true' : 'false'}
      style={{
        background: unread ? '#fff' : '#fafafa',
        border: '1px solid #f0f0f0',
        borderLeft: `4px solid ${n.urgent ? '#cf1322' : unread ? '#1677ff' : '#d9d9d9'}`,
        borderRadius: 6,
        padding: '10px 12px',
      }}
    >
      <Space wrap size={4} style={{ marginBottom: 4 }}>
        {unread ? <Badge status="processing" text={<span style={{ fontSize: 12 }}>{t('未读', 'Unread')}</span>} /> : null}
        {n.urgent ? <Tag color="#cf1322">{t('急', 'Urgent')}</Tag> : null}
        <Tag color={n.kind === 'escalation' ? '#ad2102' : undefined}>{kindName(n.kind, t)}</Tag>
        {n.documentNo ? <Tag color="#ad2102">{n.documentNo}</Tag> : null}
        {n.deputyFor ? (
          <Tag color="#531dab" title={t(`代 ${n.deputyFor.name} 接收`, `Deputy copy for ${n.deputyFor.name}`)}>
            {t(`代 ${n.deputyFor.name}`, `Deputy for ${n.deputyFor.name}`)}
          </Tag>
        ) : null}
        {n.acknowledge?.acknowledged ? <Tag color="#237804">{t('已签收', 'Acknowledged')}</Tag> : null}
      </Space>
      <div>
        {target ? (
          <Link
            to={target}
            onClick={(e) => {
              e.preventDefault();
              onOpen();
            }}
            style={{ fontWeight: unread ? 700 : 500, fontSize: 15 }}
          >
            {title}
          </Link>
        ) : (
          <span style={{ fontWeight: unread ? 700 : 500, fontSize: 15 }}>{title}</span>
        )}
      </div>
      {n.projectName || n.blockerTitle ? (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {[n.projectName, n.blockerTitle].filter(Boolean).join(' · ')}
        </Typography.Text>
      ) : null}
      <Typography.Paragraph ellipsis={{ rows: 2, expandable: true, symbol: t('展开', 'more') }} style={{ margin: '4px 0 0', fontSize: 13 }}>
        {body}
      </Typography.Paragraph>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <time dateTime={n.createdAt}>{formatTime(n.createdAt, lang)}</time>
        </Typography.Text>
        {unread ? (
          <Button size="small" type="link" onClick={onRead} style={{ padding: 0 }} aria-label={t(`标为已读：${title}`, `Mark read: ${title}`)}>
            {t('标为已读', 'Mark read')}
          </Button>
        ) : null}
      </div>
      <NoticeActions notice={n} matter={matter} onChanged={onChanged} />
    </article>
  );
}
