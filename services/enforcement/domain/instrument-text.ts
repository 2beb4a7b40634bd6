import { beijingDateText, periodTextZh, resolveRule, RULES, type RuleId } from '../../../shared/calendar/index.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';
import { instrumentOf, type ChainBasis, type CourtRef, type EnforcementChain, type Instrument, type InstrumentTerms } from './chain.ts';
import { responsibleFor } from './clocks.ts';
import { INSTRUMENTS, type InstrumentKind } from './instruments.ts';
import { agencyNameZh, remedyBodiesOf } from './names.ts';

/**
 * The full Chinese text of an instrument, as it is printed, served and read by a court. Every
 * period is stated as the law counts it — from service (送达), never from issue — and every
 * statement of law names its article.
 */

export interface InstrumentTextInput {
  /** The chain as recorded; the round's earlier instruments are cited by number and service. */
  chain: Pick<EnforcementChain, 'caseLabel' | 'kind' | 'basis' | 'variant' | 'district' | 'instruments' | 'round'>;
  /** The instrument being issued (the issue input: it is not in the chain yet). */
  instrument: Pick<Instrument, 'kind' | 'number' | 'terms'> & { court?: CourtRef | undefined };
  /** When it is issued: the date it bears. */
  issuedAt: string;
}

export interface InstrumentText {
  title: string;
  /** 文号. */
  number: string;
  /** The household (the court, for the application). */
  addressee: string;
  paragraphs: string[];
  /** The legal basis, one source a line, each citing its article. */
  basis: string[];
  /** Decisions only: the rights to reconsideration and to sue, their bodies and periods. */
  remedies?: string;
  closing: { issuerName: string; dateText: string };
}

const ACL = '《中华人民共和国行政强制法》';

export function composeInstrument(input: InstrumentTextInput): InstrumentText {
  const { chain, instrument } = input;
  const spec = INSTRUMENTS[instrument.kind];
  const issuer = responsibleFor(spec.issuerRule, chain);
  const context: Context = {
    ...input,
    issuerName: agencyNameZh(issuer, chain.district),
    nameOf: (kind) => agencyNameZh(responsibleFor(INSTRUMENTS[kind].issuerRule, chain), chain.district),
    required: (value, field, what) => {
      if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
        throw new ValidationError('enforcement.terms-missing', `${spec.titleZh}须载明${what}`, { field });
      }
      return value;
    },
  };
  const text: InstrumentText = {
    title: spec.titleZh,
    number: instrument.number,
    addressee: instrument.kind === 'court-application' ? context.required(instrument.court, 'court', '受理申请的人民法院').name : chain.caseLabel,
    paragraphs: BODIES[instrument.kind](context),
    basis: basisLines(instrument.kind, chain.variant),
    closing: { issuerName: context.issuerName, dateText: beijingDateText(input.issuedAt) },
  };
  if (spec.decision) {
    const bodies = remedyBodiesOf(issuer, chain.district);
    const { reconsideration, litigation } = remedyPeriods(chain.variant);
    // ARL 2023 art. 20, ALL art. 46: stated, these periods run; unstated, up to a year (the record says which).
    text.remedies =
      `如不服本决定，可以自收到本决定书之日起${reconsideration}内向${bodies.reconsideration}申请行政复议，` +
      `或者自收到本决定书之日起${litigation}内向${bodies.court}提起行政诉讼。`;
  }
  return text;
}

/** The periods to apply for reconsideration and to sue, as stated on a decision (ARL 2023 art. 20, ALL art. 46). */
function remedyPeriods(variant: EnforcementChain['variant']): { reconsideration: string; litigation: string } {
  return {
    reconsideration: periodTextZh(resolveRule('reconsideration-period', variant).period),
    litigation: periodTextZh(resolveRule('litigation-period', variant).period),
  };
}

interface Context extends InstrumentTextInput {
  issuerName: string;
  /** The name of the agency that issues `kind` in this chain (the decisions' issuer switches by variant). */
  nameOf: (kind: InstrumentKind) => string;
  required: <T>(value: T | undefined, field: string, what: string) => T;
}

/** Rules beyond the instrument's own that say when it may be made: the application's latest date (ACL art. 53). */
const FURTHER_RULES: Partial<Record<InstrumentKind, RuleId[]>> = { 'court-application': ['court-application-deadline'] };

/**
 * The legal basis: the sources of the rules that govern the instrument — the waiting periods that
 * gate it, the one whose agency issues it, the waiting period its service starts — as the chain's
 * variant resolves them, one source a line.
 */
