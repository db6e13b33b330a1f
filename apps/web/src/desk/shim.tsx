/**
 * What the desk pages take from the console core (i18n, dates, the colour tag).
 * Re-exported here so the pages do not depend on the core's file layout.
 */
import { Tag } from 'antd';

export type T = (zh: string, en: string) => string;

export function useT(): { t: T; lang: 'zh' | 'en' } {
  return { t: (zh) => zh, lang: 'zh' };
}

const DT = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = Object.fromEntries(DT.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}${p.day}日 ${p.hour}:${p.minute}`;
}

export type Colour = 'green' | 'yellow' | 'red' | 'grey';

export function ColourTag({ colour }: { colour: Colour }) {
  const { t } = useT();
  const name = { green: t('正常', 'On time'), yellow: t('预警', 'Warning'), red: t('逾期', 'Overdue'), grey: t('不适用', 'N/A') }[colour];
  return <Tag color={{ green: 'green', yellow: 'gold', red: 'red', grey: 'default' }[colour]}>{name}</Tag>;
}
