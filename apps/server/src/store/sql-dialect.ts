/** Placeholder style and case-insensitive LIKE of one SQL dialect. */
export interface Dialect {
  placeholder(index: number): string;
  /** The `index`-th parameter by number, so that a statement may use it more than once. */
  param(index: number): string;
  ilike: string;
}

export const sqliteDialect: Dialect = { placeholder: () => '?', param: (i) => `?${i}`, ilike: 'LIKE' };
export const postgresDialect: Dialect = {
  placeholder: (i) => `$${i}`,
  param: (i) => `$${i}`,
  ilike: 'ILIKE',
};

/** A statement and its parameters. */
export interface BuiltSql {
  sql: string;
  params: Array<string | number>;
}

/** Collects parameters and hands out the dialect's placeholder for each. */
export class SqlParams {
  readonly params: Array<string | number> = [];
  constructor(readonly dialect: Dialect) {}
  add(value: string | number): string {
    this.params.push(value);
    return this.dialect.placeholder(this.params.length);
  }
}
