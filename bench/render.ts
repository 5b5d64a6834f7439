/**
 * Child process, section 4: exporting the minutes of a 100-item meeting, against a running
 * stack (the environment comes from the orchestrator).
 *  - The minutes export (.docx, and the HTML and CSV made from the same document) when the
 *    feature is there: shared/domain/minutes.ts and templates/minutes/*.ts, looked up by name at
 *    run time, so the bench reports "pending" rather than failing while the feature is built.
 *    It runs first, right after the data is read, so the peak memory is the export's own.
 *  - Always: the 会議次第 page of the meeting and the 100 審議票 of its cases, through the real
 *    handlers and templates.
 */

import { authFromEnv } from './lib/auth.ts';
import { httpEvent } from './lib/events.ts';
import { serve } from './lib/rpc.ts';
import { median, round } from './lib/stats.ts';

export interface MinutesExport {
  available: boolean;
  /** Why not, when the feature is missing or its interface changed. */
  reason?: string;
  /** draftMinutes + minutesDocument (the layout every format starts from). */
  layoutMs?: number;
  docx?: { ms: number; kiB: number };
  html?: { ms: number; kiB: number };
  csv?: { ms: number; kiB: number };
  memory?: { rssBeforeMiB: number; peakRssMiB: number; peakHeapMiB: number; heapBeforeMiB: number };
}

export interface RenderResult {
  items: number;
  minutes: MinutesExport;
  meeting: {
    /** The whole handler (data + page), first call and median of the next ones. */
    handlerFirstMs: number;
    handlerMedianMs: number;
    /** Split of one request: viewMeeting (DynamoDB) and meetingPage (HTML). */
    dataMedianMs: number;
    renderMedianMs: number;
    htmlKiB: number;
  };
  cases: { pages: number; totalMs: number; medianMs: number; htmlKiB: number };
  memory: { rssBeforeMiB: number; peakRssAfterMeetingMiB: number; peakRssMiB: number; heapBeforeMiB: number; heapAfterMiB: number };
}

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode?: number; body?: string }>;
const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'bench', awsRequestId: 'bench' };
const mib = (bytes: number) => round(bytes / 2 ** 20, 1);

async function render({
  meetingId,
  caseIds,
  items,
  env,
}: {
  meetingId: string;
  caseIds: string[];
  items: number;
  env: Record<string, string>;
}): Promise<RenderResult> {
  // The handlers read their settings at import: set the stack's environment first.
  Object.assign(process.env, env);
  const staffPages = (await import('#functions/staff.ts')).handler as unknown as Handler;
  const [meetingView, caseView] = [staffPages, staffPages];
  const { createDeps } = await import('#shared/adapters/deps.ts');
  const { viewMeeting } = await import('#shared/use-cases/meetings.ts');
  const { meetingPage } = await import('#templates/pages/meetings.ts');
  const { DEMO_IDENTITIES } = await import('#infra/local/demo-data.ts');
  const secretariat = DEMO_IDENTITIES.find((i) => i.userId === 'u-secretariat')!;
  const deps = createDeps();
  const auth = await authFromEnv(env);

  // The export first, on the data the meeting page reads.
  const minutes = await minutesExport(await viewMeeting(deps, secretariat, 'sakura', meetingId));

  globalThis.gc?.();
  const before = process.memoryUsage();
  const meetingEvent = httpEvent('MeetingView', auth, { path: `/c/sakura/meetings/${meetingId}`, userId: 'u-secretariat' });
  const call = async (h: Handler, event: unknown) => {
    const t = performance.now();
    const res = await h(event, context);
    if (res.statusCode !== 200) throw new Error(`page answered ${res.statusCode}: ${res.body?.slice(0, 300)}`);
    return { ms: performance.now() - t, bytes: Buffer.byteLength(res.body ?? '') };
  };
  const first = await call(meetingView, meetingEvent);
  const rest: number[] = [];
  for (let i = 0; i < 5; i++) rest.push((await call(meetingView, meetingEvent)).ms);
  const data: number[] = [];
  const pages: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const view = await viewMeeting(deps, secretariat, 'sakura', meetingId);
    const t1 = performance.now();
    meetingPage({ ...view });
    data.push(t1 - t0);
    pages.push(performance.now() - t1);
  }
  const peakAfterMeeting = process.resourceUsage().maxRSS;
  const caseMs: number[] = [];
  let caseBytes = 0;
  const t = performance.now();
  for (const id of caseIds) {
    const r = await call(caseView, httpEvent('ConsultationView', auth, { path: `/c/sakura/consultations/${id}`, userId: 'u-secretariat' }));
    caseMs.push(r.ms);
    caseBytes += r.bytes;
  }
  const totalCases = performance.now() - t;
  const after = process.memoryUsage();
  return {
    items,
    minutes,
    meeting: {
      handlerFirstMs: round(first.ms, 1),
      handlerMedianMs: round(median(rest), 1),
      dataMedianMs: round(median(data), 1),
      renderMedianMs: round(median(pages), 1),
      htmlKiB: round(first.bytes / 1024, 1),
    },
    cases: { pages: caseIds.length, totalMs: round(totalCases, 0), medianMs: round(median(caseMs), 1), htmlKiB: round(caseBytes / 1024, 0) },
    // maxRSS is the peak of the whole process (KiB): imports included, so it is an upper bound.
    memory: {
      rssBeforeMiB: mib(before.rss),
      peakRssAfterMeetingMiB: round(peakAfterMeeting / 1024, 1),
      peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
      heapBeforeMiB: mib(before.heapUsed),
      heapAfterMiB: mib(after.heapUsed),
    },
  };
}

