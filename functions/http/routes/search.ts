import { readSearchQuery } from '#shared/domain/search.ts';
import { href } from '#shared/routes.ts';
import { buildIndex, searchRecords } from '#shared/use-cases/search.ts';
import { SEARCH_NOTICES, searchPage } from '#templates/pages/search.ts';
import { noticeOf, page, type RouteHandler, seeOther } from '../kit.ts';

/** 先例検索: the search page, and the secretariat's one-off indexing of the records written before the index. */
export const searchRoutes = {
  SearchView: async (req) =>
    page(
      searchPage({
        ...(await searchRecords(req.deps, req.principal, req.param('councilId'), readSearchQuery(req.query))),
        notice: noticeOf(req, SEARCH_NOTICES),
      }),
    ),

  /** One bounded batch of the build; the page says whether to press again. */
  SearchIndexBuild: async (req) => {
    const councilId = req.param('councilId');
    const build = await buildIndex(req.deps, req.principal, councilId);
    return seeOther(href('SearchView', { councilId }, { notice: build.doneAt ? 'built' : 'partial' }));
  },
} satisfies Record<string, RouteHandler>;
