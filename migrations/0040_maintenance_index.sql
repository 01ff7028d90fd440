-- 第六条 保管和养护: one camera's routine maintenance (not tied to a fault),
-- newest first and paged by id (faults.maintenance). maintenance_device orders
-- by time, so that query would sort; this partial index holds only the
-- routine rows, already in the order the list reads them.
CREATE INDEX maintenance_routine ON maintenance(device_id, id) WHERE fault_id IS NULL;
