import type { Identity } from './identity.ts';

/** One append-only audit entry: who did what to which target, when, under which request. */
export interface AuditRecord {
  at: string;
  requestId: string;
  actor: Identity;
  action: string;
  /**
   * What was acted on. A household's records chain under the household (`householdId`), so a
   * 2,000-household project never queues its writers on one chain head.
   */
  target: { type: string; id: string; projectId?: string; householdId?: string };
  /** Short facts about the change (no personal ID numbers). */
  summary?: Record<string, unknown>;
}

/** The context every use case runs in: the verified actor, the request id and "now". */
export interface ActionContext {
  actor: Identity;
  requestId: string;
  now: Date;
}

export function auditOf(
  ctx: ActionContext,
  action: string,
  target: AuditRecord['target'],
  summary?: Record<string, unknown>,
): AuditRecord {
  return {
    at: ctx.now.toISOString(),
    requestId: ctx.requestId,
    actor: ctx.actor,
    action,
    target,
    ...(summary ? { summary } : {}),
  };
}

/** Reads of case data are actions too: who looked at what, and when. */
export async function auditRead(
  store: { appendAudit(audit: readonly AuditRecord[]): Promise<void> },
  ctx: ActionContext,
  action: string,
  target: AuditRecord['target'],
  summary?: Record<string, unknown>,
): Promise<void> {
  await store.appendAudit([auditOf(ctx, action, target, summary)]);
}
