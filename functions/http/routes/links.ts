import { followUpAnswerInput } from '#shared/domain/followups.ts';
import { ballotInput } from '#shared/domain/voting.ts';
import { DomainError, InvalidInputError } from '#shared/errors.ts';
import { checkForm, type FormProblem } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { answerFollowUp, followUpLinkView, recordEvidence } from '#shared/use-cases/followups.ts';
import { castVote, votingFile, votingView } from '#shared/use-cases/voting.ts';
import { FOLLOW_UP_NOTICES, followUpLinkPage } from '#templates/pages/followups.ts';
import { votePage } from '#templates/pages/vote.ts';
import { allowFormTarget, noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

/**
 * Pages opened from signed links in mails, by people without accounts (members voting, vendors
 * reporting). A GET only shows; a POST acts. The link's token is the credential; a vote link
 * is refused while someone other than its member is signed in on the browser (req.principal).
 */
export const linkRoutes = {
  VoteView: async (req) => {
    const token = req.param('token');
    return page(votePage({ ...(await votingView(req.deps, token, { audit: true, viewer: req.principal })), token, saved: req.query('saved') === '1' }));
  },

  /** The member's vote; sending it again replaces it (the last one counts) while the round is open. */
  VoteCast: async (req) => {
    const token = req.param('token');
    const ballot = checkForm(ballotInput, req.form());
    if (ballot.ok) {
      await castVote(req.deps, token, ballot.value, req.principal);
      return seeOther(href('VoteView', { token }, { saved: 1 }));
    }
    return page(votePage({ ...(await votingView(req.deps, token, { audit: false, viewer: req.principal })), token, state: ballot }), 400);
  },

  VoteFile: async (req) => seeOther(await votingFile(req.deps, req.param('token'), req.param('consultationId'), req.param('attachmentId'), req.principal)),

  FollowUpLinkView: async (req) => {
    const token = req.param('token');
    const view = await followUpLinkView(req.deps, token);
    return allowFormTarget(page(followUpLinkPage({ ...view, token, notice: noticeOf(req, FOLLOW_UP_NOTICES) })), view.upload?.url);
  },

  /** The owner's report, with the evidence uploaded for it. */
  FollowUpAnswer: async (req) => {
    const token = req.param('token');
    const answer = checkForm(followUpAnswerInput, req.form());
    let state: FormProblem | undefined = answer.ok ? undefined : answer;
    if (answer.ok) {
      try {
        await answerFollowUp(req.deps, token, answer.value);
        return seeOther(href('FollowUpLinkView', { token }, { notice: 'answered' }));
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        state = problem(req.form(), e.fields);
      }
    }
    const view = await followUpLinkView(req.deps, token);
    return allowFormTarget(page(followUpLinkPage({ ...view, token, state: state! }), 400), view.upload?.url);
  },

  /** Storage sends the owner back here; the file is checked and kept for the report. */
  FollowUpEvidenceUploaded: async (req) => {
    const token = req.param('token');
    const key = req.query('key');
    if (!key) throw new DomainError('アップロードの結果を受け取れませんでした。もう一度お試しください。');
    const result = await recordEvidence(req.deps, token, key);
    if (result.ok) return seeOther(href('FollowUpLinkView', { token }, { notice: 'uploaded' }));
    const view = await followUpLinkView(req.deps, token);
    return allowFormTarget(page(followUpLinkPage({ ...view, token, error: result.reason }), 400), view.upload?.url);
  },
} satisfies Record<string, RouteHandler>;
