import { stringify } from 'csv-stringify/sync';

/** One session as `list` prints it in JSON, ndjson and CSV: its chosen fields, in order. */
export type ListRecord = Record<string, string | number | null>;

/**
 * The text of one output format, made as the input comes: `write` gives the text of the next items
 * (possibly none yet), `end` the text after the last one. Nothing is kept between calls but what a
 * format must (the table's first rows, which set its column widths).
 */
export interface ListWriter<T> {
  write(item: T): string;
  end(): string;
}

/**
 * The options of every CSV the toolkit writes (`list --format csv` and the TUI's export): RFC 4180,
 * a header row, CRLF line ends.
 */
export const CSV_OPTIONS = {
  record_delimiter: 'windows',
  // csv-stringify quotes only its own record delimiter (CRLF): a lone LF must be quoted as well,
  // or spreadsheets split the row there.
  quoted_match: /[\r\n]/,
  // Names and emails are typed by shoppers, and a spreadsheet runs a cell that starts with = + - @,
  // TAB or CR (or a full-width = + - @) as a formula when an admin opens the file. OWASP's remedy:
  // prefix such a cell with ' so it shows as text. CSV only: JSON and ndjson carry the data exactly.
  escape_formulas: true,
} as const;

/** One JSON object a line. */
export function ndjsonWriter(): ListWriter<ListRecord> {
  return { write: (r) => `${JSON.stringify(r)}\n`, end: () => '' };
}

/** A JSON array, indented as `JSON.stringify(all, null, 2)` would indent it, written element by element. */
export function jsonArrayWriter(): ListWriter<ListRecord> {
  let count = 0;
  return {
    write(r) {
      const lead = count++ === 0 ? '[\n' : ',\n';
      // Strings carry their line breaks escaped: every line break is the layout's own.
      return `${lead}  ${JSON.stringify(r, null, 2).replaceAll('\n', '\n  ')}`;
    },
    end: () => (count === 0 ? '[]\n' : '\n]\n'),
  };
}

/** RFC 4180 CSV with a header row (written even when no row follows); `bom` for spreadsheets. */
export function csvWriter(fields: readonly string[], opts: { bom?: boolean } = {}): ListWriter<ListRecord> {
  let header: string | undefined = stringify([], {
    ...CSV_OPTIONS,
    header: true,
    columns: [...fields],
    bom: opts.bom ?? false,
  });
  const options = { ...CSV_OPTIONS, header: false, columns: [...fields] };
  const takeHeader = () => {
    const h = header ?? '';
    header = undefined;
    return h;
  };
  return {
    write: (r) => takeHeader() + (plainRow(r, fields) ?? stringify([r], options)),
    end: () => takeHeader(),
  };
}

/**
 * A cell csv-stringify writes unchanged with {@link CSV_OPTIONS}: nothing to quote, no formula to
 * neutralise. Its general path makes several objects a cell, which at a million rows is most of a
 * listing's CPU time and memory: a row made of such cells alone is joined here.
 */
const PLAIN_CELL = /^(?![-=+@\t\r\uFF1D\uFF0B\uFF0D\uFF20])[^,"\r\n]*$/;

/** The CSV line of a record whose cells are all plain (strings, numbers, nulls), else `undefined`. */
function plainRow(r: ListRecord, fields: readonly string[]): string | undefined {
  let row = '';
  for (let i = 0; i < fields.length; i++) {
    const v = r[fields[i] as string];
    let cell: string;
    if (v === null) cell = '';
    else if (typeof v === 'number') cell = String(v);
    else if (typeof v === 'string' && PLAIN_CELL.test(v)) cell = v;
    else return undefined;
    row += i === 0 ? cell : `,${cell}`;
  }
  return `${row}\r\n`;
}
