import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The Secrets Manager client (endpoint from `AWS_ENDPOINT_URL_SECRETS_MANAGER` when set, as in the local cloud). */
export const secretsManagerClient = (): SecretsManagerClient => new SecretsManagerClient({});
