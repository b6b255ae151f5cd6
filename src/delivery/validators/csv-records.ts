// A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF/LF) for manifests and the CSV sniffer.

export type CsvParse =
  | { rows: string[][] }
  | { error: string; row: number };

/**
 * Parses at most `rowsMax` records. When `partial` is true the text is only the head of a file, so a
 * record cut off at the end is dropped instead of being an error. Empty lines are skipped.
 */
export function parseCsv(text: string, rowsMax: number, partial = false): CsvParse {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted (only a separator may follow its closing quote)
  const endRow = (): void => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '' && !wasQuoted)) rows.push(row);
    row = [];
    field = '';
    wasQuoted = false;
  };
  while (i < text.length) {
    if (rows.length >= rowsMax) return { rows };
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      wasQuoted = false;
    } else if (c === '\r' || c === '\n') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else if (c === '"') {
      if (field !== '' || wasQuoted) return { error: 'a quote (") inside an unquoted field', row: rows.length + 1 };
      quoted = true;
      wasQuoted = true;
    } else {
      if (wasQuoted) return { error: 'text after a closing quote', row: rows.length + 1 };
      field += c;
    }
    i++;
  }
  if (quoted) return partial ? { rows } : { error: 'a quoted field is not closed', row: rows.length + 1 };
  if (!partial && (field !== '' || row.length > 0 || wasQuoted)) endRow();
  return { rows: rows.slice(0, rowsMax) };
}
