// What the board says of a docked volume the station did not take as a camera
// (UnrecognizedDevices.tsx): a plain function of the event, so each cause's
// sentence is tested without a browser (test/unit/alarm-text.test.ts).
import type { UnrecognizedCause } from '../../../shared/events.js';
import type { Translate } from '../../i18n/i18n.js';

/** What the notice says: a tie or a vendor library not set up is not "not a camera", and says what to do instead. */
export function unrecognizedText(t: Translate, v: { label: string | null; cause: UnrecognizedCause }): string {
  const device = v.label ? t('unrecognized.device', { label: v.label }) : t('unrecognized.deviceUnnamed');
  switch (v.cause.kind) {
    case 'tie':
      return t('unrecognized.tie', { device, profiles: v.cause.profiles.join(t('unrecognized.listSeparator')) });
    case 'vendor_not_configured':
      return t('unrecognized.vendorNotConfigured', { device, profile: v.cause.profile });
    case 'vendor_failed':
      return t('unrecognized.vendorFailed', { device, profile: v.cause.profile });
    case 'unreadable':
      return t('unrecognized.unreadable', { device });
    default:
      return v.label ? t('unrecognized.named', { label: v.label }) : t('unrecognized.unnamed');
  }
}

