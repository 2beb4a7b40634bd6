import type { RuleId } from '../../../shared/calendar/index.ts';

/**
 * The instruments of the forced-vacating chain (seed §五(一)5), in order, and of the
 * illegal-building chain (ACL art. 44). Each is generated, issued under a number, and served;
 * the clocks run from service, never from issue.
 */
export const VACATING_INSTRUMENTS = [
  'compensation-notification',
  'compensation-decision',
  'vacating-notice',
  'vacating-decision',
  'performance-reminder',
  'court-application',
] as const;

export const DEMOLITION_INSTRUMENTS = ['demolition-decision', 'demolition-notice'] as const;

export type VacatingInstrument = (typeof VACATING_INSTRUMENTS)[number];
export type DemolitionInstrument = (typeof DEMOLITION_INSTRUMENTS)[number];
export type InstrumentKind = VacatingInstrument | DemolitionInstrument;

export interface InstrumentSpec {
  kind: InstrumentKind;
  /** 文书名称. */
  titleZh: string;
  /** The rule whose `responsible` (by variant) issues it. */
  issuerRule: RuleId;
  /** An administrative decision the household may challenge (reconsideration, lawsuit): its remedies are stated. */
  decision: boolean;
  /** The waiting period that starts on its service, if any. */
  waitingRule?: RuleId;
}

export const INSTRUMENTS: Readonly<Record<InstrumentKind, InstrumentSpec>> = {
  'compensation-notification': { kind: 'compensation-notification', titleZh: '补偿告知书', issuerRule: 'compensation-notification', decision: false, waitingRule: 'compensation-notification' },
  'compensation-decision': { kind: 'compensation-decision', titleZh: '补偿决定书', issuerRule: 'compensation-decision', decision: true },
  'vacating-notice': { kind: 'vacating-notice', titleZh: '限期腾地通知书', issuerRule: 'vacating-notice', decision: false, waitingRule: 'vacating-notice' },
  'vacating-decision': { kind: 'vacating-decision', titleZh: '限期腾地决定书', issuerRule: 'vacating-decision', decision: true },
  'performance-reminder': { kind: 'performance-reminder', titleZh: '履行行政决定催告书', issuerRule: 'performance-reminder', decision: false, waitingRule: 'court-application' },
  'court-application': { kind: 'court-application', titleZh: '申请人民法院强制执行书', issuerRule: 'court-application', decision: false },
  'demolition-decision': { kind: 'demolition-decision', titleZh: '限期拆除决定书', issuerRule: 'forced-demolition', decision: true },
  'demolition-notice': { kind: 'demolition-notice', titleZh: '限期拆除公告', issuerRule: 'forced-demolition', decision: false },
};

/** The instruments of a chain's kind, in order. */
export function instrumentsOf(kind: ChainKind): readonly InstrumentKind[] {
  return kind === 'vacating' ? VACATING_INSTRUMENTS : DEMOLITION_INSTRUMENTS;
}

/**
 * - `vacating`: a household that refuses to vacate (拒不腾地), through the court (seed §五(一)5);
 * - `illegal-building`: urban management's own path for a building determined illegal (§三(九)(十),
 *   ACL art. 44): notice, then forced demolition once the remedy periods passed unused, not via the court.
 */
export type ChainKind = 'vacating' | 'illegal-building';

/** How an instrument reached the household (民事诉讼法 arts. 88–95, applied by ACL art. 38). */
export const SERVICE_METHODS = ['in-person', 'left-at-residence', 'post', 'public-notice'] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];

export const SERVICE_METHOD_ZH: Record<ServiceMethod, string> = {
  'in-person': '直接送达',
  'left-at-residence': '留置送达',
  post: '邮寄送达',
  'public-notice': '公告送达',
};
