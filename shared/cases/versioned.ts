/** A stored entity and the version its next guarded write must expect. */
export type Versioned<T> = T & { version: number };

/** The entity without the store's version, for responses and domain functions. */
export function withoutVersion<T extends { version?: number }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}
