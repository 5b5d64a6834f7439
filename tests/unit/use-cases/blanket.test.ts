import { beforeEach, describe, expect, it } from 'vitest';
import { postReportInput } from '#shared/domain/blanket.ts';
import { DomainError, ForbiddenError, InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { acceptPostReport, filePostReport, listBlanketApprovals } from '#shared/use-cases/blanket.ts';
import { blanketForm } from '../../support/kind-forms.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const input = (over: Record<string, string> = {}) => {
  const r = checkForm(postReportInput, {
    requestId: 'req-000000000001',
    classId: 'class-0000000001',
    done: '名簿を提供した',
    doneOn: '2026-11-20',
    count: '3',
    ...over,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('事後報告 (post-reports under a blanket approval)', () => {
  it('is not offered where the council takes neither 包括諮問 nor post-reports', async () => {
    await expect(filePostReport(deps, sakura.people.fukushi, 'sakura', input())).rejects.toThrow(DomainError);
    await expect(filePostReport(deps, sakura.people.fukushi, 'sakura', input())).rejects.toThrow('事後報告を受け付けていません');
  });

  it('must cite an approved class: a blanket case still being screened is not one, and nothing is filed', async () => {
    const council = await deps.councils.getCouncil('sakura');
    await deps.councils.updateSettings(
      'sakura',
      { ...council, legalBasis: 'act2023', consultationKinds: ['individual', 'blanket'], reportKinds: [] },
      council.version,
    );
    const ref = await submitCase(deps, sakura.people.fukushi, blanketForm());
    const refused = await filePostReport(deps, sakura.people.fukushi, 'sakura', input({ classId: ref.consultationId })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).fields).toEqual({ classId: '承認された包括諮問から選んでください。' });
    expect(await deps.postReports.list('sakura')).toEqual([]);
    const view = await listBlanketApprovals(deps, sakura.people.secretariat, 'sakura');
    expect(view.classes).toEqual([]);
    expect(view.takesPostReports).toBe(true);
  });

  it('is accepted by the secretariat only', async () => {
    await expect(acceptPostReport(deps, sakura.people.fukushi, 'sakura', 'any')).rejects.toThrow(ForbiddenError);
  });

  it('reads the form strictly: a count in digits, a real date, the text required', () => {
    const r = checkForm(postReportInput, { requestId: 'req-000000000001', classId: 'c-1', done: ' ', doneOn: '2026-02-30', count: '1e3' });
    expect(!r.ok && r.errors).toMatchObject({
      done: '実施した取扱いを入力してください。',
      count: '件数・対象者数は半角数字で入力してください。',
    });
    expect(!r.ok && r.errors['doneOn']).toBeTruthy();
  });
});
