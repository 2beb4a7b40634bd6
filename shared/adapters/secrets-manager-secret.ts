import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from './aws/secrets-manager.ts';

/**
 * A secret kept in Secrets Manager whose ARN a function is given in `variable` (e.g. the bank's
 * callback HMAC secret in BANK_CALLBACK_SECRET_ARN). Fetched when first needed and kept for the
 * life of the instance, so a request costs no Secrets Manager call after the first. A failed fetch
 * is not kept: the next request tries again. Its SDK error is passed on as is, so a network
 * failure, throttling or a 5xx is classified by isDependencyOutage (503), while a wrong ARN or a
 * missing permission stays a 500 — a wiring defect, not an outage.
 */
export function secretFromEnv(variable: string, client: SecretsManagerClient = secretsManagerClient()): () => Promise<string> {
  const secretId = process.env[variable];
  // Missing configuration fails the cold start with its name, as loadConfig does.
  if (!secretId) throw new Error(`missing or invalid configuration: ${variable}`);
  let cached: Promise<string> | undefined;
  const fetchSecret = async (): Promise<string> => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!out.SecretString) throw new Error(`secret ${secretId} (${variable}) has no SecretString`);
    return out.SecretString;
  };
  return () => {
    cached ??= fetchSecret().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
