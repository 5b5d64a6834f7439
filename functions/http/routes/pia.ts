import {
  commentsOf,
  findingsOf,
  piaApprovalInput,
  piaCommentInput,
  piaOpenInput,
  piaOpinionDocument,
  piaOpinionInput,
  piaReviewInput,
  piaSectionsInput,
  piaStepInput,
  piaVersionInput,
} from '#shared/domain/pia.ts';
import { DomainError, InvalidInputError } from '#shared/errors.ts';
import { checkForm, type FormProblem } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import {
  addPiaVersion,
  approvePiaOpinion,
  closePiaReview,
  createPiaReview,
  listPiaReviews,
  openPiaReview,
  type PiaRef,
  piaLinkFile,
  piaLinkView,
  piaVersionDownload,
  recordPiaStep,
  recordPiaUpload,
  reopenPiaOpinion,
  resendPiaLink,
  savePiaComments,
  savePiaOpinion,
  saveSections,
  viewPiaReview,
} from '#shared/use-cases/pia.ts';
import { PIA_NOTICES, type PiaForm, piaLinkPage, piaListPage, piaReviewPage } from '#templates/pages/pia.ts';
import { allowFormTarget, download, noticeOf, page, problem, type Request, type RouteHandler, seeOther, wordRenderer } from '../kit.ts';

const refOf = (req: Request): PiaRef => ({ councilId: req.param('councilId'), reviewId: req.param('reviewId') });

/** The review page, shown again with one form's errors (400) or a message. */
async function reviewPage(req: Request, extra: { form?: PiaForm; state?: FormProblem; error?: string } = {}) {
  const view = await viewPiaReview(req.deps, req.principal, refOf(req));
  const forms = extra.form && extra.state ? { [extra.form]: extra.state } : {};
  const status = extra.state || extra.error ? 400 : 200;
  return allowFormTarget(
    page(piaReviewPage({ ...view, forms, error: extra.error, notice: status === 200 ? noticeOf(req, PIA_NOTICES) : undefined }), status),
    view.upload?.url,
  );
}

/**
 * A form post: checked by its schema, then the use case; a refusal of a field comes back beside
 * it on the review page, success goes on to the page with its notice.
 */
async function act(
  req: Request,
  form: PiaForm,
  outcome: { ok: true; value: unknown } | FormProblem,
  run: () => Promise<unknown>,
  notice: keyof typeof PIA_NOTICES,
) {
  if (!outcome.ok) return reviewPage(req, { form, state: outcome });
  try {
    await run();
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    return reviewPage(req, { form, state: problem(req.form(), e.fields) });
  }
  return seeOther(`${href('PiaView', refOf(req), { notice })}`);
}

