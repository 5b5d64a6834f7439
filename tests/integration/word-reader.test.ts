import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Council, Member } from '#shared/domain/council.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import { draftMinutes, minutesDocument } from '#shared/domain/minutes.ts';
import { minutesDocx } from '#templates/minutes/docx.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'council-docx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Word export in a real word processor', () => {
  it('opens in LibreOffice and converts to a PDF whose text is the minutes, Japanese intact', async () => {
    const council: Council = {
      councilId: 'c',
      name: 'さくら市個人情報保護審議会',
      municipality: 'さくら市',
      contact: '総務課 情報公開係',
      secretariatEmail: 's@example.jp',
      rules: { quorum: 'majority', chairBreaksTie: true },
      chairMemberId: 'm1',
      version: 1,
    };
    const members: Member[] = [
      {
        memberId: 'm1',
        name: '小林 千尋',
        kana: 'こばやし',
        category: 'scholar',
        affiliation: undefined,
        email: 'm1@example.jp',
        version: 1,
        createdAt: '',
        updatedAt: '',
      },
    ];
    const meeting: Meeting = {
      meetingId: 'mt',
      kind: 'meeting',
      date: '2026-12-14',
      startTime: '10:00',
      venue: '特別会議室',
      publicObservation: true,
      fiscalYear: 2026,
      seq: 3,
      status: 'closed',
      createdAt: '',
      version: 1,
    };
    const agenda: AgendaItem[] = [
      {
        itemId: 'i1',
        kind: 'deliberation',
        order: 1,
        title: '図書館システムのクラウド化',
        consultationIds: [],
        decision: { outcome: 'approved', conditions: [], decidedAt: '', decidedBy: '' },
      },
    ];
    const minutes = draftMinutes({ meeting, agenda, members, council, now: '', by: '' });
    const doc = minutesDocument({ minutes, council, meeting, agenda, members, cases: new Map(), departments: [], edition: 'published' });
    const file = path.join(dir, '会議録.docx');
    writeFileSync(file, await minutesDocx(doc));

    await run('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, file], {
      timeout: 120_000,
    });
    const pdf = readFileSync(path.join(dir, '会議録.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { stdout } = await run('pdftotext', ['-layout', path.join(dir, '会議録.pdf'), '-']);
    const text = stdout.replace(/\s+/g, '');
    expect(text).toContain('令和8年度第3回さくら市個人情報保護審議会会議録');
    expect(text).toContain('図書館システムのクラウド化');
    expect(text).toContain('会議経過');
  }, 150_000);
});
