// The evidence library's core (issue 20): search, one clip's record, classification, cases.
import type { Db } from '../db/open.js';
import type { Writer } from '../db/writer.js';
import { Cases } from './cases.js';
import { Classifier } from './classify.js';
import { LibrarySearch } from './library-search.js';

export interface Library {
  search: LibrarySearch;
  classifier: Classifier;
  cases: Cases;
}

export function createLibrary(db: Db, writer: Writer): Library {
  const search = new LibrarySearch(db);
  return { search, classifier: new Classifier(db, writer), cases: new Cases(db, writer, search) };
}
