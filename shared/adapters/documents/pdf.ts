import PDFDocument from 'pdfkit';
import { beijingTimeText } from '../../calendar/index.ts';
import { chineseFontPath } from './font.ts';

/**
 * The PDF primitives every service's documents are drawn with (pdfkit): A4, the Chinese font
 * embedded (subset), reproducible bytes, paragraphs and tables that break across pages, and a
 * footer with the page count.
 */

export const MARGIN = 50;
export const BODY_SIZE = 10;
export const TABLE_SIZE = 9;
export const CELL_PADDING = 4;
const FOOTER_SIZE = 8;

export type Doc = PDFKit.PDFDocument;

export function newDocument(title: string, generatedAt: string): Doc {
  const created = new Date(generatedAt);
  if (Number.isNaN(created.getTime())) throw new Error(`generatedAt is not an instant: ${generatedAt}`);
  return new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // The only font: passing it here also keeps pdfkit from loading Helvetica's metrics, which an
    // esbuild bundle does not carry.
    font: chineseFontPath(),
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    // pdfkit derives the file ID from the info dictionary: fixed dates make the bytes reproducible.
    info: { Title: title, Creator: '征地拆迁联动机制', Producer: 'PDFKit', CreationDate: created, ModDate: created },
  });
}

export function bytesOf(doc: Doc): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.end();
  });
}

export const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;

export function title(doc: Doc, text: string): void {
  doc.fontSize(18).text(text, MARGIN, doc.y, { width: contentWidth(doc), align: 'center' });
  doc.moveDown(0.6).fontSize(BODY_SIZE);
}

export function heading(doc: Doc, text: string): void {
  ensureSpace(doc, 40);
  doc.moveDown(0.5).fontSize(12).text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3).fontSize(BODY_SIZE);
}

export function paragraph(doc: Doc, text: string): void {
  doc.fontSize(BODY_SIZE);
  ensureSpace(doc, doc.heightOfString(text, { width: contentWidth(doc) }));
  doc.text(text, MARGIN, doc.y, { width: contentWidth(doc), lineGap: 2 });
}

export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export type Row =
  | { kind: 'cells'; cells: string[]; shaded?: boolean }
  /** A full-width row introducing what follows (a household); never left alone at a page's foot. */
  | { kind: 'band'; text: string };

/**
 * Draws a table from the current position. A row that does not fit goes to a new page, where the
 * header row is drawn again.
 */
export function table(doc: Doc, columns: Column[], rows: Row[]): void {
  doc.fontSize(TABLE_SIZE);
  const width = columns.reduce((acc, c) => acc + c.width, 0);
  const cellHeight = (text: string, cellWidth: number) => doc.heightOfString(text, { width: cellWidth - 2 * CELL_PADDING }) + 2 * CELL_PADDING;
  const rowHeight = (row: Row) =>
    row.kind === 'band' ? cellHeight(row.text, width) : Math.max(...row.cells.map((text, i) => cellHeight(text, columns[i]?.width ?? width)));
  const headerHeight = Math.max(...columns.map((c) => cellHeight(c.header, c.width)));
  let y = doc.y;

  const drawCells = (cells: string[], height: number, fill: string | undefined) => {
    let x = MARGIN;
    cells.forEach((text, i) => {
      const column = columns[i];
      if (column === undefined) return;
      if (fill !== undefined) doc.rect(x, y, column.width, height).fillAndStroke(fill, '#000000').fillColor('#000000');
      else doc.rect(x, y, column.width, height).stroke();
      doc.text(text, x + CELL_PADDING, y + CELL_PADDING, { width: column.width - 2 * CELL_PADDING, align: column.align ?? 'left' });
      x += column.width;
    });
    y += height;
  };
  const drawHeader = () => drawCells(columns.map((c) => c.header), headerHeight, '#e8e8e8');

  if (y + headerHeight + (rows[0] ? rowHeight(rows[0]) : 0) > doc.page.maxY()) {
    doc.addPage();
    y = doc.y;
  }
  drawHeader();
  rows.forEach((row, index) => {
    const height = rowHeight(row);
    const next = rows[index + 1];
    const needed = row.kind === 'band' && next !== undefined ? height + rowHeight(next) : height;
    if (y + needed > doc.page.maxY()) {
      doc.addPage();
      y = doc.y;
      drawHeader();
    }
    if (row.kind === 'band') {
      doc.rect(MARGIN, y, width, height).fillAndStroke('#f4f4f4', '#000000').fillColor('#000000');
      doc.text(row.text, MARGIN + CELL_PADDING, y + CELL_PADDING, { width: width - 2 * CELL_PADDING });
      y += height;
    } else {
      drawCells(row.cells, height, row.shaded ? '#f4f4f4' : undefined);
    }
  });
  doc.x = MARGIN;
  doc.y = y + 6;
  doc.fontSize(BODY_SIZE);
}

/** Page numbers and the generation time on every page, drawn once the page count is known. */
export function footers(doc: Doc, generatedAt: string, documentLabel: string): void {
  const { start, count } = doc.bufferedPageRange();
  const generated = `生成时间：${beijingTimeText(generatedAt)}`;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Text below the bottom margin would make pdfkit open a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(FOOTER_SIZE).text(`${documentLabel}　${generated}　第 ${i - start + 1} 页 / 共 ${count} 页`, MARGIN, doc.page.height - MARGIN + 15, {
      width: contentWidth(doc),
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}
