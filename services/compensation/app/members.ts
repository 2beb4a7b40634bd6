import type { Change } from '../../../shared/cases/ports.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import { maskIdNumber, normaliseIdNumber } from '../../../shared/pii/id-number.ts';
import { memberIdOf } from '../../../shared/pii/member-id.ts';
import type { PiiVault, ProtectedValue } from '../../../shared/pii/pii-vault.ts';
import type { Member } from '../domain/household.ts';
import type { HouseholdRepository } from './ports.ts';

/** A member as an agency enters it: the clear ID number, which is sealed here and never stored. */
export interface MemberInput {
  name: string;
  relation: string;
  idNumber: string;
  dateOfBirth: string;
  military?: 'serving' | 'retired' | undefined;
}

export interface SealedMembers {
  members: Member[];
  /** Each member's sealed ID number by memberId, stored beside the household, never returned. */
  sealed: Record<string, ProtectedValue>;
}

/**
 * Validates and seals the members' ID numbers. A member's id is derived from the keyed hash of the
 * ID number, so the same person keeps the same id across corrected surveys and re-imports.
 */
export async function sealMembers(pii: PiiVault, projectId: string, inputs: readonly MemberInput[]): Promise<SealedMembers> {
  const ids = inputs.map((m) => normaliseIdNumber(m.idNumber));
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ValidationError('household.member-duplicate', `同一身份证号码在本户登记了两次：${maskIdNumber(duplicate)}`);
  const sealed: Record<string, ProtectedValue> = {};
  const members = await Promise.all(
    inputs.map(async (input, i): Promise<Member> => {
      const id = ids[i]!;
      const born = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
      if (input.dateOfBirth !== born) {
        throw new ValidationError('household.member-birth-date', `成员“${input.name}”的出生日期与身份证号码不一致`);
      }
      const protectedId = await pii.protect(id, maskIdNumber(id), { purpose: 'household-member', projectId });
      const memberId = memberIdOf(protectedId.mac);
      sealed[memberId] = protectedId;
      return {
        memberId,
        name: input.name.trim(),
        relation: input.relation.trim(),
        idNumberMasked: protectedId.masked,
        dateOfBirth: input.dateOfBirth,
        ...(input.military ? { military: input.military } : {}),
      };
    }),
  );
  return { members, sealed };
}

/**
 * The claims that make each member belong to this household only (and keep new members' sealed ID
 * numbers): new people are claimed; a person another household still lists is refused; one it no
 * longer lists moves here.
 */
export async function claimMembers(
  households: HouseholdRepository,
  projectId: string,
  householdId: string,
  sealed: SealedMembers,
  previous: readonly Member[] = [],
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const member of sealed.members) {
    if (previous.some((p) => p.memberId === member.memberId)) continue;
    const mac = sealed.sealed[member.memberId]!.mac;
    const claim = await households.memberClaim(projectId, mac);
    // Someone the project knows may have been a member here before (dropped by a corrected survey,
    // or moved away and back): their sealed number is kept here already and is written once.
    if (!claim || !(await households.sealedIdKept(householdId, member.memberId))) {
      changes.push(households.keepSealedId(householdId, member.memberId, sealed.sealed[member.memberId]!));
    }
    const taken = new ConflictError('household.member-elsewhere', `成员“${member.name}”（${member.idNumberMasked}）已登记在本项目的另一户`, { memberId: member.memberId });
    if (!claim) {
      changes.push(households.claimMember(projectId, mac, householdId, 'absent', taken));
      continue;
    }
    // Ours already: written again at its version, so a move of the person to another household
    // that commits between our read and our commit makes our commit fail, not both succeed.
    if (claim.householdId === householdId) {
      changes.push(households.claimMember(projectId, mac, householdId, claim.version, taken));
      continue;
    }
    const holder = await households.find(claim.householdId);
    if (holder?.members.some((m) => m.memberId === member.memberId)) throw taken;
    changes.push(households.claimMember(projectId, mac, householdId, claim.version, taken));
  }
  return changes;
}
