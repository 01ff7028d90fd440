// Migration 0120: the alarm table accepts footage_unreadable (issue 17), on a fresh database and on
// one with alarms in it (test/support/alarm-migrations.ts).
import { describeAlarmKindMigration } from '../support/alarm-migrations.js';

describeAlarmKindMigration({
  name: '0120_alarm_footage_unreadable',
  version: 120,
  previous: 110,
  kind: 'footage_unreadable',
  earlierKinds: ['probe_unavailable', 'unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space'],
});
