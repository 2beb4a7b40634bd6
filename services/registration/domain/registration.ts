import { createHash } from 'node:crypto';
import type { Identity } from '../../../shared/identity.ts';
import { RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import { describeDue, isDue, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';

/** The rights a registration can be for (seed §五(一)2: collectives, land contractors, other rights holders). */
export const RIGHT_TYPES = ['collective-land-ownership', 'land-contract', 'other-right'] as const;
export type RightType = (typeof RIGHT_TYPES)[number];

/**
 * Which collective owns the land: the village's (村农民集体) or a group's within it (村内农民集体,
 * 组集体) — both may own land in one group (Land Administration Law art. 11).
 */
export const COLLECTIVE_LEVELS = ['village', 'group'] as const;
export type CollectiveLevel = (typeof COLLECTIVE_LEVELS)[number];

export interface RightsHolder {
  kind: 'collective' | 'person' | 'organisation';
  name: string;
  /** For a collective: which one. */
  collectiveLevel?: CollectiveLevel;
  /** Masked ID number of a person; the clear number is never stored. */
  idNumberMasked?: string;
}

/** One compensation registration (补偿登记). */
export interface Registration {
  registrationId: string;
  projectId: string;
  villageGroupId: string;
  rightType: RightType;
  holder: RightsHolder;
  contractNumber?: string;
  areaSquareMetres?: number;
  description: string;
  /** Registered by the holder at the counter, or by the township on the holder's behalf. */
  onBehalf: boolean;
  registeredBy: Identity;
  registeredAt: string;
  /** Identifies the right: the same right registered twice is refused. */
  rightKey: string;
}

/**
 * Registration opens when the notice is published. In each village group the window the notice
 * sets runs from the notice's verified posting in that group, until 24:00 Beijing time of its last
 * day; afterwards the right is deemed waived (seed §五(一)2). Where the notice has not been posted
 * there is no window yet: registration stays open and nothing is waived (征收土地公告办法 arts. 3, 14).
 */
export function checkWindowOpen(noticePublished: boolean, window: DeadlineWatch | undefined, now: Date): void {
  if (!noticePublished) {
    throw new RuleViolationError('registration.not-open', '征收土地通告尚未发布，补偿登记尚未开始');
  }
  if (window && (window.status === 'elapsed' || isDue(window, now))) {
    throw new RuleViolationError(
      'registration.window-closed',
      `本村民小组的补偿登记期限已于${describeDue(window)}届满；依照征收土地通告，逾期未办理补偿登记的，视为放弃补偿权利`,
      { closedAt: window.dueAt, lastDay: window.lastDay },
    );
  }
}

/**
 * The key of a right, so the same right cannot be registered twice under another spelling:
 * - collective land ownership: one per owning collective (village or group) in the village group;
 * - a land contract: its contract number in the group, whoever claims it;
 * - any other right: who holds it (keyed hash of a person's ID number, else the name) and what.
 */
export function rightKeyOf(input: {
  villageGroupId: string;
  rightType: RightType;
  holderKey: string;
  collectiveLevel?: CollectiveLevel | undefined;
  contractNumber?: string | undefined;
  description: string;
}): string {
  const what =
    input.rightType === 'collective-land-ownership'
      ? [input.collectiveLevel ?? '']
      : input.rightType === 'land-contract'
        ? [normaliseName(input.contractNumber ?? '').toUpperCase()]
        : [input.holderKey, normaliseName(input.contractNumber ?? input.description)];
  const material = [input.villageGroupId, input.rightType, ...what].join('\u0000');
  return createHash('sha256').update(material).digest('base64url');
}

/** Which holders and details each kind of right needs. */
export function checkRightShape(input: {
  rightType: RightType;
  holderKind: RightsHolder['kind'];
  collectiveLevel?: CollectiveLevel | undefined;
  contractNumber?: string | undefined;
}): void {
  if (input.rightType === 'collective-land-ownership' && input.holderKind !== 'collective') {
    throw new ValidationError('registration.holder-kind', '集体土地所有权的权利人须为农村集体经济组织');
  }
  if (input.rightType === 'collective-land-ownership' && !input.collectiveLevel) {
    throw new ValidationError('registration.collective-level-required', '集体土地所有权须注明所有权人是村农民集体（village）还是村民小组农民集体（group）');
  }
  if (input.collectiveLevel && input.holderKind !== 'collective') {
    throw new ValidationError('registration.collective-level-not-applicable', '只有农村集体经济组织填写集体层级');
  }
  if (input.rightType === 'land-contract' && !input.contractNumber?.trim()) {
    throw new ValidationError('registration.contract-number-required', '土地承包经营权须填写承包合同（经营权证）编号');
  }
}

export const normaliseName = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');
