/** 中文 / EN switch (antd's own texts follow through ConfigProvider in App.tsx). */
import { Button } from 'antd';
import { useI18n } from '../i18n';

export function LangToggle() {
  const { lang, setLang } = useI18n();
  return (
    <Button size="small" type="text" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label={lang === 'zh' ? 'EN: Switch to English' : '中文：切换到中文'}>
      {lang === 'zh' ? 'EN' : '中文'}
    </Button>
  );
}