/** 特定個人情報保護評価書の第三者点検: the department's record, the secretariat's review and opinion, the chair's approval. */
export const piaRoutes = {
  PiaList: async (req) => page(piaListPage(await listPiaReviews(req.deps, req.principal, req.param('councilId')))),

  PiaCreate: async (req) => {
    const councilId = req.param('councilId');
    const input = checkForm(piaReviewInput, req.form());
    let state: FormProblem | undefined = input.ok ? undefined : input;
    if (input.ok) {
      try {
        const ref = await createPiaReview(req.deps, req.principal, councilId, input.value);
        return seeOther(href('PiaView', ref, { notice: 'created' }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        state = problem(req.form(), e.fields);
      }
    }
    return page(piaListPage({ ...(await listPiaReviews(req.deps, req.principal, councilId)), state }), 400);
  },

  PiaView: async (req) => reviewPage(req),

  PiaSections: async (req) => {
    const input = checkForm(piaSectionsInput, req.form());
    return act(req, 'sections', input, () => saveSections(req.deps, req.principal, refOf(req), input.ok ? input.value.sections : []), 'sections');
  },

  /** Storage sends the department back here; the file is checked and waits to be registered as the next 版. */
  PiaUploaded: async (req) => {
    const key = req.query('key');
    if (!key) throw new DomainError('アップロードの結果を受け取れませんでした。もう一度お試しください。');
    const result = await recordPiaUpload(req.deps, req.principal, refOf(req), key);
    if (result.ok) return seeOther(href('PiaView', refOf(req), { notice: 'uploaded' }));
    return reviewPage(req, { error: result.reason });
  },

  PiaVersionAdd: async (req) => {
    const input = checkForm(piaVersionInput, req.form());
    return act(req, 'version', input, () => addPiaVersion(req.deps, req.principal, refOf(req), input.ok ? input.value : { date: '', note: '' }), 'version');
  },

  PiaVersionFile: async (req) => {
    const n = Number(req.param('n'));
    return seeOther(await piaVersionDownload(req.deps, req.principal, refOf(req), Number.isSafeInteger(n) ? n : -1));
  },

  PiaOpen: async (req) => {
    const input = checkForm(piaOpenInput, req.form());
    return act(req, 'open', input, () => openPiaReview(req.deps, req.principal, refOf(req), input.ok ? input.value.deadline : ''), 'opened');
  },

  PiaClose: async (req) => {
    await closePiaReview(req.deps, req.principal, refOf(req));
    return seeOther(href('PiaView', refOf(req), { notice: 'closed' }));
  },

  /** The secretariat mails one member of the review a new link (their old ones revoked, or the mail lost). */
  PiaLinkResend: async (req) => {
    await resendPiaLink(req.deps, req.principal, refOf(req), req.param('memberId'));
    return seeOther(href('PiaView', refOf(req), { notice: 'resent' }));
  },

  PiaOpinionSave: async (req) => {
    const { review } = await viewPiaReview(req.deps, req.principal, refOf(req));
    const n = review.sections.length;
    const input = checkForm(
      piaOpinionInput(n),
      req.form(),
      (f) => findingsOf(f, n),
      (_f, path) => (path === 'summary' ? 'general' : path.replace(/^findings\.(\d+)$/, 'f$1')),
    );
    return act(
      req,
      'opinion',
      input,
      () => savePiaOpinion(req.deps, req.principal, refOf(req), input.ok ? input.value : { verdict: 'conforming', summary: '', findings: [], intent: 'save' }),
      input.ok && input.value.intent === 'submit' ? 'submitted' : 'saved',
    );
  },

  PiaOpinionReopen: async (req) => {
    await reopenPiaOpinion(req.deps, req.principal, refOf(req));
    return seeOther(href('PiaView', refOf(req), { notice: 'reopened' }));
  },

  PiaOpinionApprove: async (req) => {
    const input = checkForm(piaApprovalInput, req.form());
    return act(req, 'approve', input, () => approvePiaOpinion(req.deps, req.principal, refOf(req), input.ok ? input.value : { issuedOn: '' }), 'approved');
  },

  /** The opinion as a Word file, named by its 文書番号. */
  PiaOpinionDocx: async (req) => {
    const { review, council, department, members } = await viewPiaReview(req.deps, req.principal, refOf(req));
    if (!review.opinion) throw new DomainError('意見はまだありません。');
    const chair = members.find((m) => m.memberId === council.chairMemberId);
    const { DOCX, documentDocx } = await wordRenderer();
    const doc = piaOpinionDocument({ review, council, chairName: chair?.name, departmentName: department?.name });
    return download(await documentDocx(doc), DOCX, `評価書点検意見 ${review.opinion.documentNumber ?? review.businessName}.docx`);
  },

  PiaStep: async (req) => {
    const input = checkForm(piaStepInput, req.form());
    const step = [req.form()['step'] ?? ''].flat()[0];
    const form: PiaForm = step === 'public_comment' || step === 'submitted' || step === 'published' || step === 'major_change' ? step : 'submitted';
    return act(req, form, input, () => (input.ok ? recordPiaStep(req.deps, req.principal, refOf(req), input.value) : Promise.resolve()), 'step');
  },
} satisfies Record<string, RouteHandler>;

/** A member's page from their mailed link: the 評価書 and a comment box per section. */
export const piaLinkRoutes = {
  PiaLinkView: async (req) => {
    const token = req.param('token');
    return page(piaLinkPage({ ...(await piaLinkView(req.deps, token, { audit: true, viewer: req.principal })), token, saved: req.query('saved') === '1' }));
  },

  PiaLinkSave: async (req) => {
    const token = req.param('token');
    const view = await piaLinkView(req.deps, token, { audit: false, viewer: req.principal });
    const n = view.review.sections.length;
    const input = checkForm(
      piaCommentInput(n),
      req.form(),
      (f) => commentsOf(f, n),
      (_f, path) => path.replace(/^comments\.(\d+)$/, 'c$1'),
    );
    if (input.ok) {
      await savePiaComments(req.deps, token, input.value.comments, req.principal);
      return seeOther(href('PiaLinkView', { token }, { saved: 1 }));
    }
    return page(piaLinkPage({ ...view, token, state: input }), 400);
  },

  PiaLinkFile: async (req) => seeOther(await piaLinkFile(req.deps, req.param('token'), req.principal)),
} satisfies Record<string, RouteHandler>;
