import { beijingDate, parseDay } from '../../../shared/calendar/index.ts';
import { RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Fen } from '../../../shared/money.ts';
import type { Compensation, CompensationLine, Household, HouseItem, LocalDate, Member } from './household.ts';
import type { CompensationStandard } from './plan.ts';
import { multiplyToFen, sumFen } from './quantity.ts';

/**
 * A household's compensation, computed from the project's locked standard only (seed §五(二)):
 * quantity × rate per line, each line rounded once (quantity.ts), the total the sum of the lines.
 *
 * Items that came into being after the notice get nothing (抢栽抢建, 2021 Regulations art. 26).
 * Only a date strictly after the Beijing date of publication counts as "after": an item dated on
 * the publication day itself is compensated, because a date alone cannot show it came after the
 * notice's hour and the burden of showing 抢栽抢建 lies with the administration. Items without a
 * date are compensated. An illegal house gets nothing, citing its determination; a house whose
 * legality is pending is computed at zero and makes the computation not final.
 */

export interface CompensationInput {
  household: Household;
  /** The instant the land expropriation notice (征收土地通告) was published. */
  noticePublishedAt: string;
  /** Members who passed the hukou check and are on the district's approved list (seed §三(三)(七)). */
  resettledMemberIds: readonly string[];
  /** The project's one standard, as locked on the plan's publication. */
  standard: CompensationStandard;
  standardLockedAt: string;
  now: Date;
}

/** The standard's clause a rate comes from: names the one entry of the standard. */
export const clauses = {
  land: (landClass: string) => `补偿标准·土地补偿费·地类“${landClass}”`,
  subsidy: (landClass: string) => `补偿标准·安置补助费·地类“${landClass}”`,
  crop: (crop: string) => `补偿标准·青苗“${crop}”`,
  attachment: (item: string, unit: string) => `补偿标准·附着物“${item}/${unit}”`,
  house: (structure: string) => `补偿标准·房屋结构“${structure}”`,
  socialSecurity: () => '补偿标准·社会保障费用·每人',
  resettlementOption: (id: string) => `补偿标准·安置方式“${id}”`,
};

