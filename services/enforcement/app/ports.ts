import type { InstrumentText } from '../domain/instrument-text.ts';

/** Renders an instrument's composed text as the PDF that is stored and served. */
export interface InstrumentRenderer {
  /** The same text and `generatedAt` give the same bytes (the stored hash can be checked). */
  instrumentPdf(text: InstrumentText, generatedAt: string): Promise<Uint8Array>;
}
