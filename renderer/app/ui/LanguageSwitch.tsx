import { useI18n } from '../../i18n/i18n.js';

/** Names the other language in that language, so either reader can find it. */
export function LanguageSwitch({ className = 'btn btn-header' }: { className?: string }) {
  const { language, setLanguage } = useI18n();
  const other = language === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button type="button" className={className} lang={other} onClick={() => setLanguage(other)}>
      {other === 'en' ? 'English' : '中文'}
    </button>
  );
}
