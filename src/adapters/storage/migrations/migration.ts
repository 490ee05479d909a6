/** One numbered schema migration. `sql` may hold several statements; it runs once, in a transaction. */
export interface Migration {
  /** 1, 2, 3 … applied in order; never renumber a released migration. */
  version: number;
  /** Short kebab-case name, recorded with the version. */
  name: string;
  /** PostgreSQL 15 SQL (also runs on PGlite). */
  sql: string;
}
