import type { InstrumentRenderer } from '../../app/ports.ts';
import type { InstrumentText } from '../../domain/instrument-text.ts';
import { renderInstrumentPdf } from './instrument-pdf.ts';

/** The instruments port on pdfkit. */
export const libraryInstrumentRenderer: InstrumentRenderer = {
  instrumentPdf: (text: InstrumentText, generatedAt: string) => renderInstrumentPdf(text, generatedAt),
};
