import { newId } from '#shared/adapters/runtime.ts';
import { officesInput } from '#shared/domain/council.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { ConflictError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { revokeMemberLinks } from '#shared/use-cases/links.ts';
import { addMember, addMemberCommand, editMember, editMemberCommand, memberForEdit, setOffices, viewRoster } from '#shared/use-cases/members.ts';
import { resendVoteLinks } from '#shared/use-cases/voting.ts';
import { emptyForm } from '#templates/form.ts';
import { memberEditPage, membersPage, NOTICES } from '#templates/pages/members.ts';
import { noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

/** 委員名簿: the roster, the secretariat's forms to add a member and set the offices, and a member's edit form. */
export const memberRoutes = {
  MembersList: async (req) =>
    page(
      membersPage({
        ...(await viewRoster(req.deps, req.principal, req.param('councilId'))),
        notice: noticeOf(req, NOTICES),
        addForm: emptyForm({ requestId: newId() }),
      }),
    ),

  MemberAdd: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(addMemberCommand, req.form());
    if (command.ok) {
      await addMember(req.deps, req.principal, councilId, command.value);
      return seeOther(href('MembersList', { councilId }, { notice: 'added' }));
    }
    requireRole(req.principal, councilId, 'secretariat');
    return page(membersPage({ ...(await viewRoster(req.deps, req.principal, councilId)), addForm: command }), 400);
  },

  MemberEdit: async (req) => {
    const view = await memberForEdit(req.deps, req.principal, req.param('councilId'), req.param('memberId'));
    const { name, kana, category, affiliation, email, version } = view.member;
    return page(memberEditPage({ ...view, form: emptyForm({ name, kana, category, affiliation, email, version: String(version) }) }));
  },

  /** Invalid input or a conflicting edit brings the form back with what was typed, never silently merged. */
  MemberSave: async (req) => {
    const [councilId, memberId] = [req.param('councilId'), req.param('memberId')];
    const command = checkForm(editMemberCommand, req.form());
    let state = command.ok ? undefined : command;
    if (command.ok) {
      try {
        await editMember(req.deps, req.principal, councilId, memberId, command.value);
        return seeOther(href('MembersList', { councilId }, { notice: 'saved' }));
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        state = problem(req.form(), { _form: e.message });
      }
    }
    // On a conflict the hidden version stays the one the editor started from, so saving again is refused until they reload.
    const view = await memberForEdit(req.deps, req.principal, councilId, memberId);
    return page(memberEditPage({ ...view, form: state! }), state!.errors['_form'] ? 409 : 400);
  },

  /** The secretariat revokes every voting link mailed to a member so far. */
  MemberLinksRevoke: async (req) => {
    const councilId = req.param('councilId');
    await revokeMemberLinks(req.deps, req.principal, councilId, req.param('memberId'));
    return seeOther(href('MembersList', { councilId }, { notice: 'links_revoked' }));
  },

  /** The secretariat mails a member new links to the written votes still open that they vote in. */
  MemberLinksResend: async (req) => {
    const councilId = req.param('councilId');
    const sent = await resendVoteLinks(req.deps, req.principal, councilId, req.param('memberId'));
    return seeOther(href('MembersList', { councilId }, { notice: sent ? 'links_resent' : 'links_none' }));
  },

  OfficesSave: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(officesInput, req.form());
    if (command.ok) {
      await setOffices(req.deps, req.principal, councilId, command.value);
      return seeOther(href('MembersList', { councilId }, { notice: 'offices' }));
    }
    requireRole(req.principal, councilId, 'secretariat');
    return page(
      membersPage({ ...(await viewRoster(req.deps, req.principal, councilId)), addForm: emptyForm({ requestId: newId() }), officesForm: command }),
      400,
    );
  },
} satisfies Record<string, RouteHandler>;
