import type { CouncilRepository } from '#shared/adapters/council-repository.ts';
import type { StaffRepository } from '#shared/adapters/staff-repository.ts';
import type { Council, Department, Member } from '#shared/domain/council.ts';
import { PLATFORM_ID, type Principal } from '#shared/domain/principal.ts';
import type { StaffMember } from '#shared/domain/staff.ts';

/** A fictional city's council, written fresh for the demo (no real person's data). */
export const DEMO_COUNCIL: Council = {
  councilId: 'sakura',
  name: 'さくら市個人情報保護審議会',
  municipality: 'さくら市',
  contact: 'さくら市 総務部 総務課 情報公開係(内線 2141 / joho-koukai@city.sakura.example.jp)',
  secretariatEmail: 'joho-koukai@city.sakura.example.jp',
  rules: { quorum: 'majority', chairBreaksTie: true },
  chairMemberId: 'm-kobayashi',
  viceChairMemberId: 'm-tanabe',
  version: 1,
};

const member = (memberId: string, name: string, kana: string, category: Member['category'], affiliation: string, email: string): Member => ({
  memberId,
  name,
  kana,
  category,
  affiliation,
  email,
  version: 1,
  createdAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-01T00:00:00.000Z',
});

export const DEMO_MEMBERS: Member[] = [
  member('m-kobayashi', '小林 千尋', 'こばやし ちひろ', 'scholar', 'さくら大学法学部教授(行政法)', 'kobayashi@members.sakura.example.jp'),
  member('m-tanabe', '田辺 和夫', 'たなべ かずお', 'lawyer', 'さくら総合法律事務所 弁護士', 'tanabe@members.sakura.example.jp'),
  member('m-maeda', '前田 久美子', 'まえだ くみこ', 'scholar', 'さくら情報大学 情報セキュリティ研究科 准教授', 'maeda@members.sakura.example.jp'),
  member('m-koyama', '小山 宇一', 'こやま ういち', 'citizen', '市民公募委員', 'koyama@members.sakura.example.jp'),
  member('m-masuda', '増田 径子', 'ますだ みちこ', 'citizen', 'さくら市自治会連合会', 'masuda@members.sakura.example.jp'),
  member('m-miura', '三浦 詩子', 'みうら うたこ', 'other', 'さくら市社会福祉協議会 事務局長', 'miura@members.sakura.example.jp'),
];

export const DEMO_DEPARTMENTS: Department[] = [
  { departmentId: 'shimin', name: '市民部 市民課', email: 'shimin@city.sakura.example.jp', managerEmail: 'shimin-kacho@city.sakura.example.jp' },
  { departmentId: 'fukushi', name: '福祉部 生活福祉課', email: 'fukushi@city.sakura.example.jp', managerEmail: 'fukushi-kacho@city.sakura.example.jp' },
];

/** The demo staff, as their sessions know them (the local identity provider has an account for each, with LOCAL_DEMO_PASSWORD). */
export const DEMO_IDENTITIES: Principal[] = [
  { userId: 'u-secretariat', name: '山下 潤(総務課 情報公開係)', role: 'secretariat', councilId: 'sakura' },
  { userId: 'u-shimin', name: '倉持 美土子(市民課)', role: 'department', councilId: 'sakura', departmentId: 'shimin' },
  { userId: 'u-fukushi', name: '長田 将夫(生活福祉課)', role: 'department', councilId: 'sakura', departmentId: 'fukushi' },
  { userId: 'm-kobayashi', name: '小林 千尋', role: 'chair', councilId: 'sakura' },
  { userId: 'm-maeda', name: '前田 久美子', role: 'member', councilId: 'sakura' },
];

const staffOf = (userId: string, name: string, kana: string, email: string, role: StaffMember['role'], more: Partial<StaffMember> = {}): StaffMember => ({
  councilId: DEMO_COUNCIL.councilId,
  userId,
  name,
  kana,
  email,
  role,
  disabled: false,
  version: 1,
  createdAt: '2026-04-01T00:00:00.000Z',
  updatedAt: '2026-04-01T00:00:00.000Z',
  ...more,
});

