import { Readable } from 'node:stream';
import type { SurveyWorkbooks } from '../../app/ports.ts';
import { parseSurveyWorkbook, surveyTemplate } from './survey-workbook-xlsx.ts';

/** The workbook format with exceljs: the template, and the streaming parse of an uploaded file. */
export const excelSurveyWorkbooks: SurveyWorkbooks = {
  template: surveyTemplate,
  parse: (file, options) => parseSurveyWorkbook(Readable.from(file), options),
};
