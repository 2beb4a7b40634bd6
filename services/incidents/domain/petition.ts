import type { AgencyId } from '../../../shared/agencies.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

export const PETITION_KINDS = ['petition', 'dispute'] as const;
export type PetitionKind = (typeof PETITION_KINDS)[number];
export const PETITION_CHANNELS = ['visit', 'letter', 'phone', 'online', 'referred'] as const;
export type PetitionChannel = (typeof PETITION_CHANNELS)[number];

export const PETITION_KIND_ZH: Record<PetitionKind, string> = { petition: '信访事项', dispute: '补偿安置争议、矛盾纠纷' };

/**
 * A petition (信访) or a dispute raised by a household, recorded against the project (and the
 * household, if one): the district government handles disputes, conflicts and petitions in its
 * area (§三(三)); the petition bureau guides and coordinates (§三(十四)) and sees every one.
 */
export interface Petition {
  petitionId: string;
  projectId: string;
  district: string;
  township?: string;
  householdId?: string;
  kind: PetitionKind;
  channel: PetitionChannel;
  /** Who raised it (a name as given; no identity number is kept here). */
  raisedBy: string;
  summary: string;
  receivedAt: string;
  recordedBy: Identity;
  recordedAt: string;
  /** The agency that answers for it, in its jurisdiction. */
  assignedTo: { agency: AgencyId; jurisdiction: string };
  status: 'open' | 'in-progress' | 'closed';
  steps: Array<{ note: string; by: Identity; at: string }>;
  closed?: { outcome: string; by: Identity; at: string };
}

/** Disputes and petitions on expropriation are the district government's to handle (§三(三)). */
export const PETITION_HANDLER: AgencyId = 'district-government';

export function recordPetition(
  petitionId: string,
  project: { id: string; district: string },
  input: { kind: PetitionKind; channel: PetitionChannel; raisedBy: string; summary: string; receivedAt: string; township?: string | undefined; householdId?: string | undefined },
  actor: Identity,
  now: Date,
): Petition {
  if (Date.parse(input.receivedAt) > now.getTime()) throw new ValidationError('petition.received-in-future', '收到时间不能晚于登记时间');
  const { township, householdId, ...rest } = input;
  return {
    petitionId,
    projectId: project.id,
    district: project.district,
    ...(township ? { township } : {}),
    ...(householdId ? { householdId } : {}),
    ...rest,
    receivedAt: new Date(input.receivedAt).toISOString(),
    recordedBy: actor,
    recordedAt: now.toISOString(),
    assignedTo: { agency: PETITION_HANDLER, jurisdiction: project.district },
    status: 'open',
    steps: [],
  };
}

export function addPetitionStep(petition: Petition, note: string, actor: Identity, now: Date): Petition {
  if (petition.status === 'closed') throw new ConflictError('petition.closed', `${PETITION_KIND_ZH[petition.kind]} ${petition.petitionId} 已办结`);
  return { ...petition, status: 'in-progress', steps: [...petition.steps, { note, by: actor, at: now.toISOString() }] };
}

export function closePetition(petition: Petition, outcome: string, actor: Identity, now: Date): Petition {
  if (petition.status === 'closed') throw new ConflictError('petition.closed', `${PETITION_KIND_ZH[petition.kind]} ${petition.petitionId} 已办结`);
  return { ...petition, status: 'closed', closed: { outcome, by: actor, at: now.toISOString() } };
}
