import { beforeEach, describe, expect, it } from 'vitest';
import { councilSettingsInput } from '#shared/domain/council.ts';
import { ConflictError, ForbiddenError, InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { saveSettings, viewSettings } from '#shared/use-cases/settings.ts';
import { letter } from '#templates/mail/layout.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptCase, newMeetingOf, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const form = (over: Record<string, string> = {}) => ({
  name: 'さくら市個人情報保護審査会',
  contact: '総務課 情報公開係(内線 2141)',
  secretariatEmail: 'joho@city.sakura.example.jp',
  quorum: 'two_thirds',
  chairBreaksTie: 'on',
  conditionLibrary: '条件その一\r\n\r\n  条件その二  ',
  mailSignature: 'さくら市 総務課\n情報公開係',
  senderName: 'さくら市 審査会事務局',
  senderAddress: 'shinsakai@city.sakura.example.jp',
  replyTo: 'joho@city.sakura.example.jp',
  nextConsultationNumber: '',
  nextMeetingNumber: '',
  version: '1',
  ...over,
});
const parsed = (over: Record<string, string> = {}) => {
  const r = checkForm(councilSettingsInput, form(over));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('審議会の設定 (the secretariat’s settings of its council)', () => {
  it('puts each problem beside its field', () => {
    const r = checkForm(councilSettingsInput, form({ name: ' ', secretariatEmail: 'no-at', replyTo: 'x', nextConsultationNumber: '四', quorum: 'all' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual({
      name: '審議会の名称を入力してください。',
      secretariatEmail: '事務局のメールアドレスの形式が正しくありません。',
      replyTo: '返信先(Reply-To)の形式が正しくありません。',
      nextConsultationNumber: '次の諮問番号は半角数字で入力してください。',
      quorum: '定足数を選んでください。',
    });
  });

  it('saves the profile, rules, wordings and mail settings; mails then carry them', async () => {
    await saveSettings(deps, sakura.people.secretariat, 'sakura', parsed());
    const council = await deps.councils.getCouncil('sakura');
    expect(council).toMatchObject({
      name: 'さくら市個人情報保護審査会',
      rules: { quorum: 'two_thirds', chairBreaksTie: true },
      conditionLibrary: ['条件その一', '条件その二'],
      version: 2,
    });
    const mail = letter(council, { to: ['a@example.jp'], subject: '件名', addressee: '各位', blocks: [] });
    expect(mail.fromName).toBe('さくら市 審査会事務局');
    expect(mail.fromAddress).toBe('shinsakai@city.sakura.example.jp');
    expect(mail.replyTo).toEqual(['joho@city.sakura.example.jp']);
    expect(mail.text.trimEnd().endsWith('さくら市 総務課\n情報公開係')).toBe(true);
  });

  it('refuses a stale form, and anyone but the secretariat', async () => {
    await saveSettings(deps, sakura.people.secretariat, 'sakura', parsed());
    await expect(saveSettings(deps, sakura.people.secretariat, 'sakura', parsed({ name: '古い画面から' }))).rejects.toBeInstanceOf(ConflictError);
    await expect(saveSettings(deps, sakura.people.chair, 'sakura', parsed({ version: '2' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(viewSettings(deps, sakura.people.fukushi, 'sakura')).rejects.toBeInstanceOf(ForbiddenError);
    expect((await deps.councils.getCouncil('sakura')).name).toBe('さくら市個人情報保護審査会');
  });

  it('continues a paper series: after 第3号 the next acceptance is 第4号, and the series never goes back', async () => {
    await saveSettings(deps, sakura.people.secretariat, 'sakura', parsed({ nextConsultationNumber: '4', nextMeetingNumber: '5' }));
    expect((await viewSettings(deps, sakura.people.secretariat, 'sakura')).last).toEqual({ consultation: 3, meeting: 4 });
    const number = await acceptCase(deps, sakura.people, await submitCase(deps, sakura.people.fukushi));
    expect(number).toEqual({ fiscalYear: 2026, n: 4 });
    expect((await newMeetingOf(deps, sakura.people, 'meeting')).seq).toBe(5);

    const back = saveSettings(deps, sakura.people.secretariat, 'sakura', parsed({ version: '2', nextConsultationNumber: '4', name: '戻そうとした' }));
    await expect(back).rejects.toEqual(new InvalidInputError({ nextConsultationNumber: '今年度は第4号まで付番済みです。5以上を入力してください。' }));
    expect((await deps.councils.getCouncil('sakura')).name).not.toBe('戻そうとした');
  });

  it('numbers as one running series once the secretariat says so: it goes on from this year’s number and 1 April does not reset it', async () => {
    expect(await acceptCase(deps, sakura.people, await submitCase(deps, sakura.people.fukushi))).toEqual({ fiscalYear: 2026, n: 1 });
    await saveSettings(deps, sakura.people.secretariat, 'sakura', parsed({ numbering: 'running', majority: 'all' }));
    const council = await deps.councils.getCouncil('sakura');
    expect(council).toMatchObject({ numbering: 'running', rules: { majority: 'all' } });
    expect((await viewSettings(deps, sakura.people.secretariat, 'sakura')).last.consultation).toBe(1);
    expect(await acceptCase(deps, sakura.people, await submitCase(deps, sakura.people.fukushi))).toEqual({ fiscalYear: 2026, n: 2, running: true });
    const lateMarch = await submitCase(deps, sakura.people.fukushi);
    deps.clock.set('2027-04-01T09:00:00+09:00');
    expect(await acceptCase(deps, sakura.people, lateMarch)).toEqual({ fiscalYear: 2027, n: 3, running: true });
    // Going back to per-year numbering starts the new year's own series.
    await saveSettings(deps, sakura.people.secretariat, 'sakura', parsed({ numbering: 'fiscal_year', version: '2' }));
    expect(await acceptCase(deps, sakura.people, await submitCase(deps, sakura.people.fukushi))).toEqual({ fiscalYear: 2027, n: 1 });
  });

  it('refuses, in a running series, a next number already given', async () => {
    await saveSettings(deps, sakura.people.secretariat, 'sakura', parsed({ numbering: 'running', nextConsultationNumber: '120' }));
    expect(await acceptCase(deps, sakura.people, await submitCase(deps, sakura.people.fukushi))).toEqual({ fiscalYear: 2026, n: 120, running: true });
    const back = saveSettings(deps, sakura.people.secretariat, 'sakura', parsed({ numbering: 'running', nextConsultationNumber: '100', version: '2' }));
    await expect(back).rejects.toEqual(new InvalidInputError({ nextConsultationNumber: '通し番号は第120号まで付番済みです。121以上を入力してください。' }));
  });
});
