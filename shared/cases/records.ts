import { NotFoundError } from '../errors.ts';
import type { CaseStore, Item } from '../store/case-store.ts';

/**
 * Every record of a project case lives under one partition key, so the whole case (the timeline)
 * is one query. Sort keys name the record kind; services own their kinds.
 */
export const projectPk = (projectId: string) => `PROJECT#${projectId}`;

export const SK = {
  project: 'META',
  notice: 'NOTICE',
  plan: 'PLAN',
  standard: 'STANDARD',
  posting: (documentKind: string, villageGroupId: string, postingId: string) => `POSTING#${documentKind}#${villageGroupId}#${postingId}`,
  upload: (uploadId: string) => `UPLOAD#${uploadId}`,
  registration: (rightKey: string) => `REG#${rightKey}`,
  event: (at: string, eventId: string) => `EVENT#${at}#${eventId}`,
} as const;

/** A stored record with the version the store assigned (for the next guarded write). */
export type Versioned<T> = T & { version: number };

/** Wraps an entity as a record of a project case. */
export function toItem(projectId: string, sk: string, type: string, entity: object, index?: { gsi1pk: string; gsi1sk: string }): Item {
  return { ...entity, pk: projectPk(projectId), sk, type, ...(index ?? {}) };
}

/** The entity inside a record, with its version. */
export function fromItem<T>(item: Item): Versioned<T> {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...entity } = item;
  return entity as unknown as Versioned<T>;
}

/** Reads one record of a project or throws a 404 with the given message. */
export async function getRecord<T>(store: CaseStore, projectId: string, sk: string, notFound: NotFoundError): Promise<Versioned<T>> {
  const item = await store.get(projectPk(projectId), sk);
  if (!item) throw notFound;
  return fromItem<T>(item);
}

export async function findRecord<T>(store: CaseStore, projectId: string, sk: string): Promise<Versioned<T> | undefined> {
  const item = await store.get(projectPk(projectId), sk);
  return item ? fromItem<T>(item) : undefined;
}

export const projectNotFound = (projectId: string) =>
  new NotFoundError('project.not-found', `征收项目不存在：${projectId}`, { projectId });

/** The entity without the store's version, for responses. */
export function withoutVersion<T extends { version?: number }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}
