// The frame of the screens shown before the working shell (setup, login, PIN
// change): station name and the language switch, then one centred card.
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { useStation } from '../context.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { StationName } from './StationName.js';

export function AuthFrame({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  const { status } = useStation();
  return (
    <div className="auth-page">
      <header className="header">
        <div className="header-top">
          <div className="brand">
            <span className="brand-title">{t('app.title')}</span>
            <StationName name={status.stationName} />
          </div>
          <div className="header-actions">
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main className={`auth-main${wide ? ' auth-main-wide' : ''}`}>
        <h1 className="screen-title">{title}</h1>
        {children}
      </main>
    </div>
  );
}
