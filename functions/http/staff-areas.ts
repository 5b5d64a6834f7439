import type { AreaModules } from './pages.ts';

/**
 * Where each area of the staff pages lives: a dynamic import each, so the bundler puts every
 * module in a chunk of its own and a cold container loads only the one it is asked for.
 * (One file per page function: a function's bundle holds the chunks its own entry can reach.)
 */
export const staffAreas: AreaModules<'staff'> = {
  home: () => import('./routes/home.ts').then((m) => m.homeRoutes),
  admin: () => import('./routes/admin.ts').then((m) => m.adminRoutes),
  members: () => import('./routes/members.ts').then((m) => m.memberRoutes),
  departments: () => import('./routes/departments.ts').then((m) => m.departmentRoutes),
  settings: () => import('./routes/settings.ts').then((m) => m.settingsRoutes),
  staff: () => import('./routes/staff.ts').then((m) => m.staffRoutes),
  import: () => import('./routes/history-import.ts').then((m) => m.historyImportRoutes),
  consultations: () => import('./routes/consultations.ts').then((m) => m.consultationRoutes),
  attachments: () => import('./routes/attachments.ts').then((m) => m.attachmentRoutes),
  meetings: () => import('./routes/meetings.ts').then((m) => m.meetingRoutes),
  proceedings: () => import('./routes/proceedings.ts').then((m) => m.proceedingsRoutes),
  followups: () => import('./routes/followups.ts').then((m) => m.followUpRoutes),
  blanket: () => import('./routes/blanket.ts').then((m) => m.blanketRoutes),
  pia: () => import('./routes/pia.ts').then((m) => m.piaRoutes),
  files: () => import('./routes/personal-info-files.ts').then((m) => m.personalInfoFileRoutes),
  incidents: () => import('./routes/incidents.ts').then((m) => m.incidentRoutes),
  search: () => import('./routes/search.ts').then((m) => m.searchRoutes),
};
