import { bytesOf, contentWidth, ensureSpace, footers, heading, MARGIN, newDocument, paragraph, title } from '../../../../shared/adapters/documents/pdf.ts';
import type { InstrumentText } from '../../domain/instrument-text.ts';

/**
 * An instrument as served: the title, its number (文号) under it on the right, the addressee, the
 * body, the legal basis, the remedies (decisions), then the issuer and the date bottom right,
 * where the seal goes. The same text and `generatedAt` give the same bytes: what was served can
 * be regenerated and compared with the stored hash.
 */
export async function renderInstrumentPdf(text: InstrumentText, generatedAt: string): Promise<Uint8Array> {
  const doc = newDocument(`${text.title} ${text.number}`, generatedAt);
  title(doc, text.title);
  doc.text(text.number, MARGIN, doc.y, { width: contentWidth(doc), align: 'right' });
  doc.moveDown(1);
  paragraph(doc, `${text.addressee}：`);
  doc.moveDown(0.3);
  for (const body of text.paragraphs) {
    // The first line of a Chinese paragraph is indented two characters.
    paragraph(doc, `　　${body}`);
    doc.moveDown(0.3);
  }
  heading(doc, '法律依据');
  for (const line of text.basis) paragraph(doc, `　　${line}`);
  if (text.remedies !== undefined) {
    doc.moveDown(0.6);
    paragraph(doc, `　　${text.remedies}`);
  }
  closing(doc, text.closing);
  footers(doc, generatedAt, `${text.title}　${text.number}`);
  return bytesOf(doc);
}

/** The issuer and the date, kept together on one page with room above for the seal. */
function closing(doc: PDFKit.PDFDocument, { issuerName, dateText }: InstrumentText['closing']): void {
  ensureSpace(doc, 110);
  doc.moveDown(3);
  const options = { width: contentWidth(doc) - 20, align: 'right' as const };
  doc.text(`${issuerName}（印章）`, MARGIN, doc.y, options);
  doc.moveDown(0.4);
  doc.text(dateText, MARGIN, doc.y, options);
}
