/**
 * Anki's "Notes in Plain Text" export: header lines (`#separator:tab`, `#html:true`,
 * `#columns:…`, `#deck:…`, `#deck column:N`, `#tags column:N`, …), then one note per record,
 * fields separated by the separator and quoted CSV-style when they hold it or a line break.
 * Exports without headers (older Anki) are read as tab-separated HTML.
 */
import { assemble, type SourceNote } from './assemble.ts';
import { noteParts } from './anki-note.ts';
import { decodeText, readRows } from './text.ts';
import { failure, limitsOf, type ImportOptions, type ImportResult } from './types.ts';

const SEPARATORS: Readonly<Record<string, string>> = {
  tab: '\t',
  comma: ',',
  semicolon: ';',
  space: ' ',
  pipe: '|',
  colon: ':',
};

const HEADER = /^#([a-z ]+):(.*)$/iu;

/** True when the text starts with Anki's export header lines. */
export function hasAnkiHeaders(text: string): boolean {
  return /^#(separator|html|notetype|deck|columns|tags|guid)( column)?:/iu.test(text.replace(/^\uFEFF/u, ''));
}

export function importAnkiText(bytes: Uint8Array, options: ImportOptions): ImportResult {
  const decoded = decodeText(bytes, limitsOf(options));
  if ('error' in decoded) return failure(decoded.error);
  const lines = decoded.text.split(/\r\n|\r|\n/u);

  const headers = new Map<string, string>();
  let headerLines = 0;
  for (const line of lines) {
    const match = HEADER.exec(line);
    if (!match) break;
    headers.set(match[1]!.trim().toLowerCase(), match[2]!);
    headerLines++;
  }
  const rawSeparator = headers.get('separator') ?? 'tab';
  const separator = SEPARATORS[rawSeparator.trim().toLowerCase()] ?? rawSeparator;
  if (Array.from(separator).length !== 1) return failure(`unknown #separator: "${rawSeparator}"`);
  const html = (headers.get('html') ?? 'true').trim().toLowerCase() !== 'false';

  // 1-based columns holding things other than fields.
  const special = new Set<number>();
  const column = (key: string): number | undefined => {
    const n = Number.parseInt(headers.get(key) ?? '', 10);
    if (!Number.isInteger(n) || n < 1) return undefined;
    special.add(n);
    return n;
  };
  const deckColumn = column('deck column');
  for (const key of ['notetype column', 'tags column', 'guid column']) column(key);
  const columnNames = headers.get('columns')?.split(separator).map((c) => c.trim().toLowerCase());
  columnNames?.forEach((name, i) => {
    if (name === 'tags') special.add(i + 1);
  });
  const fixedDeck = headers.get('deck')?.trim();

  const read = readRows(lines.slice(headerLines).join('\n'), separator, false);
  if ('error' in read) return failure(`cannot read the notes: ${read.error}`);

  const notes: SourceNote[] = read.rows.map(({ record, line }) => {
    const fields = record.filter((_, i) => !special.has(i + 1));
    const deck = deckColumn === undefined ? fixedDeck : record[deckColumn - 1];
    return {
      where: `line ${headerLines + line}`,
      parts: noteParts(fields, html, options.basic === true),
      ...(deck === undefined ? {} : { deck }),
    };
  });
  return assemble(notes, options);
}