export function basisLines(kind: InstrumentKind, variant: EnforcementChain['variant']): string[] {
  const spec = INSTRUMENTS[kind];
  const gating = (Object.values(RULES) as Array<(typeof RULES)[RuleId]>).filter((r) => r.gates === spec.issuerRule).map((r) => r.id);
  const ids = [...new Set<RuleId>([...gating, spec.issuerRule, ...(spec.waitingRule ? [spec.waitingRule] : []), ...(FURTHER_RULES[kind] ?? [])])];
  const lines = ids.flatMap((id) => resolveRule(id, variant).source.split('；').map((s) => s.trim()));
  return [...new Set(lines.filter((line) => line !== ''))];
}

/** Ends a sentence with 。 unless it already ends with closing punctuation. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[。！？；]$/.test(trimmed) ? trimmed : `${trimmed}。`;
}

const yuan = (fen: Fen) => `人民币 ${formatYuan(fen)} 元`;

/** Why the chain was opened, then the recorded note where it adds to it. */
function basisSentence(basis: ChainBasis, party: string): string {
  const withNote = (fixed: string) => {
    const note = basis.note.trim();
    return note === '' || fixed.includes(note.replace(/[。；]$/, '')) ? sentence(fixed) : `${sentence(fixed)}${sentence(note)}`;
  };
  switch (basis.kind) {
    case 'no-agreement':
      return withNote(`${party}未签订征收土地协议`);
    case 'refused-after-payment':
      return withNote(`${party}已签订征收土地协议（协议编号：${basis.agreementNumber}），征地补偿款已足额支付，至${beijingDateText(basis.refusedAt)}仍拒不腾地、交地`);
    case 'illegal-building':
      return withNote(`${party}的建筑物经认定为违法建筑（认定文书：${basis.determination}）`);
  }
}

/**
 * An earlier instrument of the round as the record has it: who made it (its recorded issuer) and
 * `《限期腾地决定书》（冷国土强决〔2026〕3号，2026年3月2日送达）`. Before it is on record (a
 * text composed for a preview), the rule table's issuer and the bare title.
 */
function cite(context: Context, kind: InstrumentKind): { issuerName: string; reference: string } {
  const earlier = instrumentOf(context.chain, kind);
  const title = `《${INSTRUMENTS[kind].titleZh}》`;
  if (!earlier) return { issuerName: context.nameOf(kind), reference: title };
  const served = earlier.service ? `，${beijingDateText(earlier.service.effectiveAt)}送达` : '';
  return { issuerName: agencyNameZh(earlier.issuer, context.chain.district), reference: `${title}（${earlier.number}${served}）` };
}

function facts(terms: InstrumentTerms, context: Context): string {
  return `事实和理由：${sentence(context.required(terms.facts, 'facts', '事实和理由'))}`;
}

function compensation(terms: InstrumentTerms, context: Context): string {
  const fen = context.required(terms.compensationFen, 'compensationFen', '补偿金额');
  const standard = context.required(terms.compensationText, 'compensationText', '补偿标准和项目');
  return `补偿金额：${yuan(fen)}。补偿标准和项目：${sentence(standard)}`;
}

const performWithin = (terms: InstrumentTerms, context: Context) =>
  periodTextZh(context.required(terms.performWithin, 'performWithin', '履行期限'));

/** The waiting period the instrument's service starts, as the rule table has it for the chain. */
const waitingText = (context: Context) => periodTextZh(resolveRule(INSTRUMENTS[context.instrument.kind].waitingRule!, context.chain.variant).period);

/** After the household: the opening lines every instrument shares. */
function opening(context: Context, citing?: InstrumentKind): string[] {
  const { chain, instrument } = context;
  // A round that starts later (after payment: at the notice) has nothing before it to cite.
  const earlier = citing && instrumentOf(chain, citing) ? cite(context, citing) : undefined;
  return [
    basisSentence(chain.basis, '你户'),
    ...(earlier ? [`${earlier.issuerName}已向你户作出${earlier.reference}。`] : []),
    facts(instrument.terms, context),
  ];
}

