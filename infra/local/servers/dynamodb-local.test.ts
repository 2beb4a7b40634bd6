import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  TransactionCanceledException,
  ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { closeServer, listen, LOCAL_CREDENTIALS, LOCAL_REGION, PortInUseError, type LocalServer } from './net.ts';

function clients(endpoint: string) {
  const raw = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  return { raw, doc: DynamoDBDocumentClient.from(raw) };
}

async function createCasesTable(raw: DynamoDBClient): Promise<void> {
  await raw.send(
    new CreateTableCommand({
      TableName: 'cases',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'agency', AttributeType: 'S' },
        { AttributeName: 'dueAt', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byAgency',
          KeySchema: [
            { AttributeName: 'agency', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
}

describe('DynamoDB Local (in memory)', () => {
  let server: LocalServer;
  let raw: DynamoDBClient;
  let doc: DynamoDBDocumentClient;

  beforeAll(async () => {
    server = await startDynamoDbLocal();
    ({ raw, doc } = clients(server.endpoint));
    await createCasesTable(raw);
  });
  afterAll(async () => {
    raw?.destroy();
    await server?.stop();
  });

  it('rejects a conditional put on an existing item', async () => {
    await doc.send(new PutCommand({ TableName: 'cases', Item: { pk: 'case-1', agency: 'land', dueAt: '2026-01-02', version: 1 } }));
    const again = doc.send(
      new PutCommand({
        TableName: 'cases',
        Item: { pk: 'case-1', agency: 'land', dueAt: '2026-01-02', version: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await expect(again).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('cancels a transaction whose condition fails and reports why, writing nothing', async () => {
    const transaction = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'cases', Item: { pk: 'case-2', agency: 'land', dueAt: '2026-01-01' } } },
          {
            Update: {
              TableName: 'cases',
              Key: { pk: 'case-1' },
              UpdateExpression: 'SET version = :next',
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':next': 3, ':expected': 2 },
            },
          },
        ],
      }),
    );
    const error = await transaction.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code);
    expect(reasons).toEqual(['None', 'ConditionalCheckFailed']);
    const notWritten = await doc.send(new GetCommand({ TableName: 'cases', Key: { pk: 'case-2' } }));
    expect(notWritten.Item).toBeUndefined();
  });

  it('queries a GSI in sort-key order', async () => {
    await doc.send(new PutCommand({ TableName: 'cases', Item: { pk: 'case-3', agency: 'land', dueAt: '2026-01-01' } }));
    await doc.send(new PutCommand({ TableName: 'cases', Item: { pk: 'case-4', agency: 'police', dueAt: '2026-01-01' } }));
    const result = await doc.send(
      new QueryCommand({
        TableName: 'cases',
        IndexName: 'byAgency',
        KeyConditionExpression: 'agency = :a',
        ExpressionAttributeValues: { ':a': 'land' },
      }),
    );
    expect(result.Items?.map((item) => item.pk)).toEqual(['case-3', 'case-1']);
  });
});

describe('DynamoDB Local start errors', () => {
  it('refuses an explicit port that is taken instead of talking to whoever holds it', async () => {
    const holder = createServer();
    const endpoint = await listen(holder);
    try {
      await expect(startDynamoDbLocal({ port: Number(new URL(endpoint).port) })).rejects.toBeInstanceOf(PortInUseError);
    } finally {
      await closeServer(holder);
    }
  });
});

describe('DynamoDB Local with dbPath', () => {
  const dbPath = mkdtempSync(join(tmpdir(), 'ddb-local-test-'));
  afterAll(() => rmSync(dbPath, { recursive: true, force: true }));

  it('keeps tables and items across a restart', async () => {
    const first = await startDynamoDbLocal({ dbPath });
    const a = clients(first.endpoint);
    try {
      await createCasesTable(a.raw);
      await a.doc.send(new PutCommand({ TableName: 'cases', Item: { pk: 'kept', agency: 'land', dueAt: '2026-03-01' } }));
    } finally {
      a.raw.destroy();
      await first.stop();
    }

    const second = await startDynamoDbLocal({ dbPath });
    const b = clients(second.endpoint);
    try {
      const result = await b.doc.send(new GetCommand({ TableName: 'cases', Key: { pk: 'kept' } }));
      expect(result.Item).toEqual({ pk: 'kept', agency: 'land', dueAt: '2026-03-01' });
    } finally {
      b.raw.destroy();
      await second.stop();
    }
  }, 120_000); // two JVM starts
});

describe('DynamoDB Local temp files', () => {
  it('keeps the JVM temp files (its native SQLite library) in a folder it removes on stop', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ddb-local-tmp-'));
    try {
      const server = await startDynamoDbLocal({ tmpDir: parent });
      const during = readdirSync(parent);
      expect(during).toEqual([expect.stringMatching(/^dynamodb-local-run-\d+-/)]);
      await server.stop();
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 60_000);
});
