import type { Attachment } from './consultation.ts';

/** Largest attachment accepted (the policy of the presigned upload enforces it too). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

interface Kind {
  label: string;
  extensions: string[];
  contentType: string;
  /** Leading bytes every file of this kind starts with. */
  magic: number[];
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const KINDS: Kind[] = [
  { label: 'PDF', extensions: ['pdf'], contentType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { label: 'Word', extensions: ['docx'], contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: ZIP },
  { label: 'Word', extensions: ['doc'], contentType: 'application/msword', magic: OLE },
  { label: 'Excel', extensions: ['xlsx'], contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: ZIP },
  { label: 'Excel', extensions: ['xls'], contentType: 'application/vnd.ms-excel', magic: OLE },
];

export const ACCEPTED_EXTENSIONS = KINDS.flatMap((k) => k.extensions.map((e) => `.${e}`));

/**
 * Decides whether an uploaded file is a PDF, Word or Excel file — by its name and by
 * its first bytes, so a renamed executable or HTML page is refused.
 */
export function classifyUpload(fileName: string, size: number, head: Uint8Array): { ok: true; contentType: string } | { ok: false; reason: string } {
  if (size <= 0) return { ok: false, reason: 'ファイルが空です。' };
  if (size > MAX_ATTACHMENT_BYTES) return { ok: false, reason: `ファイルが大きすぎます(上限 ${MAX_ATTACHMENT_BYTES / 1024 / 1024}MB)。` };
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const kind = KINDS.find((k) => k.extensions.includes(ext));
  if (!kind) return { ok: false, reason: 'PDF、Word(.doc / .docx)、Excel(.xls / .xlsx)のファイルを選んでください。' };
  if (!kind.magic.every((b, i) => head[i] === b)) {
    return { ok: false, reason: `ファイルの中身が${kind.label}の形式ではありません。` };
  }
  return { ok: true, contentType: kind.contentType };
}

/** 資料1, 資料2 … in upload order; a department may rename them (資料1-2 …) afterwards. */
export function nextLabel(existing: readonly Attachment[]): string {
  return `資料${existing.length + 1}`;
}

/** File names come back from storage inside the key; keep them short and free of path parts. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f]/g, '').slice(0, 120) || 'file';
}

/** A form that uploads one file straight to storage: where it posts, and the signed fields it must carry. */
export interface DirectUpload {
  url: string;
  fields: Record<string, string>;
}
