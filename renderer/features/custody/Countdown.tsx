// Time left to an offload deadline (第十五条). The core's clock is the truth:
// the countdown starts from the core's "now" (asOf) and only counts the
// seconds since on the screen's own timer, so a station on a test clock or a
// machine with a wrong clock still shows the core's deadline correctly.
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { duration } from '../board/format.js';

export function Countdown({ deadlineAt, asOf }: { deadlineAt: number; asOf: number }) {
  const { t } = useI18n();
  const [started] = useState(() => Date.now());
  const [tick, setTick] = useState(started);
  useEffect(() => {
    const timer = window.setInterval(() => setTick(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const left = deadlineAt - (asOf + (tick - started));
  return left >= 0 ? (
    <span className="countdown" data-testid="countdown">
      {t('custody.timeLeft', { left: duration(t, left) })}
    </span>
  ) : (
    <span className="countdown countdown-late" data-testid="countdown">
      {t('custody.overdueBy', { late: duration(t, -left) })}
    </span>
  );
}
