import type { Deps } from '#shared/adapters/deps.ts';
import { type Council, type CouncilSettingsInput, consultationSeries, RUNNING_SERIES, STANDARD_CONDITIONS } from '#shared/domain/council.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';

type SettingsDeps = Pick<Deps, 'councils' | 'clock'>;

/** 審議会の設定 as the secretariat sees it: the council, and the numbers this fiscal year has given so far. */
export async function viewSettings(deps: SettingsDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const year = fiscalYear(deps.clock.now());
  const council = await deps.councils.getCouncil(councilId);
  const last = await lastNumbersOf(deps, council, year);
  return { viewer, council, fiscalYear: year, last, standardConditions: council.conditionLibrary ?? [...STANDARD_CONDITIONS] };
}

/** The last 諮問番号 of the council's series (this fiscal year's, or the running one) and this year's last meeting number. */
async function lastNumbersOf(deps: SettingsDeps, council: Council, year: number) {
  const [numbers, series] = await Promise.all([
    deps.councils.lastNumbers(council.councilId, year),
    council.numbering === 'running' ? deps.councils.lastNumbers(council.councilId, RUNNING_SERIES) : undefined,
  ]);
  return { consultation: series ? series.consultation : numbers.consultation, meeting: numbers.meeting };
}

/**
 * Saves the settings. Numbering continues an existing series — e.g. a council that issued
 * 諮問第1–3号 on paper sets 4 — only forward: a number this year already gave is refused beside
 * its field, so no number is ever given twice. Nothing is written unless every part may be.
 */
export async function saveSettings(deps: SettingsDeps, principal: Principal | undefined, councilId: string, input: CouncilSettingsInput): Promise<void> {
  requireRole(principal, councilId, 'secretariat');
  const year = fiscalYear(deps.clock.now());
  const council = await deps.councils.getCouncil(councilId);
  // Numbers already given in the series the council switches to (a running series starts where this year's stands).
  const switching = (council.numbering ?? 'fiscal_year') !== input.numbering;
  const last = await lastNumbersOf(deps, { ...council, numbering: input.numbering }, year);
  if (switching && input.numbering === 'running')
    last.consultation = Math.max(last.consultation, (await deps.councils.lastNumbers(councilId, year)).consultation);
  if (council.version !== input.version)
    throw new ConflictError('他の方が先に審議会の設定を更新しました。最新の内容を確認してから、もう一度操作してください。');
  const refused: Record<string, string> = {};
  if (input.nextConsultationNumber !== undefined && input.nextConsultationNumber <= last.consultation) {
    refused['nextConsultationNumber'] =
      `${input.numbering === 'running' ? '通し番号' : '今年度'}は第${last.consultation}号まで付番済みです。${last.consultation + 1}以上を入力してください。`;
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
      rules: { quorum: input.quorum, chairBreaksTie: input.chairBreaksTie, majority: input.majority },
      numbering: input.numbering,
      conditionLibrary: input.conditionLibrary,
      mailSignature: input.mailSignature,
      senderName: input.senderName,
      senderAddress: input.senderAddress,
      replyTo: input.replyTo,
      ...(input.legalBasis ? { legalBasis: input.legalBasis, consultationKinds: input.consultationKinds, reportKinds: input.reportKinds } : {}),
    },
    input.version,
  );
  // After the settings (whose version check guards a stale form): a lost race on a counter is said beside its field.
  // A council that turns to a running series continues it from this year's numbers unless it names the next one.
  const series = consultationSeries({ numbering: input.numbering }, year);
  const nextCase = input.nextConsultationNumber ?? (switching && input.numbering === 'running' && last.consultation > 0 ? last.consultation + 1 : undefined);
  if (
    nextCase !== undefined &&
    !(await deps.councils.continueSeries('consultation', councilId, series, nextCase)) &&
    input.nextConsultationNumber !== undefined
  ) {
    throw new InvalidInputError({ nextConsultationNumber: 'その番号は直前に付番されました。ページを開き直して、もう一度入力してください。' });
  }
  if (input.nextMeetingNumber !== undefined && !(await deps.councils.continueSeries('meeting', councilId, year, input.nextMeetingNumber))) {
    throw new InvalidInputError({ nextMeetingNumber: 'その回は直前に付番されました。ページを開き直して、もう一度入力してください。' });
  }
}