export function computeCompensation(input: CompensationInput): Compensation {
  const { household, standard } = input;
  const survey = household.survey;
  if (!survey) throw new RuleViolationError('compensation.no-survey', `户“${household.householdNumber}”尚未调查，不能计算补偿`);
  if (!input.standardLockedAt) {
    throw new RuleViolationError('compensation.standard-not-locked', '补偿标准尚未随实施方案发布锁定，不能计算补偿（方案§五(二)）');
  }
  const publishedOn = beijingDate(input.noticePublishedAt);
  const afterNotice = (itemId: string, on: LocalDate | undefined): string | undefined => {
    if (on === undefined) return undefined;
    if (parseDay(on) === undefined) throw new ValidationError('compensation.invalid-date', `调查项“${itemId}”的形成日期“${on}”不是有效日期（YYYY-MM-DD）`, { itemId });
    return on > publishedOn ? `${on}形成，晚于征收土地通告发布之日（${publishedOn}），抢栽抢建部分不予补偿（《土地管理法实施条例》第二十六条）` : undefined;
  };

  const lines: CompensationLine[] = [];
  const blockers: string[] = [];

  for (const parcel of survey.parcels) {
    const landRate = standard.landRates.find((r) => r.landClass === parcel.landClass);
    const subsidyRate = standard.resettlementSubsidyRates.find((r) => r.landClass === parcel.landClass);
    if (!landRate || !subsidyRate) throw unknown('land-class', `地块“${parcel.parcelNumber}”的地类“${parcel.landClass}”`);
    const zeroReason = afterNotice(parcel.itemId, parcel.cameIntoBeingOn);
    const label = `地块“${parcel.parcelNumber}”的面积（亩）`;
    lines.push(
      line({ kind: 'land-compensation', itemId: parcel.itemId, description: `地块${parcel.parcelNumber}（${parcel.landClass}）土地补偿费`, quantity: parcel.areaMu, unit: '亩', rateFen: landRate.fenPerMu, clause: clauses.land(parcel.landClass), payee: 'collective' }, label, zeroReason),
      line({ kind: 'resettlement-subsidy', itemId: parcel.itemId, description: `地块${parcel.parcelNumber}（${parcel.landClass}）安置补助费`, quantity: parcel.areaMu, unit: '亩', rateFen: subsidyRate.fenPerMu, clause: clauses.subsidy(parcel.landClass), payee: 'resettled-person' }, label, zeroReason),
    );
  }
  for (const crop of survey.crops) {
    const rate = standard.cropRates.find((r) => r.crop === crop.crop);
    if (!rate) throw unknown('crop', `调查项“${crop.itemId}”的青苗“${crop.crop}”`);
    lines.push(line({ kind: 'crop', itemId: crop.itemId, description: `青苗：${crop.crop}`, quantity: crop.areaMu, unit: '亩', rateFen: rate.fenPerMu, clause: clauses.crop(crop.crop), payee: 'owner' }, `青苗“${crop.itemId}”的面积（亩）`, afterNotice(crop.itemId, crop.cameIntoBeingOn)));
  }
  for (const attachment of survey.attachments) {
    const rate = standard.attachmentRates.find((r) => r.item === attachment.item && r.unit === attachment.unit);
    if (!rate) throw unknown('attachment', `调查项“${attachment.itemId}”的附着物“${attachment.item}/${attachment.unit}”`);
    lines.push(
      line(
        { kind: 'attachment', itemId: attachment.itemId, description: `附着物：${attachment.item}`, quantity: attachment.quantity, unit: attachment.unit, rateFen: rate.fenPerUnit, clause: clauses.attachment(attachment.item, attachment.unit), payee: 'owner' },
        `附着物“${attachment.itemId}”的数量`,
        afterNotice(attachment.itemId, attachment.cameIntoBeingOn),
      ),
    );
  }
  for (const house of survey.houses) {
    const rate = standard.houseRates.find((r) => r.structure === house.structure);
    if (!rate) throw unknown('structure', `房屋“${house.itemId}”的结构“${house.structure}”`);
    if (house.legality === 'pending') blockers.push(`房屋“${house.itemId}”的合法性尚待市住建局认定，认定后须重新计算（方案§三(三)(九)）`);
    lines.push(
      line(
        { kind: 'house', itemId: house.itemId, description: `房屋：${house.structure}结构${house.storeys}层`, quantity: house.floorAreaSquareMetres, unit: '平方米', rateFen: rate.fenPerSquareMetre, clause: clauses.house(house.structure), payee: 'owner' },
        `房屋“${house.itemId}”的建筑面积（平方米）`,
        afterNotice(house.itemId, house.cameIntoBeingOn) ?? houseZeroReason(house),
      ),
    );
  }
  for (const member of resettledMembers(household, input.resettledMemberIds)) {
    lines.push(line({ kind: 'social-security', itemId: member.memberId, description: `${member.name}（${member.relation}）被征地农民社会保障费用`, quantity: '1', unit: '人', rateFen: standard.socialSecurity.fenPerPerson, clause: clauses.socialSecurity(), payee: 'social-security-fund' }, '安置人数'));
  }

  return {
    householdId: household.householdId,
    projectId: household.projectId,
    surveyRevision: survey.revision,
    standardLockedAt: input.standardLockedAt,
    lines,
    totalFen: sumFen(lines.map((l) => l.amountFen)),
    blockers,
    final: blockers.length === 0,
    computedAt: input.now.toISOString(),
  };
}

type LineFields = Omit<CompensationLine, 'amountFen' | 'zeroReason'>;

/** The line's amount by the one rounding rule; zero, with the reason, when nothing is due. */
function line(fields: LineFields, label: string, zeroReason?: string): CompensationLine {
  const amountFen: Fen = multiplyToFen(fields.quantity, fields.rateFen, label);
  return zeroReason ? { ...fields, amountFen: 0, zeroReason } : { ...fields, amountFen };
}

function houseZeroReason(house: HouseItem): string | undefined {
  if (house.legality === 'pending') return '房屋合法性尚待认定，暂按零计算';
  if (house.legality === 'illegal') {
    if (!house.determination) throw new ValidationError('compensation.illegal-without-determination', `房屋“${house.itemId}”标为违法建筑，但没有认定文书，不能据此不予补偿`, { itemId: house.itemId });
    return `经认定为违法建筑（${house.determination.reference}），不予补偿`;
  }
  return undefined;
}

/** The resettled members in the household's own order, so the lines do not depend on the list's order. */
function resettledMembers(household: Household, ids: readonly string[]): Member[] {
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ValidationError('compensation.duplicate-member', `安置人员“${duplicate}”重复列出`, { memberId: duplicate });
  const stranger = ids.find((id) => !household.members.some((m) => m.memberId === id));
  if (stranger) throw new ValidationError('compensation.unknown-member', `安置人员“${stranger}”不是户“${household.householdNumber}”的成员`, { memberId: stranger });
  return household.members.filter((m) => ids.includes(m.memberId));
}

function unknown(what: 'land-class' | 'crop' | 'attachment' | 'structure', named: string): ValidationError {
  return new ValidationError(`compensation.unknown-${what}`, `${named}不在本项目的补偿标准中：补偿只能依据已发布的唯一标准（方案§五(二)）`);
}
