import type { HouseholdCard, HouseholdPaymentStatus, HouseholdStep, PayableAgreement } from '../../../shared/cases/household-money.ts';
import type {
  HouseholdCardRepository,
  HouseholdPaymentStatusRepository,
  HouseholdStepRepository,
  PayableAgreementRepository,
  ProjectRepository,
} from '../../../shared/cases/ports.ts';
import type { Project } from '../../../shared/cases/project.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import type { EndReason, EnforcementChain } from '../domain/chain.ts';

/**
 * What the kernel shows of a household (decision 0007): who it is, its signed agreement, its
 * payment and its handover step. The enforcement service reads nothing else of other services.
 */
export interface HouseholdFacts {
  householdId: string;
  project: Project;
  villageGroupId: string;
  township: string;
  caseLabel: string;
  agreement?: PayableAgreement;
  payment?: HouseholdPaymentStatus;
  handover?: HouseholdStep;
}

export interface KernelReads {
  projects: ProjectRepository;
  householdCards: HouseholdCardRepository;
  payableAgreements: PayableAgreementRepository;
  paymentStatus: HouseholdPaymentStatusRepository;
  householdSteps: HouseholdStepRepository;
}

export async function householdFacts(deps: KernelReads, householdId: string): Promise<HouseholdFacts> {
  const [card, agreements, payment, steps] = await Promise.all([
    deps.householdCards.find(householdId),
    deps.payableAgreements.ofHousehold(householdId),
    deps.paymentStatus.find(householdId),
    deps.householdSteps.ofHousehold(householdId),
  ]);
  const agreement = agreements.map((a) => withoutVersion(a)).filter((a) => a.status === 'signed').at(-1);
  const who: Pick<HouseholdCard, 'projectId' | 'villageGroupId' | 'caseLabel'> | undefined = card ?? agreement;
  if (!who) throw new NotFoundError('enforcement.household-not-found', `被征收户不存在：${householdId}`, { householdId });
  const project = await deps.projects.get(who.projectId);
  const group = project.villageGroups.find((g) => g.id === who.villageGroupId);
  const handover = steps.find((s) => s.key === 'handover');
  return {
    householdId,
    project,
    villageGroupId: who.villageGroupId,
    township: group?.township ?? project.district,
    caseLabel: who.caseLabel,
    ...(agreement ? { agreement } : {}),
    ...(payment ? { payment: withoutVersion(payment) } : {}),
    ...(handover ? { handover: withoutVersion(handover) } : {}),
  };
}

/**
 * Whether the household settled outside the chain since it opened: it signed an agreement (a chain
 * for a household that never signed), or vacated and handed over of its own accord. The chain then
 * ends cleanly; its clocks count against no one.
 */
export function settledOutside(chain: EnforcementChain, facts: HouseholdFacts): { reason: Extract<EndReason, 'agreement-signed' | 'vacated'>; note: string } | undefined {
  if (chain.kind !== 'vacating' || chain.status === 'ended') return undefined;
  if (chain.basis.kind === 'no-agreement' && facts.agreement && facts.agreement.signedAt > chain.openedAt) {
    return { reason: 'agreement-signed', note: `被征收户已签订征收土地协议（${facts.agreement.number}）` };
  }
  if (facts.handover && (facts.handover.status === 'done' || facts.handover.status === 'open')) {
    return { reason: 'vacated', note: `被征收户已自行腾地、交地：${facts.handover.detail ?? ''}` };
  }
  return undefined;
}
