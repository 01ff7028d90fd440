// Times are shown in the station's time zone (station.status.timeZone), never
// the browser's: a station configured for Asia/Shanghai shows Shanghai time even
// on a machine set to UTC. The format is shared with the CLI (shared/time.ts).
export { formatStationTime } from '../../shared/time.js';
