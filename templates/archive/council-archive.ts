import { Readable } from 'node:stream';
import JSZip from 'jszip';
import { excelCsv } from '#shared/csv.ts';
import type { Answer } from '#shared/domain/answer.ts';
import { compareCodes } from '#shared/domain/collation.ts';
import { CONSULTATION_STATUSES, type Consultation, DECISION_OUTCOMES, formatConsultationNumber } from '#shared/domain/consultation.ts';
import { type Council, type Department, MEMBER_CATEGORIES, type Member, OFFICE_LABELS, officeOf } from '#shared/domain/council.ts';
import { eraDateOrAsTyped, formatTokyoDateTime } from '#shared/domain/era.ts';
import { FOLLOW_UP_STATUS_LABELS, FOLLOW_UP_TYPES, type FollowUp } from '#shared/domain/followups.ts';
import { MEETING_STATUS_LABELS, type Meeting, meetingName } from '#shared/domain/meeting.ts';
import { ROLE_LABELS } from '#shared/domain/principal.ts';
import type { StaffMember } from '#shared/domain/staff.ts';

/** What the archive holds: every stored item by entity (as stored), and the kept files by their path in the archive. */
export interface CouncilArchiveContent {
  council: Council;
  exportedAt: string;
  /** Items by their entity (`_type`), each exactly as stored (keys included). */
  items: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  /** The files, each read only when the zip comes to it when given as a stream (a council's files can be gigabytes). */
  files: readonly { path: string; body: Buffer | Readable }[];
}

const date = (v: string | undefined) => (v ? eraDateOrAsTyped(v.slice(0, 10)) : '');
const time = (v: string | undefined) => (v ? formatTokyoDateTime(v) : '');
const of = <T>(content: CouncilArchiveContent, type: string) => (content.items.get(type) ?? []) as unknown as T[];

/** The CSVs people open in Excel (BOM, CRLF, formula cells neutralised by excelCsv), one per kind of record. */
export function councilCsvs(content: CouncilArchiveContent): Record<string, Buffer> {
  const council = content.council;
  const departments = new Map(of<Department>(content, 'department').map((d) => [d.departmentId, d.name]));
  const cases = of<Consultation>(content, 'consultation');
  const caseTitle = new Map(cases.map((c) => [c.consultationId, c.form.title ?? '']));
  const caseNumber = new Map(cases.map((c) => [c.consultationId, c.number ? formatConsultationNumber(c.number) : '']));
  return {
    '諮問.csv': excelCsv([
      ['諮問ID', '諮問番号', '件名', '所管課', '状態', '作成日', '提出日', '最終更新'],
      ...cases.map((c) => [
        c.consultationId,
        caseNumber.get(c.consultationId) ?? '',
        c.form.title ?? '',
        departments.get(c.departmentId) ?? c.departmentId,
        CONSULTATION_STATUSES[c.status] ?? c.status,
        date(c.createdAt),
        date(c.submittedAt),
        time(c.updatedAt),
      ]),
    ]),
    '答申.csv': excelCsv([
      ['諮問ID', '諮問番号', '件名', '審議の結果', '条件', '意見・要望', '審議した会議', '文書番号', '答申日'],
      ...of<Answer>(content, 'answer').map((a) => [
        a.consultationId,
        a.number ? formatConsultationNumber(a.number) : (caseNumber.get(a.consultationId) ?? ''),
        a.title,
        DECISION_OUTCOMES[a.outcome] ?? a.outcome,
        a.conditions.join('\n'),
        (a.opinions ?? []).join('\n'),
        a.meetingName ?? '',
        a.documentNumber ?? '',
        date(a.decidedOn),
      ]),
    ]),
    '履行確認.csv': excelCsv([
      ['諮問ID', '諮問番号', '件名', '条件', '種類', '報告する者', '所管課', '期限', '状態', '報告の数'],
      ...of<FollowUp>(content, 'followUp').map((f) => [
        f.consultationId,
        caseNumber.get(f.consultationId) ?? '',
        f.title || (caseTitle.get(f.consultationId) ?? ''),
        f.condition,
        FOLLOW_UP_TYPES[f.type]?.label ?? f.type,
        f.ownerName,
        departments.get(f.departmentId) ?? f.departmentId,
        date(f.due),
        FOLLOW_UP_STATUS_LABELS[f.status] ?? f.status,
        String(f.answers.length),
      ]),
    ]),
    '会議.csv': excelCsv([
      ['会議ID', '会議', '種類', '日付', '会場', '状態'],
      ...of<Meeting>(content, 'meeting').map((m) => [
        m.meetingId,
        meetingName(council, m),
        m.kind === 'written' ? '書面審議' : '会議',
        date(m.date),
        m.venue ?? '',
        MEETING_STATUS_LABELS[m.status] ?? m.status,
      ]),
    ]),
    '委員.csv': excelCsv([
      ['委員ID', '氏名', 'ふりがな', '役職', '区分', '所属・役職', 'メールアドレス'],
      ...of<Member>(content, 'member').map((m) => [
        m.memberId,
        m.name,
        m.kana,
        OFFICE_LABELS[officeOf(council, m.memberId)],
        MEMBER_CATEGORIES[m.category] ?? m.category,
        m.affiliation ?? '',
        m.email,
      ]),
    ]),
    '職員.csv': excelCsv([
      ['利用者ID', '氏名', 'ふりがな', '役割', '所属', 'メールアドレス', '状態'],
      ...of<StaffMember>(content, 'staff').map((s) => [
        s.userId,
        s.name,
        s.kana,
        ROLE_LABELS[s.role] ?? s.role,
        s.departmentId ? (departments.get(s.departmentId) ?? s.departmentId) : '',
        s.email,
        s.disabled ? '無効' : '有効',
      ]),
    ]),
  };
}

const readme = (content: CouncilArchiveContent, counts: [string, number][]) =>
  [
    `${content.council.name} のデータ(書き出し日時: ${time(content.exportedAt)})`,
    '',
    'csv/   Excel で開ける一覧(UTF-8、BOM 付き)。諮問、答申、履行確認、会議、委員、職員。',
    'json/  保存されているすべての項目を、種類ごとに保存されたままの形(JSON)で。',
    'files/ 添付された資料と、履行確認で提出された証明書など。',
    '',
    '項目の数:',
    ...counts.map(([type, n]) => `  ${type}: ${n}`),
    '',
  ].join('\r\n');

/**
 * The archive as one zip, streamed: README, the CSVs, every item as JSON by entity (compressed),
 * then the files one after another as they are read (stored as they are: PDFs and Office files are
 * compressed already), so the zip never holds more than the file it is writing.
 */
export function councilArchiveZip(content: CouncilArchiveContent): Readable {
  const zip = new JSZip();
  const counts = [...content.items].map(([type, items]): [string, number] => [type, items.length]).sort((a, b) => compareCodes(a[0], b[0]));
  zip.file('README.txt', `\uFEFF${readme(content, counts)}`);
  for (const [name, body] of Object.entries(councilCsvs(content))) zip.file(`csv/${name}`, body);
  for (const [type, items] of content.items) zip.file(`json/${type}.json`, JSON.stringify(items, null, 1));
  for (const f of content.files) zip.file(`files/${f.path}`, f.body, { binary: true, compression: 'STORE' });
  // JSZip's stream is an old-style one (readable-stream 2): wrapped, it is a Node stream that can be iterated.
  return new Readable().wrap(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } }));
}