/** The demo council's staff registry: where each demo identity's council, department and role come from at sign-in. */
export const DEMO_STAFF: StaffMember[] = [
  staffOf('u-secretariat', '山下 潤(総務課 情報公開係)', 'やました じゅん', 'joho-koukai@city.sakura.example.jp', 'secretariat', { title: '主査' }),
  staffOf('u-shimin', '倉持 美土子(市民課)', 'くらもち みどこ', 'shimin@city.sakura.example.jp', 'department', { departmentId: 'shimin' }),
  staffOf('u-fukushi', '長田 将夫(生活福祉課)', 'おさだ まさお', 'fukushi@city.sakura.example.jp', 'department', { departmentId: 'fukushi' }),
  staffOf('m-kobayashi', '小林 千尋', 'こばやし ちひろ', 'kobayashi@members.sakura.example.jp', 'member', { memberId: 'm-kobayashi' }),
  staffOf('m-maeda', '前田 久美子', 'まえだ くみこ', 'maeda@members.sakura.example.jp', 'member', { memberId: 'm-maeda' }),
];

/** The platform operator (運用管理者): no council's; their registry entry is under the platform's id. */
export const DEMO_OPERATOR: StaffMember = {
  ...staffOf('u-operator', '運用 太郎(運用管理者)', 'うんよう たろう', 'operator@platform.example.jp', 'operator'),
  councilId: PLATFORM_ID,
};

/**
 * A second fictional council, on the 2023 basis (個人情報保護法・施行条例): it takes individual
 * consultations, PIA reviews, changes of rules and blanket approvals, and hears post-reports.
 */
export const DEMO_ACT2023_COUNCIL: Council = {
  councilId: 'nire',
  name: 'にれ市個人情報保護審議会',
  municipality: 'にれ市',
  contact: 'にれ市 総務部 法務課(内線 1180 / homu@city.nire.example.jp)',
  secretariatEmail: 'homu@city.nire.example.jp',
  rules: { quorum: 'majority', chairBreaksTie: true },
  legalBasis: 'act2023',
  consultationKinds: ['individual', 'pia_review', 'ordinance_change', 'blanket'],
  reportKinds: ['file_register', 'incident', 'post_report'],
  version: 1,
};
const DEMO_ACT2023_DEPARTMENT: Department = {
  departmentId: 'kaigo',
  name: '健康福祉部 介護保険課',
  email: 'kaigo@city.nire.example.jp',
  managerEmail: 'kaigo-kacho@city.nire.example.jp',
};
/** Its secretariat and one department, signing in with the demo password. */
export const DEMO_ACT2023_IDENTITIES: Principal[] = [
  { userId: 'u-nire-secretariat', name: '松本 彩(法務課)', role: 'secretariat', councilId: 'nire' },
  { userId: 'u-nire-kaigo', name: '石井 学(介護保険課)', role: 'department', councilId: 'nire', departmentId: 'kaigo' },
];
const DEMO_ACT2023_STAFF: StaffMember[] = [
  { ...staffOf('u-nire-secretariat', '松本 彩(法務課)', 'まつもと あや', 'homu@city.nire.example.jp', 'secretariat'), councilId: 'nire' },
  {
    ...staffOf('u-nire-kaigo', '石井 学(介護保険課)', 'いしい まなぶ', 'kaigo@city.nire.example.jp', 'department', { departmentId: 'kaigo' }),
    councilId: 'nire',
  },
];

/** Loads the demo councils; safe on every start (existing records are left as they are). */
export async function seedDemo(repos: { councils: CouncilRepository; staff: StaffRepository }): Promise<{ created: number }> {
  const { councils } = repos;
  let created = 0;
  if (await councils.createCouncil(DEMO_COUNCIL)) created++;
  for (const d of DEMO_DEPARTMENTS) if (await councils.createDepartment(DEMO_COUNCIL.councilId, d)) created++;
  for (const m of DEMO_MEMBERS) if (await councils.addMember(DEMO_COUNCIL.councilId, m)) created++;
  for (const s of [...DEMO_STAFF, DEMO_OPERATOR]) if (await repos.staff.add(s)) created++;
  if (await councils.createCouncil(DEMO_ACT2023_COUNCIL)) created++;
  if (await councils.createDepartment(DEMO_ACT2023_COUNCIL.councilId, DEMO_ACT2023_DEPARTMENT)) created++;
  for (const s of DEMO_ACT2023_STAFF) if (await repos.staff.add(s)) created++;
  return { created };
}
