import type { DeviceStatus } from '../../../shared/domain.js';

/** The CSS tag for each status: green in service, amber out of service, grey retired. */
export const statusTag: Record<DeviceStatus, string> = {
  in_service: 'tag tag-ok',
  out_of_service: 'tag tag-warn',
  retired: 'tag tag-off',
};
