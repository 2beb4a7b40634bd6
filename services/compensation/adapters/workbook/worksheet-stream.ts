import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { Parse as parseZip, type Entry as ZipEntry } from 'unzipper';

/**
 * The worksheets of an .xlsx read from a stream with exceljs's streaming reader, around two bugs
 * of exceljs 4.4.0's `WorkbookReader.parse` (both open upstream):
 *
 * - it loses the zip's trailing entries on Node ≥ 18 (exceljs#3064): writers put xl/workbook.xml
 *   (sheet names) and often xl/sharedStrings.xml last, so sheets came out as `Sheet1` with
 *   shared-string indices instead of text, or the read crashed — at random, run to run;
 * - it decodes each chunk on its own (exceljs#2084), so a Chinese character split across two
 *   chunks became U+FFFD — in a workbook that is mostly Chinese, a few cells per thousand.
 *
 * So the zip is walked here, with Node's own async iteration (which loses nothing), every XML
 * part is decoded as one UTF-8 stream, and each worksheet is spooled to a temporary file until
 * the workbook's names and shared strings are known (exceljs does the same when the sheets come
 * first, which is how Excel, WPS and exceljs write them). The XML is still exceljs's to parse:
 * WorkbookReader's own part parsers and its WorksheetReader, rows yielded one at a time.
 */

/** WorkbookReader's part parsers (not in its types; stable across exceljs 4.x). */
interface ReaderParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

export interface NamedWorksheet {
  name: string;
  rows: AsyncIterable<ExcelJS.Row>;
}

export async function* worksheetsOf(input: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): AsyncGenerator<NamedWorksheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', hyperlinks: 'ignore', entries: 'ignore', ...options });
  const parts = reader as unknown as ReaderParts;
  const dir = await mkdtemp(join(tmpdir(), 'xlsx-'));
  let current: Readable | undefined;
  try {
    // unzipper is the zip reader exceljs itself uses (its dependency, same version).
    const zip = parseZip({ forceStream: true });
    let entry: ZipEntry | undefined;
    // pipe() does not pass a source's failure on: without this an S3 read that breaks would hang
    // the walk. The walk is stopped and the source's own error thrown (an outage, not a bad file).
    let sourceError: unknown;
    input.on('error', (error) => {
      sourceError = error;
      entry?.destroy();
      zip.destroy();
    });
    input.pipe(zip);
    const sheets: Spooled[] = [];
    try {
      for await (entry of zip) await readPart(entry, parts, dir, sheets);
    } catch (error) {
      throw sourceError ?? error;
    }
    if (sourceError !== undefined) throw sourceError;

    sheets.sort((a, b) => Number(a.sheetNo) - Number(b.sheetNo));
    for (const { sheetNo, path } of sheets) {
      current = createReadStream(path, { encoding: 'utf8' });
      for (const { value } of parts._parseWorksheet(current as AsyncIterable<string>, sheetNo)) {
        // exceljs's types leave out the name, which it sets from xl/workbook.xml.
        yield { name: (value as unknown as { name: string }).name, rows: value };
      }
    }
  } finally {
    // Left early (an error, a row limit): close what is still open before the files go.
    current?.destroy();
    if (!input.readableEnded) input.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Spooled {
  sheetNo: string;
  path: string;
}

const PARTS = new Set(['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml']);

/** One zip entry: a worksheet to a temporary file, a part exceljs needs to its parser, anything else drained. */
async function readPart(entry: ZipEntry, parts: ReaderParts, dir: string, sheets: Spooled[]): Promise<void> {
  const sheet = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry.path);
  if (sheet) {
    const path = join(dir, `sheet${sheet[1]}.xml`);
    await pipeline(entry, createWriteStream(path));
    sheets.push({ sheetNo: sheet[1]!, path });
    return;
  }
  if (PARTS.has(entry.path)) {
    entry.setEncoding('utf8');
    if (entry.path === 'xl/_rels/workbook.xml.rels') await parts._parseRels(entry);
    else if (entry.path === 'xl/workbook.xml') await parts._parseWorkbook(entry);
    else if (entry.path === 'xl/styles.xml') await parts._parseStyles(entry);
    else for await (const _ of parts._parseSharedStrings(entry)) void _;
  }
  entry.autodrain();
}
