import type { SearchDocument, SearchKind } from '#shared/domain/search.ts';
import { patterns } from './store/access-patterns.ts';
import { type SearchBuild, searchBuild, searchDocument, searchYear } from './store/entities.ts';
import type { Store } from './store/store.ts';

/**
 * The precedent search's index: one document per record in the council's partition of its fiscal
 * year, the years it has documents in, and the marker of the one-off build. Every write is a put of
 * the whole document (the newest wins), so indexing again is harmless.
 */
export class SearchRepository {
  constructor(private readonly store: Store) {}

  /** Puts the document and notes its fiscal year. */
  async put(councilId: string, doc: SearchDocument): Promise<void> {
    await Promise.all([
      this.store.put(searchDocument, { councilId, ...doc }, doc),
      this.store.put(searchYear, { councilId, fiscalYear: doc.fiscalYear }, { fiscalYear: doc.fiscalYear }),
    ]);
  }

  /** Removes a record's document from one fiscal year (it moved to another). */
  async remove(councilId: string, fiscalYear: number, kind: SearchKind, recordId: string): Promise<void> {
    await this.store.items.deleteMany([searchDocument.key({ councilId, fiscalYear, kind, recordId })]);
  }

  /** The fiscal years with documents, newest first. */
  async years(councilId: string): Promise<number[]> {
    return (await this.store.query(patterns.searchYears, { councilId })).map((y) => y.fiscalYear).sort((a, b) => b - a);
  }

  /** Every document of one fiscal year. */
  documents(councilId: string, fiscalYear: number): Promise<SearchDocument[]> {
    return this.store.query(patterns.searchDocuments, { councilId, fiscalYear });
  }

  build(councilId: string): Promise<SearchBuild | undefined> {
    return this.store.get(patterns.getSearchBuild, { councilId });
  }

  async saveBuild(councilId: string, build: SearchBuild): Promise<void> {
    const { position, doneAt, ...rest } = build;
    await this.store.put(searchBuild, { councilId }, { ...rest, ...(position ? { position } : {}), ...(doneAt ? { doneAt } : {}) });
  }
}
