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
  'people.confirm_grants', // confirm or refuse another's grant of 系统管理员, 综合处 or 部门负责人 (four eyes)
  'devices.view',
  'devices.manage',
  'audit.view',
  'audit.seal', // 综合处: make the daily audit seal on demand, print its sheet for the paper register
  'ingest.view', // the dock board, dock sessions, alarms
  'ingest.control', // pause, resume, cancel, retry a dock; resolve alarms
  'custody.view', // checkouts, deadlines, overdue and late offloads, faults, no-recording records, camera status
  'custody.operate', // check cameras out and in, declare exceptions, report faults and log maintenance
  'custody.override', // 综合处: let a camera out despite a failed pre-shift check; record an exception after the deadline
  'custody.supervise', // 综合处: review footage recorded outside a checkout (第三条)
  'custody.configure', // the custody rules: battery and space minimums, clock tolerance, offload cut-off
  'norecord.acknowledge', // 部门负责人: acknowledge a no-recording record sent to them (第五条)
  'norecord.file', // file a no-recording record (第五条): an officer for themself, a custodian or 综合处 for an officer
  // The evidence library (issue 20). Searching shows metadata, never content; the core narrows it
  // by role (an officer sees their own clips) and hides secret clips from anyone without approval.
  'library.search',
  'library.classify', // 重点, work type, cases, notes, confidentiality (第四、二十一条)
  'viewing.request', // ask to view recordings, with 查阅事由 and purpose (第十八、十九条)
  'viewing.approve', // 支队主要负责人: approve or refuse view requests, give standing grants (第十八条)
  'viewing.register', // read the view register (查阅登记)
  // Evidence discs (issue 21; 第十七、二十条).
  'export.make', // 综合处: make evidence discs, with the 说明 naming 制作人, 提取人, 提取时间
  'export.approve', // 部门负责人: approve the exports that need it (secret clips, no case, not as evidence)
  'export.register', // read the export register
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  // 第五条: the officer who did not record files the record; an auditor, a head or an administrator does not write one.
  officer: ['norecord.file', 'library.search', 'viewing.request'],
  // 第六条: each camera has a fixed keeper; custodians issue and receive cameras.
  custodian: [
    'people.view',
    'devices.view',
    'devices.manage',
    'ingest.view',
    'ingest.control',
    'custody.view',
    'custody.operate',
    'norecord.file',
    'library.search',
    'viewing.request',
    'viewing.register',
  ],
  // 第六条: 综合处 registers, issues and maintains the cameras and supervises.
  general_office: [
    'people.view',
    'devices.view',
    'devices.manage',
    'audit.view',
    'audit.seal',
    'ingest.view',
    'ingest.control',
    'custody.view',
    'custody.operate',
    'custody.override',
    'custody.supervise',
    'custody.configure',
    'norecord.file',
    'library.search',
    'library.classify',
    'viewing.request',
    'viewing.register',
    'export.make',
    'export.register',
  ],
  // 第五条: the head receives the no-recording records of the department.
  department_head: [
    'people.view',
    'people.confirm_grants',
    'devices.view',
    'audit.view',
    'ingest.view',
    'custody.view',
    'norecord.acknowledge',
    'library.search',
    'library.classify',
    'viewing.request',
    'viewing.approve',
    'export.approve',
    'export.register',
  ],
  auditor: ['people.view', 'devices.view', 'audit.view', 'ingest.view', 'custody.view', 'library.search', 'viewing.request', 'viewing.register', 'export.register'],
  administrator: [
    'people.view',
    'people.manage',
    'people.confirm_grants',
    'devices.view',
    'devices.manage',
    'audit.view',
    'ingest.view',
    'ingest.control',
    'custody.view',
    'custody.operate',
    'custody.configure',
  ],
};

/**
 * Roles whose grant needs a second person (issue 19): each can override, supervise or approve,
 * or hand out roles, so one account alone must not be able to make itself or a friend one.
 */
export const privilegedRoles = ['administrator', 'general_office', 'department_head'] as const satisfies readonly Role[];
export type PrivilegedRole = (typeof privilegedRoles)[number];
export const isPrivilegedRole = (r: Role): r is PrivilegedRole => (privilegedRoles as readonly Role[]).includes(r);

/** Who may confirm a grant: holders of these roles, never the requester or the grantee. */
export const grantConfirmingRoles = ['administrator', 'department_head'] as const satisfies readonly Role[];

export function permissionsOf(personRoles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of personRoles) for (const p of rolePermissions[role]) out.add(p);
  return out;
}
