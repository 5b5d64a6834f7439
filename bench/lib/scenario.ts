/**
 * The steps of a consultation through the real pages (as tests/integration/meetings.test.ts
 * drives them), shared by the cost scenario and the seeding of the benchmark's data set.
 * Every POST is followed by the GET of the page it redirects to, as a browser would.
 */
import { DEMO_COUNCIL, DEMO_MEMBERS } from '#infra/local/demo-data.ts';
import { completeForm } from '../../tests/support/consultation-forms.ts';
import type { Auth } from './auth.ts';
import { asUser, type Form, inputValue, itemIdsOf, type statusReader, text } from './pages.ts';

type Reader = ReturnType<typeof statusReader>;
export const COUNCIL = DEMO_COUNCIL.councilId;
const CASES = `/c/${COUNCIL}/consultations`;
const MEETINGS = `/c/${COUNCIL}/meetings`;
const idOf = (path: string) => path.split('/').pop()!;
/** 'YYYY-MM-DD', `days` from today: meetings and deadlines in the future, whatever day the bench runs. */
export const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function steps(base: string, reader: Reader, auth: Auth) {
  const secretariat = asUser(base, auth, 'u-secretariat');
  return {
    secretariat,
    /** A department fills in the form and submits it; returns the case id once it waits for screening. */
    async submitCase(title: string, departmentUser = 'u-fukushi'): Promise<string> {
      const dept = asUser(base, auth, departmentUser);
      const form = await text(dept.get(`${CASES}/new`));
      const { location } = await dept.submit(CASES, completeForm({ requestId: inputValue(form, 'requestId'), title, action: 'submit' }));
      const id = idOf(location);
      await reader.waitForStatus(COUNCIL, id, 'screening');
      return id;
    },
    /** The secretariat opens the case from its queue and accepts it (numbered) or returns it. */
    async screen(id: string, decision: 'accept' | 'return', viaQueue = false): Promise<void> {
      if (viaQueue) await text(secretariat.get(CASES));
      const page = await text(secretariat.get(`${CASES}/${id}`));
      const form: Form =
        decision === 'accept' ? { decision, requestId: inputValue(page, 'requestId') } : { decision, comment: '目的欄の記載を具体的にしてください。' };
      await secretariat.submit(`${CASES}/${id}/screening`, form);
      await reader.waitForStatus(COUNCIL, id, decision === 'accept' ? 'accepted' : 'returned');
    },
    /** Registers a meeting (or a written decision) and returns its path. */
    async createMeeting(kind: 'meeting' | 'written', date: string): Promise<string> {
      const form = await text(secretariat.get(MEETINGS));
      const requestId = inputValue(form, 'requestId');
      const fields: Form =
        kind === 'meeting'
          ? { requestId, kind, date, startTime: '10:00', endTime: '11:30', venue: '市役所5階特別会議室', publicObservation: 'yes' }
          : { requestId, kind, date };
      return (await secretariat.submit(MEETINGS, fields)).location;
    },
    /** Puts cases on the agenda, one item each, and waits until they are scheduled. */
    async addItems(meetingPath: string, ids: string[]): Promise<void> {
      await secretariat.submit(`${meetingPath}/items`, { kind: 'deliberation', consultationIds: ids, bundle: 'separate' });
      for (const id of ids) await reader.waitForStatus(COUNCIL, id, 'scheduled');
    },
    mailAgenda: (meetingPath: string) => secretariat.submit(`${meetingPath}/mail`, {}),
    /** Opens the deliberation; returns the agenda item ids from the page it leads to. */
    async open(meetingPath: string, ids: string[]): Promise<string[]> {
      const { page } = await secretariat.submit(`${meetingPath}/open`, {});
      for (const id of ids) await reader.waitForStatus(COUNCIL, id, 'in_deliberation');
      return itemIdsOf(page);
    },
    /** A show of hands: every member present and for; with conditions the answer is 条件付き可. */
    async decide(meetingPath: string, itemId: string, conditions?: string): Promise<void> {
      await secretariat.submit(`${meetingPath}/items/${itemId}/decision`, {
        mode: 'all',
        present: DEMO_MEMBERS.map((m) => m.memberId),
        ...(conditions ? { conditions } : {}),
      });
    },
    /**
     * The decided answers wait for approval: the secretariat opens each draft and approves it on
     * the chair's instruction, dated the meeting's day; the workflow then sends it to the department.
     */
    async approveAnswers(ids: string[], issuedOn: string): Promise<void> {
      for (const id of ids) {
        await reader.waitForStatus(COUNCIL, id, 'answer_review');
        await text(secretariat.get(`${CASES}/${id}/answer`));
        await secretariat.submit(`${CASES}/${id}/answer`, { issuedOn, onInstruction: 'yes' });
      }
    },
  };
}

export const CONDITIONS = 'クラウド事業者のISMS認証の更新を確認すること。\n障害時の連絡体制を運用規定に定めること。';
