import { createDeps } from '#shared/adapters/deps.ts';
import { pageFunction } from './http/pages.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { attachmentRoutes } from './http/routes/attachments.ts';
import { blanketRoutes } from './http/routes/blanket.ts';
import { consultationRoutes } from './http/routes/consultations.ts';
import { departmentRoutes } from './http/routes/departments.ts';
import { followUpRoutes } from './http/routes/followups.ts';
import { historyImportRoutes } from './http/routes/history-import.ts';
import { homeRoutes } from './http/routes/home.ts';
import { incidentRoutes } from './http/routes/incidents.ts';
import { meetingRoutes } from './http/routes/meetings.ts';
import { memberRoutes } from './http/routes/members.ts';
import { personalInfoFileRoutes } from './http/routes/personal-info-files.ts';
import { piaRoutes } from './http/routes/pia.ts';
import { proceedingsRoutes } from './http/routes/proceedings.ts';
import { searchRoutes } from './http/routes/search.ts';
import { settingsRoutes } from './http/routes/settings.ts';
import { staffRoutes } from './http/routes/staff.ts';

/** The staff pages: everything signed-in staff (departments, secretariat, members, chair) use, and sign-in itself. */
export const handler = pageFunction('staff', createDeps(), {
  ...homeRoutes,
  ...memberRoutes,
  ...consultationRoutes,
  ...attachmentRoutes,
  ...meetingRoutes,
  ...proceedingsRoutes,
  ...followUpRoutes,
  ...incidentRoutes,
  ...staffRoutes,
  ...settingsRoutes,
  ...departmentRoutes,
  ...adminRoutes,
  ...historyImportRoutes,
  ...blanketRoutes,
  ...piaRoutes,
  ...personalInfoFileRoutes,
  ...searchRoutes,
});
