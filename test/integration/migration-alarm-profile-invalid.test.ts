// Migration 0140: the alarm table accepts profile_invalid (a camera profile file that does not load
// and is skipped), on a fresh database and on one with alarms in it (test/support/alarm-migrations.ts).
import { describeAlarmKindMigration } from '../support/alarm-migrations.js';

describeAlarmKindMigration({
  name: '0140_alarm_profile_invalid',
  version: 140,
  previous: 130,
  kind: 'profile_invalid',
  earlierKinds: ['footage_unreadable', 'unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space', 'probe_unavailable'],
  details: '{"file":"/p/x.json"}',
});
