import { Foundation1763790000000 } from './1763790000000-Foundation';

/** Every migration, in order. The apps, the CLI and the tests all run this list. */
export const MIGRATIONS = [Foundation1763790000000];