const BODIES: Record<InstrumentKind, (context: Context) => string[]> = {
  'compensation-notification': (context) => [
    ...opening(context),
    compensation(context.instrument.terms, context),
    `请你户自本告知书送达之日起${waitingText(context)}内，与${context.issuerName}签订征收土地协议，或者对补偿标准、项目和金额陈述意见。` +
      `逾期未签订协议的，${context.nameOf('compensation-decision')}将依法作出补偿决定。`,
  ],
  'compensation-decision': (context) => {
    const { terms } = context.instrument;
    return [
      ...opening(context, 'compensation-notification'),
      `${context.issuerName}决定：对你户给予征地补偿。${compensation(terms, context)}`,
      ...(terms.performWithin ? [`请你户自本决定书送达之日起${periodTextZh(terms.performWithin)}内到${context.issuerName}办理补偿款领取手续。`] : []),
    ];
  },
  'vacating-notice': (context) => [
    ...opening(context, 'compensation-decision'),
    `请你户自本通知书送达之日起${waitingText(context)}内自行腾空地上物品、搬离并交出土地；对本通知有异议的，可以在上述期限内向${context.issuerName}陈述意见。` +
      `逾期不腾地的，${context.nameOf('vacating-decision')}将依法作出限期腾地决定。`,
  ],
  'vacating-decision': (context) => [
    ...opening(context, 'vacating-notice'),
    `${context.issuerName}决定：你户应当自本决定书送达之日起${performWithin(context.instrument.terms, context)}内自行腾空地上物品、搬离并交出土地。`,
    `你户在法定期限内不申请行政复议或者提起行政诉讼，又不履行本决定的，${context.nameOf('court-application')}将依法催告履行，并依照${ACL}第五十三条申请人民法院强制执行。`,
  ],
  'performance-reminder': (context) => {
    const { terms } = context.instrument;
    const decision = cite(context, 'vacating-decision');
    const manner = context.required(terms.manner, 'manner', '履行方式（行政强制法第三十五条）');
    return [
      basisSentence(context.chain.basis, '你户'),
      `${decision.issuerName}已向你户作出${decision.reference}。该决定申请行政复议、提起行政诉讼的法定期限已届满，你户至今未履行。`,
      facts(terms, context),
      `依照${ACL}第三十五条，现催告你户履行上述决定：`,
      `一、履行期限：自本催告书送达之日起${performWithin(terms, context)}内。`,
      `二、履行方式：${sentence(manner)}`,
      ...(terms.compensationFen !== undefined
        ? [`三、涉及金钱给付的金额：${yuan(terms.compensationFen)}${terms.compensationText ? `；给付方式：${sentence(terms.compensationText)}` : '。'}`]
        : []),
      `你户依法享有陈述权和申辩权，可以在收到本催告书后以书面或者口头形式向${context.issuerName}提出陈述、申辩；` +
        `${context.issuerName}将充分听取你户的意见，对你户提出的事实、理由和证据进行记录、复核，事实、理由或者证据成立的，予以采纳（${ACL}第三十六条）。`,
      `自本催告书送达之日起${waitingText(context)}后你户仍未履行且无正当理由的，${context.issuerName}将依照${ACL}第五十四条向不动产所在地有管辖权的人民法院申请强制执行。`,
    ];
  },
  'court-application': (context) => {
    const { chain, instrument, issuerName } = context;
    const decision = cite(context, 'vacating-decision');
    const reminder = cite(context, 'performance-reminder');
    return [
      `申请人：${issuerName}`,
      `被申请人：${chain.caseLabel}`,
      basisSentence(chain.basis, '被申请人'),
      `申请事项：请求依法裁定准予强制执行${decision.issuerName}作出的${decision.reference}，由被申请人腾空地上物品、搬离并交出土地。`,
      facts(instrument.terms, context),
      `该决定申请行政复议、提起行政诉讼的法定期限已届满，被申请人仍不履行。申请人依照${ACL}第三十五条向被申请人作出${reminder.reference}，` +
        `告知其陈述权和申辩权；催告书送达已满${periodTextZh(resolveRule('court-application', chain.variant).period)}，被申请人仍未履行。`,
      `依照${ACL}第五十三条、第五十四条，特向贵院申请强制执行。依照该法第五十五条，随本申请书提交下列材料：` +
        '（一）强制执行申请书；（二）行政决定书及作出决定的事实、理由和依据；（三）当事人的意见及行政机关催告情况；（四）申请强制执行标的情况；（五）法律、行政法规规定的其他材料。',
      `本申请书由申请人负责人签名，加盖申请人印章，并注明日期（${ACL}第五十五条第二款）。`,
      '申请人负责人（签名）：',
    ];
  },
  'demolition-decision': (context) => [
    ...opening(context),
    `${context.issuerName}决定：你户应当自本决定书送达之日起${performWithin(context.instrument.terms, context)}内自行拆除上述违法建筑。`,
    `你户在法定期限内不申请行政复议或者提起行政诉讼，又不自行拆除的，${context.issuerName}将依法公告限期拆除，并依照${ACL}第四十四条强制拆除。`,
  ],
  'demolition-notice': (context) => [
    ...opening(context, 'demolition-decision'),
    `现予公告：限你户自本公告送达之日起${performWithin(context.instrument.terms, context)}内自行拆除上述违法建筑。`,
    `你户在法定期限内（自收到《限期拆除决定书》之日起${remedyPeriods(context.chain.variant).reconsideration}内申请行政复议、` +
      `${remedyPeriods(context.chain.variant).litigation}内提起行政诉讼）不申请行政复议或者提起行政诉讼，又不自行拆除的，` +
      `${context.issuerName}将依照${ACL}第四十四条依法强制拆除。`,
  ],
};