/** A module of the minutes feature, by a name TypeScript does not resolve (see the file comment). */
const featureModule = (name: string): Promise<Record<string, unknown>> => import(name) as Promise<Record<string, unknown>>;
type Fn = (...args: unknown[]) => unknown;

async function minutesExport(view: Record<string, unknown>): Promise<MinutesExport> {
  let api: { draftMinutes: Fn; minutesDocument: Fn; minutesDocx: Fn; minutesHtml?: Fn; minutesCsv?: Fn };
  try {
    const [domain, docx, html, csv] = await Promise.all([
      featureModule('#shared/domain/minutes.ts'),
      featureModule('#templates/minutes/docx.ts'),
      featureModule('#templates/minutes/html.ts').catch((): Record<string, unknown> => ({})),
      featureModule('#templates/minutes/csv.ts').catch((): Record<string, unknown> => ({})),
    ]);
    api = {
      draftMinutes: domain['draftMinutes'] as Fn,
      minutesDocument: domain['minutesDocument'] as Fn,
      minutesDocx: docx['minutesDocx'] as Fn,
      minutesHtml: html['minutesHtml'] as Fn | undefined,
      minutesCsv: csv['minutesCsv'] as Fn | undefined,
    };
    if (typeof api.draftMinutes !== 'function' || typeof api.minutesDocument !== 'function' || typeof api.minutesDocx !== 'function')
      throw new Error('draftMinutes, minutesDocument or minutesDocx missing');
  } catch (e) {
    return { available: false, reason: `minutes export not found: ${String(e).slice(0, 160)}` };
  }
  try {
    globalThis.gc?.();
    const before = process.memoryUsage();
    // Sample the heap while the export runs (it yields while zipping), for its peak.
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 2);
    const { council, meeting, agenda, members, cases, departments } = view;
    const t0 = performance.now();
    const minutes = api.draftMinutes({ meeting, agenda, members, council, now: new Date().toISOString(), by: 'u-secretariat' });
    const doc = api.minutesDocument({ minutes, council, meeting, agenda, members, cases, departments, edition: 'internal' });
    const t1 = performance.now();
    const docx = (await api.minutesDocx(doc)) as Buffer;
    const t2 = performance.now();
    clearInterval(sampler);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const timedText = (fn: Fn | undefined) => {
      if (!fn) return undefined;
      const t = performance.now();
      const out = fn(doc) as string | Buffer;
      return { ms: round(performance.now() - t, 1), kiB: round(Buffer.byteLength(out) / 1024, 1) };
    };
    return {
      available: true,
      layoutMs: round(t1 - t0, 1),
      docx: { ms: round(t2 - t1, 1), kiB: round(docx.byteLength / 1024, 1) },
      ...(api.minutesHtml ? { html: timedText(api.minutesHtml)! } : {}),
      ...(api.minutesCsv ? { csv: timedText(api.minutesCsv)! } : {}),
      memory: { rssBeforeMiB: mib(before.rss), peakRssMiB: mib(peakRss), peakHeapMiB: mib(peakHeap), heapBeforeMiB: mib(before.heapUsed) },
    };
  } catch (e) {
    return { available: false, reason: `minutes export failed: ${String(e).slice(0, 300)}` };
  }
}

serve(async () => ({ pid: process.pid }), { render });
