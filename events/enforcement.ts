import * as z from 'zod';
import { AGENCY_IDS } from '../shared/agencies.ts';

/** What every enforcement event names: the household and its chain. */
export const chainRef = {
  householdId: z.string(),
  chainId: z.string(),
  caseLabel: z.string(),
};

export const anyAgency = z.enum(AGENCY_IDS);
