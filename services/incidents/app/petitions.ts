import { covers } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { HouseholdCardRepository, InboxRepository, Page, PageRequest, ProjectRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import { authorize, authorizeAgency, type Action } from '../../../shared/permissions.ts';
import { addPetitionStep, closePetition, PETITION_KIND_ZH, recordPetition, type Petition, type PetitionChannel, type PetitionKind } from '../domain/petition.ts';
import type { PetitionRepository } from './ports.ts';

export interface PetitionDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  householdCards: HouseholdCardRepository;
  inbox: InboxRepository;
  petitions: PetitionRepository;
  newId: (nowMs: number) => string;
}

const target = (p: Pick<Petition, 'petitionId' | 'projectId' | 'householdId'>) => ({ type: 'petition', id: p.petitionId, projectId: p.projectId, ...(p.householdId ? { householdId: p.householdId } : {}) });
/** A petition is the district's; the petition bureau (city) sees all; a township sees those of its own place. */
const placesOf = (p: Pick<Petition, 'district' | 'township'>) => [p.district, ...(p.township ? [p.township] : [])];

export interface PetitionRequest {
  kind: PetitionKind;
  channel: PetitionChannel;
  raisedBy: string;
  summary: string;
  receivedAt: string;
  householdId?: string | undefined;
}

/**
 * A petition or dispute recorded against the project (and household): assigned to the district
 * government, with a task in its inbox and one in the petition bureau's, which guides it.
 */
export async function recordProjectPetition(deps: PetitionDeps, projectId: string, input: PetitionRequest, ctx: ActionContext) {
  authorizeAgency(ctx.actor, 'petition.record');
  const { version: _v, ...project } = await deps.projects.get(projectId);
  authorize(ctx.actor, 'petition.record', jurisdictionsOf(project));
  let township: string | undefined;
  if (input.householdId) {
    const card = await deps.householdCards.find(input.householdId);
    if (card?.projectId !== projectId) throw new ValidationError('petition.household-unknown', `本项目没有被征收户 ${input.householdId}`);
    township = project.villageGroups.find((g) => g.id === card.villageGroupId)?.township;
  } else if (jurisdictionsOf(project).includes(ctx.actor.jurisdiction) && ctx.actor.jurisdiction !== project.district) {
    township = ctx.actor.jurisdiction;
  }
  const petition = recordPetition(deps.newId(ctx.now.getTime()), project, { ...input, township }, ctx.actor, ctx.now);
  const events = (['district-government', 'petition-bureau'] as const).map((addressee) => assignedEvent(deps, petition, addressee, ctx.now));
  await deps.uow.commit(
    [deps.petitions.save(petition, 'absent'), ...events.map((e) => deps.inbox.add(e))],
    [auditOf(ctx, 'petition.record', target(petition), { kind: petition.kind, channel: petition.channel, assignedTo: petition.assignedTo.agency })],
  );
  return petition;
}

async function load(deps: PetitionDeps, petitionId: string, action: Action, ctx: ActionContext) {
  authorizeAgency(ctx.actor, action);
  const { version, ...petition } = await deps.petitions.get(petitionId);
  authorize(ctx.actor, action, placesOf(petition));
  return { petition: petition as Petition, version };
}

async function act(deps: PetitionDeps, petitionId: string, action: Action, ctx: ActionContext, step: (p: Petition) => Petition, summary: Record<string, unknown>) {
  const { petition, version } = await load(deps, petitionId, action, ctx);
  const next = step(petition);
  await deps.uow.commit([deps.petitions.save(next, version)], [auditOf(ctx, action, target(next), summary)]);
  return next;
}

export function recordPetitionProgress(deps: PetitionDeps, petitionId: string, input: { note: string }, ctx: ActionContext) {
  return act(deps, petitionId, 'petition.handle', ctx, (p) => addPetitionStep(p, input.note, ctx.actor, ctx.now), { note: input.note });
}

export function closeProjectPetition(deps: PetitionDeps, petitionId: string, input: { outcome: string }, ctx: ActionContext) {
  return act(deps, petitionId, 'petition.close', ctx, (p) => closePetition(p, input.outcome, ctx.actor, ctx.now), { outcome: input.outcome });
}

export async function readPetition(deps: PetitionDeps, petitionId: string, ctx: ActionContext) {
  const { petition } = await load(deps, petitionId, 'petition.read', ctx);
  await auditRead(deps.uow, ctx, 'petition.read', target(petition));
  return petition;
}

export async function listProjectPetitions(deps: PetitionDeps, projectId: string, page: PageRequest, ctx: ActionContext): Promise<Page<Petition>> {
  authorizeAgency(ctx.actor, 'petition.read');
  const { version: _v, ...project } = await deps.projects.get(projectId);
  authorize(ctx.actor, 'petition.read', jurisdictionsOf(project));
  const found = await deps.petitions.ofProject(projectId, page);
  const items = found.items.filter((p) => placesOf(p).some((j) => covers(ctx.actor.jurisdiction, j)));
  await auditRead(deps.uow, ctx, 'petition.list', { type: 'project', id: projectId, projectId }, { count: items.length });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

function assignedEvent(deps: PetitionDeps, petition: Petition, addressee: 'district-government' | 'petition-bureau', now: Date): InboxEvent {
  const role = addressee === 'district-government' ? '请区人民政府（管委会）依法处理（§三(三)）' : '请市信访局指导协调（§三(十四)）';
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    projectId: petition.projectId,
    addressee,
    kind: 'petition-assigned',
    title: `${PETITION_KIND_ZH[petition.kind]}：${petition.raisedBy}`,
    text: `${formatBeijing(petition.receivedAt)} 收到 ${petition.raisedBy} 反映：${petition.summary}。${role}。`,
    jurisdictions: placesOf(petition),
    data: { petitionId: petition.petitionId, kind: petition.kind, channel: petition.channel, receivedAt: petition.receivedAt, assignedTo: petition.assignedTo.agency, ...(petition.householdId ? { householdId: petition.householdId } : {}) },
  });
}
