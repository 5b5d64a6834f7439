import { beforeEach, describe, expect, it } from 'vitest';
import { councilSettingsInput } from '#shared/domain/council.ts';
import { formKindsOf, takesPostReports } from '#shared/domain/legal-basis.ts';
import { checkForm } from '#shared/forms.ts';
import { saveSettings } from '#shared/use-cases/settings.ts';
import { settingsPage } from '#templates/pages/settings.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../support/memory-deps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const form = (over: Record<string, string | string[]> = {}) => ({
  name: 'さくら市個人情報保護審議会',
  contact: '総務課 情報公開係(内線 2141)',
  secretariatEmail: 'joho@city.sakura.example.jp',
  quorum: 'majority',
  version: '1',
  ...over,
});

describe('根拠法令 in the settings (the law a council works under, and the kinds it takes)', () => {
  it('reads the basis and the ticked kinds, one or several', () => {
    const r = checkForm(councilSettingsInput, form({ legalBasis: 'act2023', consultationKinds: ['individual', 'blanket'], reportKinds: 'post_report' }));
    expect(r.ok && r.value).toMatchObject({ legalBasis: 'act2023', consultationKinds: ['individual', 'blanket'], reportKinds: ['post_report'] });
  });

  it('needs at least one kind of consultation, said beside the checkboxes, and refuses unknown kinds', () => {
    const none = checkForm(councilSettingsInput, form({ legalBasis: 'act2023' }));
    expect(!none.ok && none.errors).toEqual({ consultationKinds: '受け付ける諮問の種類を一つ以上選んでください。' });
    const odd = checkForm(councilSettingsInput, form({ legalBasis: 'act1999', consultationKinds: ['individual', 'hack'] }));
    expect(!odd.ok && odd.errors).toMatchObject({ legalBasis: '根拠法令を選んでください。', 'consultationKinds.1': '諮問の種類の選択が正しくありません。' });
  });

  it('leaves basis and kinds alone when an older form posts none', async () => {
    await saveSettings(deps, sakura.people.secretariat, 'sakura', checkOk(form({ legalBasis: 'act2023', consultationKinds: ['individual'] })));
    await saveSettings(deps, sakura.people.secretariat, 'sakura', checkOk(form({ version: '2' })));
    const council = await deps.councils.getCouncil('sakura');
    expect(council).toMatchObject({ legalBasis: 'act2023', consultationKinds: ['individual'], version: 3 });
    expect(formKindsOf(council)).toEqual(['individual']);
    expect(takesPostReports(council)).toBe(false);
  });

  it('draws the defaults of the basis for a council that never chose, escaped', async () => {
    const council = await deps.councils.getCouncil('sakura');
    const page = settingsPage({ viewer: sakura.people.secretariat, council, fiscalYear: 2026, last: { consultation: 0, meeting: 0 }, standardConditions: [] });
    expect(page).toContain('<input type="radio" name="legalBasis" value="ordinance" checked>');
    expect(page).toContain('<input type="checkbox" name="consultationKinds" value="ordinance_trigger" checked>');
    expect(page).toContain('<input type="checkbox" name="reportKinds" value="business_register" checked>');
    expect(page).not.toContain('value="individual" checked');
  });
});

function checkOk(f: Record<string, string | string[]>) {
  const r = checkForm(councilSettingsInput, f);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
