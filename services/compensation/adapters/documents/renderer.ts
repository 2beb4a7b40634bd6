import type { AgreementDocument, DisclosureDocument, DocumentRenderer } from '../../app/documents.ts';
import { renderAgreementPdf, renderDisclosurePdf } from './pdf.ts';
import { renderDisclosureXlsx } from './xlsx.ts';

/** The documents port on maintained libraries: pdfkit for PDF, exceljs for XLSX. */
export const libraryDocumentRenderer: DocumentRenderer = {
  agreementPdf: (doc: AgreementDocument) => renderAgreementPdf(doc),
  disclosurePdf: (doc: DisclosureDocument) => renderDisclosurePdf(doc),
  disclosureXlsx: (doc: DisclosureDocument) => renderDisclosureXlsx(doc),
};
