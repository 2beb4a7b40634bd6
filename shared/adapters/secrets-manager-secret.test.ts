import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { isDependencyOutage } from '../errors.ts';
import { secretFromEnv } from './secrets-manager-secret.ts';

const ARN = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:bank-callback-a1b2c3';

/** A client whose answers are scripted per call; it records the SecretIds asked for. */
function scriptedClient(answers: Array<() => Promise<object>>) {
  const asked: string[] = [];
  const client = {
    send: async (command: GetSecretValueCommand) => {
      expect(command).toBeInstanceOf(GetSecretValueCommand);
      asked.push(String(command.input.SecretId));
      const answer = answers.shift();
      if (!answer) throw new Error('no more scripted answers');
      return answer();
    },
  } as unknown as SecretsManagerClient;
  return { client, asked };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4510'), { code: 'ECONNREFUSED' });

describe('secretFromEnv', () => {
  afterEach(() => {
    delete process.env.TEST_SECRET_ARN;
  });

  it('fetches the secret named by the variable once, however many callers, concurrent or not', async () => {
    process.env.TEST_SECRET_ARN = ARN;
    const { client, asked } = scriptedClient([async () => ({ SecretString: 's3cr3t' })]);
    const secret = secretFromEnv('TEST_SECRET_ARN', client);
    expect(await Promise.all([secret(), secret()])).toEqual(['s3cr3t', 's3cr3t']);
    expect(await secret()).toBe('s3cr3t');
    expect(asked).toEqual([ARN]);
  });

  it('does not keep a failed fetch: the outage surfaces as one, and the next call tries again', async () => {
    process.env.TEST_SECRET_ARN = ARN;
    const { client, asked } = scriptedClient([async () => Promise.reject(refused()), async () => ({ SecretString: 'later' })]);
    const secret = secretFromEnv('TEST_SECRET_ARN', client);
    const error = await secret().catch((e: unknown) => e);
    expect(isDependencyOutage(error)).toBe(true);
    expect(await secret()).toBe('later');
    expect(asked).toEqual([ARN, ARN]);
  });

  it('refuses a missing variable at cold start, and a secret without a string is a defect, not an outage', async () => {
    expect(() => secretFromEnv('TEST_SECRET_ARN', scriptedClient([]).client)).toThrow('missing or invalid configuration: TEST_SECRET_ARN');
    process.env.TEST_SECRET_ARN = ARN;
    const secret = secretFromEnv('TEST_SECRET_ARN', scriptedClient([async () => ({ SecretBinary: new Uint8Array([1]) })]).client);
    const error = await secret().catch((e: unknown) => e);
    expect(String(error)).toContain('has no SecretString');
    expect(isDependencyOutage(error)).toBe(false);
  });
});
