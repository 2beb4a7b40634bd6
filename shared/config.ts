import * as z from 'zod';

/** Every setting a function may read from its environment, validated once at cold start. */
const schema = z.object({
  CASES_TABLE: z.string().min(1),
  AUDIT_TABLE: z.string().min(1),
  EVIDENCE_BUCKET: z.string().min(1),
  ALERTS_TOPIC_ARN: z.string().min(1),
  WATCH_WORKFLOW_ARN: z.string().min(1),
  MAINTENANCE_WORKFLOW_ARN: z.string().min(1),
  SURVEY_IMPORT_WORKFLOW_ARN: z.string().min(1),
  PII_KEY_ID: z.string().min(1),
  PII_MAC_KEY_ID: z.string().min(1),
  /** The payment workflow (one Standard execution per payment). */
  PAYMENT_WORKFLOW_ARN: z.string().min(1),
  /** The bank gateway's base URL (the local bank simulator, or the city's bank front-end processor). */
  BANK_URL: z.url(),
  /** The Secrets Manager secret holding the HMAC secret the bank signs its callbacks with. */
  BANK_CALLBACK_SECRET_ARN: z.string().min(1),
  /** Encrypts payee bank account numbers (not the PII key: paying needs the clear number back). */
  BANK_ACCOUNT_KEY_ID: z.string().min(1),
  /** HMAC key from which paging cursors' signing secret is derived. */
  CURSOR_KEY_ID: z.string().min(1),
});

export type Config = z.infer<typeof schema>;

/**
 * Reads just the settings a function needs (each function is given only those), failing at cold
 * start with the names of the missing ones rather than at the first request.
 */
export function loadConfig<K extends keyof Config>(...keys: K[]): Pick<Config, K> {
  const missing = keys.filter((key) => !schema.shape[key].safeParse(process.env[key]).success);
  if (missing.length) throw new Error(`missing or invalid configuration: ${missing.join(', ')}`);
  return Object.fromEntries(keys.map((key) => [key, process.env[key]])) as Pick<Config, K>;
}
