// Migration 0170: the alarm table accepts files_exposed (station files other accounts may read or
// change), on a fresh database and on one with alarms in it (test/support/alarm-migrations.ts).
import { describeAlarmKindMigration } from '../support/alarm-migrations.js';

describeAlarmKindMigration({
  name: '0170_alarm_files_exposed',
  version: 170,
  previous: 160,
  kind: 'files_exposed',
  earlierKinds: ['profile_invalid', 'unregistered_device', 'binding_mismatch', 'verify_failure', 'vault_low_space', 'probe_unavailable', 'footage_unreadable'],
  details: '{"files":[],"total":0}',
});
