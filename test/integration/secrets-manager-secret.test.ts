import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/servers/net.ts';
import { startSecretsLocal, type SecretsLocal } from '../../infra/local/servers/secrets-local.ts';
import { secretFromEnv } from '../../shared/adapters/secrets-manager-secret.ts';
import { isDependencyOutage } from '../../shared/errors.ts';

/**
 * The Secrets Manager adapter against the local server through the default client, configured only
 * by the environment the local cloud gives the functions (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */
describe('secretFromEnv against the local Secrets Manager', () => {
  let server: SecretsLocal;
  let arn: string;

  beforeAll(async () => {
    server = await startSecretsLocal({});
    arn = server.createSecret({ name: 'Service-BankCallbackSecret', generate: { PasswordLength: 64, ExcludePunctuation: true } }).ARN;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      BANK_CALLBACK_SECRET_ARN: arn,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads the value the server generated, by the ARN in the variable', async () => {
    const secret = await secretFromEnv('BANK_CALLBACK_SECRET_ARN')();
    expect(secret).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(secret).toBe(server.secretValue(arn));
  });

  it('an unknown ARN is a ResourceNotFoundException, not an outage', async () => {
    process.env.OTHER_SECRET_ARN = `${arn}-gone`;
    const error = await secretFromEnv('OTHER_SECRET_ARN')().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(isDependencyOutage(error)).toBe(false);
  });

  it('a Secrets Manager that cannot be reached is an outage', async () => {
    const secret = secretFromEnv('BANK_CALLBACK_SECRET_ARN');
    await server.stop();
    const error = await secret().catch((e: unknown) => e);
    expect(isDependencyOutage(error)).toBe(true);
  });
});
