import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { HmacCursorSealer } from '../../shared/adapters/cursor.ts';
import { DynamoDbTable } from '../../shared/adapters/dynamodb-table.ts';
import type { AuditRecord } from '../../shared/audit.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/servers/net.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const table = `auditcli${Math.random().toString(36).slice(2, 7)}-audit`;

/** `npm run -s audit:verify` as an operator runs it: endpoint, region and credentials from the standard AWS settings. */
function verify(...args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'scripts/audit-verify.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      TMPDIR: process.env.TMPDIR,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AUDIT_TABLE: table,
    },
  });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

const entry = (n: number, projectId: string): AuditRecord => ({
  at: `2026-09-01T00:00:0${n}.000Z`,
  requestId: `req-${n}`,
  actor: { user: 'u', agency: 'land-bureau', jurisdiction: 'yongzhou' },
  action: 'notice.draft',
  target: { type: 'notice', id: projectId, projectId },
});

describe('scripts/audit-verify.ts against DynamoDB Local', () => {
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    const client = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    for (const name of [table, `${table}-cases`]) {
      await client.send(new CreateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: ['pk', 'sk'].map((n) => ({ AttributeName: n, AttributeType: 'S' as const })) }));
    }
    db = DynamoDBDocumentClient.from(client);
    const store = new DynamoDbTable(db, { cases: `${table}-cases`, audit: table }, new HmacCursorSealer(Buffer.from('s')));
    for (const projectId of ['P-ok', 'P-cut']) {
      await store.appendAudit([entry(1, projectId), entry(2, projectId)]);
      await store.appendAudit([entry(3, projectId)]);
    }
  });

  it('prints OK with the entry count and head hash for an intact chain', () => {
    const r = verify('--case', 'P-ok');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^OK project#P-ok entries=3 head=[0-9a-f]{64}$/);
    expect(r.status).toBe(0);
  });

  it('names the first broken link and exits 1 when an entry was deleted', async () => {
    await db.send(new DeleteCommand({ TableName: table, Key: { pk: 'project#P-cut', sk: 'SEQ#000000000002' } }));
    const r = verify('--case', 'P-cut');
    expect(r.stdout).toBe('BROKEN project#P-cut at entry 2: entry 2 is missing (next is 3)');
    expect(r.status).toBe(1);
  });

  it('exits 1 for a case with no chain, and 2 for a usage error', () => {
    expect(verify('--case', 'P-none')).toMatchObject({ status: 1, stdout: 'BROKEN project#P-none at entry 0: no such chain' });
    expect(verify()).toMatchObject({ status: 2, stderr: expect.stringMatching(/^usage:/) });
  });
});
