/**
 * The partition of a case: every record of a project lives under it, so the whole case is one
 * query. Sort keys and index keys are each repository's own (one repository per record kind).
 */
export const casePk = (caseId: string) => `PROJECT#${caseId}`;
