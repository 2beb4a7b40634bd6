import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DynamoDbMeter, FunctionMeter, itemSize, meterHttpServers, s3Kind } from './metering.ts';
import { closeServer, listen } from './servers/net.ts';
import type { TableSpec } from './template.ts';

const TABLE: TableSpec = {
  name: 'Cases',
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [],
  globalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
};
const s = (text: string) => ({ S: text });

describe('FunctionMeter', () => {
  it('bills each invocation its wall time rounded up to the millisecond, and shares time spent together equally', () => {
    let now = 0;
    const meter = new FunctionMeter(() => now);
    const api = { name: 'api', memoryMb: 512 };
    const worker = { name: 'worker', memoryMb: 1769 };
    // api alone 0–10, api and worker together 10–30, worker alone 30–35.
    const apiEnded = meter.begin(api);
    now = 10;
    const workerEnded = meter.begin(worker);
    now = 30;
    apiEnded();
    now = 35;
    workerEnded();
    now = 35.2;
    meter.begin(api)();
    expect(meter.usage()).toEqual({
      api: { invocations: 2, billedMs: 30 + 1, sharedBilledMs: 10 + 20 / 2 + 1, memoryMb: 512 },
      worker: { invocations: 1, billedMs: 25, sharedBilledMs: 20 / 2 + 5, memoryMb: 1769 },
    });
  });
});

describe('DynamoDbMeter', () => {
  it('sizes items as DynamoDB does: names plus values', () => {
    // 'pk' 2 + 'a' 1, 'n' 1 + 2 digits → 2 bytes, 'ok' 2 + 1, 'l' 1 + 3 + (1 + 1) + (1 + 1)
    expect(itemSize({ pk: s('a'), n: { N: '12' }, ok: { BOOL: true }, l: { L: [s('x'), { NULL: true }] } })).toBe(3 + 3 + 3 + 8);
    expect(itemSize({ t: s('补偿') })).toBe(1 + 6);
  });

  it('prices writes per KB (twice in a transaction), a GSI once more, and a failed condition as consumed', () => {
    const meter = new DynamoDbMeter([TABLE]);
    const big = { pk: s('p'), sk: s('1'), body: s('x'.repeat(1500)) };
    meter.record('PutItem', { TableName: 'Cases', Item: big }, {});
    expect(meter.usage()).toMatchObject({ writeRequestUnits: 2, itemsWritten: 1 });
    // The update is priced at the item's last seen size, and names the GSI's key: + the index write.
    meter.record('UpdateItem', { TableName: 'Cases', Key: { pk: s('p'), sk: s('1') }, UpdateExpression: 'SET #g = :g', ExpressionAttributeNames: { '#g': 'gsi1pk' } }, {});
    expect(meter.usage().writeRequestUnits).toBe(2 + 4);
    meter.record('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'Cases', Item: { pk: s('q'), sk: s('1') } } }, { ConditionCheck: { TableName: 'Cases', Key: { pk: s('r'), sk: s('1') } } }] }, {});
    expect(meter.usage().writeRequestUnits).toBe(6 + 2 + 2);
    meter.record('PutItem', { TableName: 'Cases', Item: { pk: s('z'), sk: s('1') } }, { __type: 'x#ConditionalCheckFailedException' }, 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException');
    meter.record('PutItem', { TableName: 'Cases', Item: {} }, {}, 'com.amazon.coral.validate#ValidationException');
    expect(meter.usage()).toMatchObject({ writeRequestUnits: 11, itemsWritten: 4, requests: { PutItem: 3, UpdateItem: 1, TransactWriteItems: 1 } });
  });

  it('prices reads per 4 KB, halved unless consistent, a Query page on its summed size, a miss at the minimum', () => {
    const meter = new DynamoDbMeter([TABLE]);
    const item = (i: number) => ({ pk: s('p'), sk: s(String(i)), body: s('x'.repeat(1000)) });
    meter.record('GetItem', { TableName: 'Cases', Key: {} }, {});
    meter.record('GetItem', { TableName: 'Cases', Key: {}, ConsistentRead: true }, { Item: item(0) });
    expect(meter.usage()).toMatchObject({ readRequestUnits: 0.5 + 1, itemsRead: 1 });
    // 5 items of ~1 KB: 2 × 4 KB, eventually consistent.
    meter.record('Query', { TableName: 'Cases' }, { Items: [1, 2, 3, 4, 5].map(item), Count: 5, ScannedCount: 5 });
    expect(meter.usage()).toMatchObject({ readRequestUnits: 1.5 + 1, itemsRead: 6 });
    // A filter kept 1 of 10 evaluated items: priced on ten.
    meter.record('Query', { TableName: 'Cases', ConsistentRead: true }, { Items: [item(6)], Count: 1, ScannedCount: 10 });
    expect(meter.usage().readRequestUnits).toBe(2.5 + 3);
  });
});

describe('request counting through the HTTP diagnostics channel', () => {
  it('classifies S3 requests and counts KMS actions by the server they reach', async () => {
    const answer = createServer((_req, res) => res.end('ok'));
    const other = createServer((_req, res) => res.end('ok'));
    const s3 = await listen(answer);
    const elsewhere = await listen(other);
    const kmsServer = createServer((_req, res) => res.end('{}'));
    const kms = await listen(kmsServer);
    const meter = meterHttpServers({ s3, kms });
    try {
      await fetch(`${s3}/bucket/key`, { method: 'PUT', body: 'x' });
      await fetch(`${s3}/bucket/key`);
      await fetch(`${s3}/bucket/key`, { method: 'HEAD' });
      await fetch(`${s3}/bucket?list-type=2`);
      await fetch(`${kms}/`, { method: 'POST', headers: { 'x-amz-target': 'TrentService.Encrypt' }, body: '{}' });
      await fetch(`${elsewhere}/bucket/key`);
      expect(meter.usage()).toEqual({ s3: { PUT: 1, GET: 1, HEAD: 1, LIST: 1 }, kms: { Encrypt: 1 } });
    } finally {
      meter.dispose();
      await Promise.all([closeServer(answer), closeServer(other), closeServer(kmsServer)]);
    }
    expect(s3Kind({ method: 'PUT', url: '/b/k', headers: { 'x-amz-copy-source': '/b/j' } })).toBe('COPY');
  });
});
