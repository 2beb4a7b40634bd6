import * as z from 'zod';
import { chainRef } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `court-ruling-recorded` v1 — the court acted on the application for enforcement (ACL arts. 56–59):
 * accepted or refused it, the higher court ruled on a review, or the court ruled whether to enforce
 * (`enforce`, and `emergency` for immediate execution). On an enforcement ruling the leading group
 * office organises the joint action (§四(二)).
 */
export const courtRulingRecordedV1 = {
  name: 'court-ruling-recorded',
  version: 1,
  source: 'land-expropriation.enforcement',
  schema: inboxEventSchema(
    'court-ruling-recorded',
    z.enum(['land-bureau', 'leading-group-office']),
    z.object({
      ...chainRef,
      court: z.string(),
      /** 受理 / 不予受理 / 复议裁定受理 / 复议裁定不予受理 / 准予执行 / 不准予执行. */
      act: z.string(),
      at: z.iso.datetime(),
      caseNumber: z.string().optional(),
      enforce: z.boolean().optional(),
      emergency: z.boolean().optional(),
    }),
  ),
} as const;
