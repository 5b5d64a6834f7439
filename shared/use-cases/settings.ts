import type { Deps } from '#shared/adapters/deps.ts';
import { type CouncilSettingsInput, STANDARD_CONDITIONS } from '#shared/domain/council.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';

type SettingsDeps = Pick<Deps, 'councils' | 'clock'>;

/** 審議会の設定 as the secretariat sees it: the council, and the numbers this fiscal year has given so far. */
export async function viewSettings(deps: SettingsDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const year = fiscalYear(deps.clock.now());
  const [council, last] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.lastNumbers(councilId, year)]);
  return { viewer, council, fiscalYear: year, last, standardConditions: council.conditionLibrary ?? [...STANDARD_CONDITIONS] };
}

/**
 * Saves the settings. Numbering continues an existing series — e.g. a council that issued
 * 諮問第1–3号 on paper sets 4 — only forward: a number this year already gave is refused beside
 * its field, so no number is ever given twice. Nothing is written unless every part may be.
 */
export async function saveSettings(deps: SettingsDeps, principal: Principal | undefined, councilId: string, input: CouncilSettingsInput): Promise<void> {
  requireRole(principal, councilId, 'secretariat');
  const year = fiscalYear(deps.clock.now());
  const [council, last] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.lastNumbers(councilId, year)]);
  if (council.version !== input.version)
    throw new ConflictError('他の方が先に審議会の設定を更新しました。最新の内容を確認してから、もう一度操作してください。');
  const refused: Record<string, string> = {};
  if (input.nextConsultationNumber !== undefined && input.nextConsultationNumber <= last.consultation) {
    refused['nextConsultationNumber'] = `今年度は第${last.consultation}号まで付番済みです。${last.consultation + 1}以上を入力してください。`;
  }
  if (input.nextMeetingNumber !== undefined && input.nextMeetingNumber <= last.meeting) {
    refused['nextMeetingNumber'] = `今年度は第${last.meeting}回まで付番済みです。${last.meeting + 1}以上を入力してください。`;
  }
  if (Object.keys(refused).length) throw new InvalidInputError(refused);
  await deps.councils.updateSettings(
    councilId,
    {
      name: input.name,
      contact: input.contact,
      secretariatEmail: input.secretariatEmail,
      rules: { quorum: input.quorum, chairBreaksTie: input.chairBreaksTie },
      conditionLibrary: input.conditionLibrary,
      mailSignature: input.mailSignature,
      senderName: input.senderName,
      senderAddress: input.senderAddress,
      replyTo: input.replyTo,
    },
    input.version,
  );
  // After the settings (whose version check guards a stale form): a lost race on a counter is said beside its field.
  if (input.nextConsultationNumber !== undefined && !(await deps.councils.continueSeries('consultation', councilId, year, input.nextConsultationNumber))) {
    throw new InvalidInputError({ nextConsultationNumber: 'その番号は直前に付番されました。ページを開き直して、もう一度入力してください。' });
  }
  if (input.nextMeetingNumber !== undefined && !(await deps.councils.continueSeries('meeting', councilId, year, input.nextMeetingNumber))) {
    throw new InvalidInputError({ nextMeetingNumber: 'その回は直前に付番されました。ページを開き直して、もう一度入力してください。' });
  }
}
