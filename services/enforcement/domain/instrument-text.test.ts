import { describe, expect, it } from 'vitest';
import { resolveRule, type RuleVariant } from '../../../shared/calendar/index.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { ChainBasis, EnforcementChain, Instrument, InstrumentTerms } from './chain.ts';
import { composeInstrument, type InstrumentText, type InstrumentTextInput } from './instrument-text.ts';
import { INSTRUMENTS, instrumentsOf, type InstrumentKind } from './instruments.ts';

const clerk: Identity = { user: 'wang.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const court = { agency: 'basic-court' as const, jurisdiction: 'yongzhou/lengshuitan', name: '冷水滩区人民法院' };
const NO_AGREEMENT: ChainBasis = { kind: 'no-agreement', note: '经多次协商，未在实施方案规定期限内签订协议' };
const ILLEGAL: ChainBasis = { kind: 'illegal-building', itemId: 'house-2', determination: '冷住建违认〔2026〕3号', note: '未取得建设工程规划许可' };

const TERMS: Record<InstrumentKind, InstrumentTerms> = {
  'compensation-notification': { facts: '你户被征收土地2.5亩，经调查核实', compensationFen: 12_345_600, compensationText: '按实施方案第三条标准计算' },
  'compensation-decision': { facts: '告知期限届满，你户未签订协议', compensationFen: 12_345_678, compensationText: '按实施方案第三条标准计算' },
  'vacating-notice': { facts: '补偿决定已送达，你户未腾地' },
  'vacating-decision': { facts: '限期腾地通知期满，你户仍未腾地', performWithin: '15d' },
  'performance-reminder': { facts: '你户至今未腾地', performWithin: '10wd', manner: '自行搬离地上物品并向冷水滩分局交出土地', compensationFen: 12_345_678, compensationText: '补偿款已提存，凭身份证领取' },
  'court-application': { facts: '被申请人拒不腾地，影响项目建设' },
  'demolition-decision': { facts: '你户在征收范围内擅自建房', performWithin: '1mo' },
  'demolition-notice': { facts: '限期拆除决定已送达，你户未自行拆除', performWithin: '10d' },
};

/** Served at 10:00 Beijing time on the given day. */
function served(kind: InstrumentKind, n: number, day: string, variant: RuleVariant): Instrument {
  const at = new Date(`${day}T10:00:00+08:00`).toISOString();
  return {
    instrumentId: `I${n}`,
    kind,
    round: 1,
    number: `冷国土强〔2026〕${n}号`,
    issuer: resolveRule(INSTRUMENTS[kind].issuerRule, variant).responsible,
    issuedBy: clerk,
    issuedAt: at,
    terms: TERMS[kind],
    document: { key: `d/${n}.pdf`, sha256: 'c'.repeat(64), size: 100 },
    service: { method: 'in-person', deliveredAt: at, effectiveAt: at, servedBy: '刘一', witnesses: [], remediesStated: INSTRUMENTS[kind].decision, proof: [], recordedBy: clerk, recordedAt: at },
  };
}

/** The chain with every instrument before `kind` issued and served. */
function chainBefore(kind: InstrumentKind, options: { variant?: RuleVariant; district?: string; basis?: ChainBasis } = {}): InstrumentTextInput['chain'] {
  const chainKind = kind.startsWith('demolition') ? 'illegal-building' : 'vacating';
  const sequence = instrumentsOf(chainKind);
  const variant = options.variant ?? 'seed';
  const earlier = sequence.slice(0, sequence.indexOf(kind)).map((k, i) => served(k, i + 1, `2026-0${i + 1}-10`, variant));
  return {
    caseLabel: '梅湾村一组 001 号户（户主张三）',
    kind: chainKind,
    basis: options.basis ?? (chainKind === 'vacating' ? NO_AGREEMENT : ILLEGAL),
    variant,
    district: options.district ?? 'yongzhou/lengshuitan',
    instruments: earlier,
    round: 1,
  } satisfies Partial<EnforcementChain>;
}

// 16:30 UTC on Oct 13 is already Oct 14 in Beijing.
const ISSUED_AT = '2026-10-13T16:30:00Z';
const compose = (kind: InstrumentKind, options: Parameters<typeof chainBefore>[1] & { terms?: Partial<InstrumentTerms> } = {}) =>
  composeInstrument({
    chain: chainBefore(kind, options),
    instrument: { kind, number: `冷国土强〔2026〕99号`, terms: { ...TERMS[kind], ...options.terms }, ...(kind === 'court-application' ? { court } : {}) },
    issuedAt: ISSUED_AT,
  });
const allText = (text: InstrumentText) => [text.title, text.number, text.addressee, ...text.paragraphs, ...text.basis, text.remedies ?? '', text.closing.issuerName, text.closing.dateText].join('\n');
const body = (text: InstrumentText) => text.paragraphs.join('\n');

const KINDS = Object.keys(INSTRUMENTS) as InstrumentKind[];
const VARIANTS: RuleVariant[] = ['seed', 'national'];

describe('every instrument', () => {
  it.each(KINDS.flatMap((kind) => VARIANTS.map((variant) => [kind, variant] as const)))('%s (%s) is complete: title, number, addressee, facts, basis, Beijing date', (kind, variant) => {
    const text = compose(kind, { variant });
    const all = allText(text);
    expect(all).not.toMatch(/undefined|NaN|null|\[object/);
    expect(text.title).toBe(INSTRUMENTS[kind].titleZh);
    expect(text.number).toBe('冷国土强〔2026〕99号');
    expect(text.addressee).toBe(kind === 'court-application' ? '冷水滩区人民法院' : '梅湾村一组 001 号户（户主张三）');
    expect(body(text)).toContain(`事实和理由：${TERMS[kind].facts}。`);
    expect(text.closing.dateText).toBe('2026年10月14日');
    // Each basis line cites an article or a section of the seed.
    expect(text.basis.length).toBeGreaterThan(0);
    for (const line of text.basis) expect(line).toMatch(/第[一二三四五六七八九十百]+条|§[一二三四五六七八九十]/);
    expect(text.basis.some((line) => line.startsWith('永州市征地拆迁联动机制实施方案'))).toBe(true);
    // Periods run from service (or receipt), never from issue.
    const starts = [...all.matchAll(/自([^，。；]{0,16}?)之日起/g)].map((m) => m[1]!);
    // The application states no period of its own: it reports that the reminder's has run.
    expect(starts.length > 0).toBe(kind !== 'court-application');
    for (const start of starts) expect(start).toMatch(/送达|收到/);
    expect(all).not.toMatch(/作出之日|签发之日|发出之日/);
  });

  it('states the remedies on decisions only', () => {
    for (const kind of KINDS) {
      expect(compose(kind).remedies !== undefined, kind).toBe(INSTRUMENTS[kind].decision);
    }
  });
});

describe('periods as the law counts them, from service', () => {
  it.each([
    ['compensation-notification', '自本告知书送达之日起7个工作日内'],
    ['vacating-notice', '自本通知书送达之日起7个工作日内'],
    ['vacating-decision', '自本决定书送达之日起15日内'],
    ['performance-reminder', '自本催告书送达之日起10个工作日内'],
    ['demolition-decision', '自本决定书送达之日起1个月内'],
    ['demolition-notice', '自本公告送达之日起10日内'],
  ] as const)('%s: %s', (kind, wording) => {
    expect(body(compose(kind))).toContain(wording);
  });

  it('the period follows the terms, in Chinese', () => {
    expect(body(compose('vacating-decision', { terms: { performWithin: '10wd' } }))).toContain('自本决定书送达之日起10个工作日内');
    expect(body(compose('demolition-decision', { terms: { performWithin: '12mo' } }))).toContain('自本决定书送达之日起1年内');
  });

  it('refuses an instrument whose terms lack what it must state', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'composed';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(code(() => compose('vacating-decision', { terms: { performWithin: undefined } }))).toBe('enforcement.terms-missing');
    expect(code(() => compose('compensation-decision', { terms: { compensationFen: undefined } }))).toBe('enforcement.terms-missing');
    expect(code(() => compose('performance-reminder', { terms: { manner: ' ' } }))).toBe('enforcement.terms-missing');
    expect(code(() => composeInstrument({ chain: chainBefore('court-application'), instrument: { kind: 'court-application', number: 'N', terms: TERMS['court-application'] }, issuedAt: ISSUED_AT }))).toBe(
      'enforcement.terms-missing',
    );
  });
});

describe('the remedies: who reviews and which court hears, by who decided', () => {
  it('seed: the land bureau decides; reconsideration by the city government, suit in the district court', () => {
    for (const kind of ['compensation-decision', 'vacating-decision'] as const) {
      const text = compose(kind);
      expect(text.closing.issuerName).toBe('永州市国土资源局');
      expect(text.remedies).toBe('如不服本决定，可以自收到本决定书之日起60日内向永州市人民政府申请行政复议，或者自收到本决定书之日起6个月内向冷水滩区人民法院提起行政诉讼。');
    }
  });

  it('national law: the district government decides, so the intermediate court hears the suit at first instance (ALL art. 15)', () => {
    for (const kind of ['compensation-decision', 'vacating-decision'] as const) {
      expect(resolveRule(INSTRUMENTS[kind].issuerRule, 'national').responsible).toBe('district-government');
      const text = compose(kind, { variant: 'national' });
      expect(text.closing.issuerName).toBe('冷水滩区人民政府');
      expect(body(text)).toContain('冷水滩区人民政府决定：');
      expect(text.remedies).toContain('向永州市人民政府申请行政复议');
      expect(text.remedies).toContain('6个月内向永州市中级人民法院提起行政诉讼');
    }
    // The notice before the decision names who will decide.
    expect(body(compose('vacating-notice', { variant: 'national' }))).toContain('逾期不腾地的，冷水滩区人民政府将依法作出限期腾地决定');
    expect(compose('vacating-notice', { variant: 'national' }).closing.issuerName).toBe('永州市国土资源局');
  });

  it('the development zone: its committee decides under national law; a department is sued where the land lies', () => {
    const zone = { district: 'yongzhou/etdz' };
    expect(compose('vacating-decision', { ...zone, variant: 'national' }).closing.issuerName).toBe('永州经济技术开发区管理委员会');
    expect(compose('vacating-decision', { ...zone, variant: 'national' }).remedies).toContain('向永州市中级人民法院提起行政诉讼');
    expect(compose('vacating-decision', zone).remedies).toContain('向永州经济技术开发区所在地有管辖权的基层人民法院提起行政诉讼');
  });

  it('urban management decides the demolition: reconsideration by the city government, suit in the district court', () => {
    const text = compose('demolition-decision');
    expect(text.closing.issuerName).toBe('永州市城管执法局');
    expect(text.remedies).toContain('向永州市人民政府申请行政复议');
    expect(text.remedies).toContain('向冷水滩区人民法院提起行政诉讼');
    expect(body(text)).toContain('冷住建违认〔2026〕3号');
  });
});

describe('what each instrument must say', () => {
  it('compensation: the amount in yuan and the standard', () => {
    expect(body(compose('compensation-notification'))).toContain('补偿金额：人民币 123,456.00 元。补偿标准和项目：按实施方案第三条标准计算。');
    expect(body(compose('compensation-notification'))).toContain('与永州市国土资源局签订征收土地协议，或者对补偿标准、项目和金额陈述意见。逾期未签订协议的，永州市国土资源局将依法作出补偿决定。');
    expect(body(compose('compensation-decision'))).toContain('永州市国土资源局决定：对你户给予征地补偿。补偿金额：人民币 123,456.78 元');
  });

  it('the decision cites the notice before it, by number and date of service', () => {
    expect(body(compose('vacating-decision'))).toContain('《限期腾地通知书》（冷国土强〔2026〕3号，2026年3月10日送达）');
  });

  it('the vacating decision says the court is applied to only once the remedy periods passed unused (ACL art. 53)', () => {
    expect(body(compose('vacating-decision'))).toContain('你户在法定期限内不申请行政复议或者提起行政诉讼，又不履行本决定的，永州市国土资源局将依法催告履行，并依照《中华人民共和国行政强制法》第五十三条申请人民法院强制执行');
  });

  it('the reminder (ACL art. 35): deadline, manner, amount, the right to state views and how, the consequence', () => {
    const text = body(compose('performance-reminder'));
    expect(text).toContain('《限期腾地决定书》（冷国土强〔2026〕4号，2026年4月10日送达）');
    expect(text).toContain('一、履行期限：自本催告书送达之日起10个工作日内。');
    expect(text).toContain('二、履行方式：自行搬离地上物品并向冷水滩分局交出土地。');
    expect(text).toContain('三、涉及金钱给付的金额：人民币 123,456.78 元；给付方式：补偿款已提存，凭身份证领取。');
    expect(text).toContain('你户依法享有陈述权和申辩权，可以在收到本催告书后以书面或者口头形式向永州市国土资源局提出陈述、申辩');
    expect(text).toContain('第三十六条');
    expect(text).toContain('自本催告书送达之日起10个工作日后你户仍未履行且无正当理由的，永州市国土资源局将依照《中华人民共和国行政强制法》第五十四条向不动产所在地有管辖权的人民法院申请强制执行');
    const without = body(compose('performance-reminder', { terms: { compensationFen: undefined } }));
    expect(without).not.toContain('涉及金钱给付');
  });

  it('the application (ACL art. 55): to the court, the request, the materials, signed by the head', () => {
    const text = compose('court-application');
    const paragraphs = body(text);
    expect(text.addressee).toBe('冷水滩区人民法院');
    expect(paragraphs).toContain('申请人：永州市国土资源局');
    expect(paragraphs).toContain('被申请人：梅湾村一组 001 号户（户主张三）');
    expect(paragraphs).toContain('请求依法裁定准予强制执行永州市国土资源局作出的《限期腾地决定书》（冷国土强〔2026〕4号，2026年4月10日送达）');
    expect(paragraphs).toContain('《履行行政决定催告书》（冷国土强〔2026〕5号，2026年5月10日送达）');
    for (const material of ['强制执行申请书', '行政决定书及作出决定的事实、理由和依据', '当事人的意见及行政机关催告情况', '申请强制执行标的情况', '法律、行政法规规定的其他材料']) {
      expect(paragraphs).toContain(material);
    }
    expect(paragraphs).toContain('第五十五条');
    expect(paragraphs).toContain('申请人负责人（签名）：');
    // Under national law the decision enforced is the district government's, the applicant still the land bureau.
    expect(body(compose('court-application', { variant: 'national' }))).toContain('强制执行冷水滩区人民政府作出的《限期腾地决定书》');
  });

  it('the demolition notice (ACL art. 44): demolish yourself by the deadline; forced demolition only after the remedy periods pass unused', () => {
    const text = compose('demolition-notice');
    expect(body(text)).toContain('现予公告：限你户自本公告送达之日起10日内自行拆除上述违法建筑。');
    expect(body(text)).toContain('你户在法定期限内（自收到《限期拆除决定书》之日起60日内申请行政复议、6个月内提起行政诉讼）不申请行政复议或者提起行政诉讼，又不自行拆除的');
    expect(body(text)).toContain('第四十四条依法强制拆除');
    expect(text.remedies).toBeUndefined();
  });

  it('the basis lines come from the rule table, by variant', () => {
    expect(compose('vacating-decision').basis).toEqual(['永州市征地拆迁联动机制实施方案 §五(一)5']);
    expect(compose('vacating-decision', { variant: 'national' }).basis).toEqual([
      '永州市征地拆迁联动机制实施方案 §五(一)5',
      '《中华人民共和国土地管理法实施条例》（2021年）第三十一条、第六十二条',
      '《中华人民共和国行政强制法》第六十九条',
    ]);
    expect(compose('performance-reminder').basis).toContain('《中华人民共和国行政强制法》第三十五条至第三十七条、第五十四条、第六十九条');
    expect(compose('demolition-notice').basis).toContain('《中华人民共和国行政强制法》第四十四条');
    expect(compose('court-application').basis).toContain('《中华人民共和国行政强制法》第五十三条');
  });

  it('a household that signed and was paid: the agreement and the refusal are stated', () => {
    const basis: ChainBasis = { kind: 'refused-after-payment', agreementId: 'A1', agreementNumber: '冷征协〔2026〕001号', refusedAt: '2026-01-04T17:00:00Z', note: '已足额支付，拒不腾地' };
    expect(body(compose('vacating-notice', { basis }))).toContain('你户已签订征收土地协议（协议编号：冷征协〔2026〕001号），征地补偿款已足额支付，至2026年1月5日仍拒不腾地、交地。已足额支付，拒不腾地。');
    // The round starts at the notice: no compensation decision to cite.
    const atNotice = composeInstrument({ chain: { ...chainBefore('vacating-notice', { basis }), instruments: [] }, instrument: { kind: 'vacating-notice', number: 'N1', terms: TERMS['vacating-notice'] }, issuedAt: ISSUED_AT });
    expect(body(atNotice)).not.toContain('《补偿决定书》');
    // A note that only repeats the fixed sentence is not printed twice.
    expect(body(compose('compensation-notification', { basis: { kind: 'no-agreement', note: '未签订征收土地协议' } }))).toMatch(/^你户未签订征收土地协议。\n/);
  });
});
