import { bytesOf, CELL_PADDING, type Column, contentWidth, type Doc, ensureSpace, footers, heading, MARGIN, newDocument, paragraph, table, TABLE_SIZE, title } from '../../../shared/adapters/documents/pdf.ts';
import type { SupervisionReportRenderer } from '../app/ports.ts';
import type { ReportSection, SupervisionReportText } from '../domain/supervision-report.ts';

/**
 * The supervision report as sent: title, 文号 on the right, 主送, the sections with their tables,
 * the inspecting bodies and the date bottom right, then 抄送 under a rule, as official documents
 * place it. The same text and `generatedAt` give the same bytes.
 */
export async function renderSupervisionReportPdf(text: SupervisionReportText, generatedAt: string): Promise<Uint8Array> {
  const doc = newDocument(`${text.title} ${text.number}`, generatedAt);
  title(doc, text.title);
  doc.text(text.number, MARGIN, doc.y, { width: contentWidth(doc), align: 'right' });
  doc.moveDown(1);
  paragraph(doc, `主送：${text.recipients.to.join('，')}`);
  doc.moveDown(0.3);
  for (const section of text.sections) drawSection(doc, section);
  closing(doc, text);
  if (text.recipients.cc.length > 0) copies(doc, text.recipients.cc);
  footers(doc, generatedAt, `${text.title}　${text.number}`);
  return bytesOf(doc);
}

export const librarySupervisionReportRenderer: SupervisionReportRenderer = {
  supervisionPdf: (text, generatedAt) => renderSupervisionReportPdf(text, generatedAt),
};

function drawSection(doc: Doc, section: ReportSection): void {
  heading(doc, section.heading);
  for (const body of section.paragraphs) {
    // The first line of a Chinese paragraph is indented two characters.
    paragraph(doc, `　　${body}`);
    doc.moveDown(0.2);
  }
  if (section.table !== undefined && section.table.rows.length > 0) {
    doc.moveDown(0.3);
    table(doc, columnsFor(doc, section.table), section.table.rows.map((cells) => ({ kind: 'cells' as const, cells })));
  }
}

/** A cell narrower than this keeps its text on one line when the page has room (dates, lateness, short names). */
const UNWRAPPED_UP_TO = 80;

/**
 * Column widths from the text each column holds, measured in the table's font: every column
 * gets its header (and a short cell) on one line; the rest of the page goes to the columns in
 * proportion to how much more their longest cell needs. A long cell wraps; none crowds the others
 * out.
 */
function columnsFor(doc: Doc, { headers, rows }: NonNullable<ReportSection['table']>): Column[] {
  doc.fontSize(TABLE_SIZE);
  const measure = (text: string) => doc.widthOfString(text) + 2 * CELL_PADDING + 1;
  const natural = headers.map((header, i) => Math.max(measure(header), ...rows.map((row) => measure(row[i] ?? ''))));
  const least = headers.map((header, i) => Math.max(measure(header), Math.min(natural[i]!, UNWRAPPED_UP_TO)));
  const width = contentWidth(doc);
  const leastTotal = least.reduce((acc, w) => acc + w, 0);
  const wanted = natural.map((n, i) => n - least[i]!);
  const wantedTotal = wanted.reduce((acc, w) => acc + w, 0);
  const widths = leastTotal >= width
    ? least.map((w) => (w * width) / leastTotal)
    : least.map((w, i) => w + (wantedTotal === 0 ? (width - leastTotal) / headers.length : ((width - leastTotal) * wanted[i]!) / wantedTotal));
  let used = 0;
  return headers.map((header, i) => {
    // Whole points; the last column takes what is left, so the table spans the page exactly.
    const columnWidth = i === headers.length - 1 ? width - used : Math.floor(widths[i]!);
    used += columnWidth;
    return { header, width: columnWidth };
  });
}

/** The inspecting bodies and the date, kept together on one page with room above for the seals. */
function closing(doc: Doc, text: SupervisionReportText): void {
  ensureSpace(doc, 110 + 16 * text.closing.issuers.length);
  doc.moveDown(2.5);
  const options = { width: contentWidth(doc) - 20, align: 'right' as const };
  for (const issuer of text.closing.issuers) {
    doc.text(issuer, MARGIN, doc.y, options);
    doc.moveDown(0.3);
  }
  doc.text(text.closing.dateText, MARGIN, doc.y, options);
  doc.moveDown(0.8);
  doc.text(`本报告依据系统记录生成，生成时间：${text.generatedAtBeijing}`, MARGIN, doc.y, options);
}

/** 抄送 at the foot of the document, between two rules. */
function copies(doc: Doc, cc: string[]): void {
  const line = `抄送：${cc.join('，')}。`;
  ensureSpace(doc, doc.heightOfString(line, { width: contentWidth(doc) }) + 30);
  doc.moveDown(1.5);
  const rule = () => doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + contentWidth(doc), doc.y).stroke();
  rule();
  doc.moveDown(0.4);
  paragraph(doc, line);
  doc.moveDown(0.2);
  rule();
}
