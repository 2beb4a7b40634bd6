import { covers } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { CaseCounterRepository, ProjectRepository, ReviewedDocumentRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { jurisdictionsOf, villageGroupFor } from '../../../shared/cases/project.ts';
import { perGroupRuleId } from '../../../shared/deadlines/watch-rules.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import { authorize } from '../../../shared/permissions.ts';
import { maskIdNumber, normaliseIdNumber } from '../../../shared/pii/id-number.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import type { RegistrationRepository } from './ports.ts';
import { checkRightShape, checkWindowOpen, normaliseName, rightKeyOf, type CollectiveLevel, type Registration, type RightType } from '../domain/registration.ts';

export interface RegistrationDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  documents: ReviewedDocumentRepository;
  watches: WatchRepository;
  counters: CaseCounterRepository;
  registrations: RegistrationRepository;
  pii: PiiVault;
  newId: (nowMs: number) => string;
}

export interface RegistrationInput {
  villageGroupId: string;
  rightType: RightType;
  holder: { kind: 'collective' | 'person' | 'organisation'; name: string; idNumber?: string | undefined; collectiveLevel?: CollectiveLevel | undefined };
  contractNumber?: string | undefined;
  areaSquareMetres?: number | undefined;
  description: string;
  onBehalf: boolean;
}

export async function register(deps: RegistrationDeps, projectId: string, input: RegistrationInput, ctx: ActionContext): Promise<Registration> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'registration.create', jurisdictionsOf(project));
  if (input.onBehalf && ctx.actor.agency !== 'township') {
    throw new ValidationError('registration.on-behalf', '只有乡镇（街道）可以代为办理补偿登记');
  }
  const group = villageGroupFor(project, input.villageGroupId, ctx.actor);
  checkRightShape({ rightType: input.rightType, holderKind: input.holder.kind, collectiveLevel: input.holder.collectiveLevel, contractNumber: input.contractNumber });
  // The registrant's group's window: it runs from the notice's posting there (decision 0015).
  const [notice, window] = await Promise.all([
    deps.documents.find(projectId, 'notice'),
    deps.watches.find(projectId, perGroupRuleId('registration-window', group.id)),
  ]);
  checkWindowOpen(notice?.status === 'published', window?.watch, ctx.now);

  const holder = await protectHolder(deps.pii, input.holder, projectId);
  const rightKey = rightKeyOf({
    villageGroupId: group.id,
    rightType: input.rightType,
    holderKey: holder.mac ?? `${input.holder.kind}:${normaliseName(input.holder.name)}`,
    collectiveLevel: input.holder.collectiveLevel,
    contractNumber: input.contractNumber,
    description: input.description,
  });
  const registration: Registration = {
    registrationId: deps.newId(ctx.now.getTime()),
    projectId,
    villageGroupId: group.id,
    rightType: input.rightType,
    holder: holder.public,
    ...(input.contractNumber ? { contractNumber: input.contractNumber.trim() } : {}),
    ...(input.areaSquareMetres !== undefined ? { areaSquareMetres: input.areaSquareMetres } : {}),
    description: input.description,
    onBehalf: input.onBehalf,
    registeredBy: ctx.actor,
    registeredAt: ctx.now.toISOString(),
    rightKey,
  };
  await deps.uow.commit(
    [
      deps.registrations.add(registration, {
        sealedIdNumber: holder.sealed,
        onConflict: new ConflictError('registration.duplicate', '该权利已办理补偿登记，不能重复登记', { villageGroupId: group.id, rightType: input.rightType }),
      }),
      deps.counters.increment(projectId, 'registrations'),
    ],
    [auditOf(ctx, 'registration.create', { type: 'registration', id: registration.registrationId, projectId }, { villageGroupId: group.id, rightType: input.rightType, onBehalf: input.onBehalf })],
  );
  return registration;
}

/** A page of a project's registrations (ID numbers masked); reading them is audited. */
export async function listRegistrations(
  deps: RegistrationDeps,
  projectId: string,
  page: { limit: number; cursor?: string | undefined },
  ctx: ActionContext,
): Promise<{ items: Registration[]; cursor?: string }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'registration.read', jurisdictionsOf(project));
  const found = await deps.registrations.page(projectId, page);
  const items = found.items.filter(
    (r) => ctx.actor.agency !== 'township' || project.villageGroups.some((g) => g.id === r.villageGroupId && covers(ctx.actor.jurisdiction, g.township)),
  );
  await auditRead(deps.uow, ctx, 'registration.read', { type: 'project', id: projectId, projectId }, { count: items.length });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

async function protectHolder(pii: PiiVault, holder: RegistrationInput['holder'], projectId: string) {
  const name = holder.name.trim();
  if (holder.kind !== 'person') {
    if (holder.idNumber) throw new ValidationError('registration.id-number-not-applicable', '集体经济组织或单位不填写身份证号码');
    return { public: { kind: holder.kind, name, ...(holder.collectiveLevel ? { collectiveLevel: holder.collectiveLevel } : {}) }, mac: undefined, sealed: undefined };
  }
  if (!holder.idNumber) throw new ValidationError('registration.id-number-required', '自然人权利人须提供身份证号码');
  const id = normaliseIdNumber(holder.idNumber);
  const masked = maskIdNumber(id);
  const sealed = await pii.protect(id, masked, { purpose: 'rights-holder-id', projectId });
  return { public: { kind: holder.kind, name, idNumberMasked: masked }, mac: sealed.mac, sealed };
}
