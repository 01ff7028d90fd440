// Roles and what each may do. The core enforces this table on every call; the
// renderer only uses it to decide which screens to offer.
export const roles = [
  'officer', // 执法人员
  'custodian', // 保管人
  'general_office', // 综合处
  'department_head', // 部门负责人
  'auditor', // 审计员
  'administrator', // 系统管理员
] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'people.view',
  'people.manage',
  'devices.view',
  'devices.manage',
  'audit.view',
  'ingest.view', // the dock board, dock sessions, alarms
  'ingest.control', // pause, resume, cancel, retry a dock; resolve alarms
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  officer: [],
  // 第六条: each camera has a fixed keeper; custodians issue and receive cameras.
  custodian: ['people.view', 'devices.view', 'devices.manage', 'ingest.view', 'ingest.control'],
  // 第六条: 综合处 registers, issues and maintains the cameras and supervises.
  general_office: ['people.view', 'devices.view', 'devices.manage', 'audit.view', 'ingest.view', 'ingest.control'],
  department_head: ['people.view', 'devices.view', 'audit.view', 'ingest.view'],
  auditor: ['people.view', 'devices.view', 'audit.view', 'ingest.view'],
  administrator: ['people.view', 'people.manage', 'devices.view', 'devices.manage', 'audit.view', 'ingest.view', 'ingest.control'],
};

export function permissionsOf(personRoles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of personRoles) for (const p of rolePermissions[role]) out.add(p);
  return out;
}
