import type { SupervisionReportText } from '../domain/supervision-report.ts';

/** Prints the supervision report (§四(四)): the same text and `generatedAt` give the same bytes. */
export interface SupervisionReportRenderer {
  supervisionPdf(text: SupervisionReportText, generatedAt: string): Promise<Uint8Array>;
}
