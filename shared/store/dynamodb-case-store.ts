import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../audit.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { nextVersion, type CaseStore, type Item, type Put } from './case-store.ts';

/** Name of the sparse cross-case index on the cases table. */
export const CASES_INDEX = 'gsi1';

/** CaseStore on two DynamoDB tables: cases (single-table design) and the append-only audit trail. */
export class DynamoDbCaseStore implements CaseStore {
  #db: DynamoDBDocumentClient;
  #tables: { cases: string; audit: string };

  constructor(db: DynamoDBDocumentClient, tables: { cases: string; audit: string }) {
    this.#db = db;
    this.#tables = tables;
  }

  async get(pk: string, sk: string): Promise<Item | undefined> {
    const out = await this.#db.send(new GetCommand({ TableName: this.#tables.cases, Key: { pk, sk }, ConsistentRead: true }));
    return out.Item as Item | undefined;
  }

  async query(pk: string, skPrefix?: string): Promise<Item[]> {
    return this.#queryAll({
      TableName: this.#tables.cases,
      ConsistentRead: true,
      KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: skPrefix ? { ':pk': pk, ':prefix': skPrefix } : { ':pk': pk },
    });
  }

  async page(pk: string, skPrefix: string, options: { limit: number; cursor?: string | undefined }) {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#tables.cases,
        ConsistentRead: true,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        Limit: options.limit,
        ...(options.cursor ? { ExclusiveStartKey: { pk, sk: skFromCursor(options.cursor, skPrefix) } } : {}),
      }),
    );
    const last = out.LastEvaluatedKey?.sk;
    return { items: (out.Items ?? []) as Item[], ...(typeof last === 'string' ? { cursor: Buffer.from(last).toString('base64url') } : {}) };
  }

  async queryIndex(gsi1pk: string, options: { untilSk?: string; limit?: number } = {}): Promise<Item[]> {
    const until = options.untilSk;
    return this.#queryAll(
      {
        TableName: this.#tables.cases,
        IndexName: CASES_INDEX,
        KeyConditionExpression: until ? 'gsi1pk = :pk AND gsi1sk <= :until' : 'gsi1pk = :pk',
        ExpressionAttributeValues: until ? { ':pk': gsi1pk, ':until': until } : { ':pk': gsi1pk },
      },
      options.limit,
    );
  }

  async pageIndex(gsi1pk: string, options: { limit: number; cursor?: string | undefined }) {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#tables.cases,
        IndexName: CASES_INDEX,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi1pk },
        ScanIndexForward: false,
        Limit: options.limit,
        ...(options.cursor ? { ExclusiveStartKey: indexKeyFromCursor(options.cursor, gsi1pk) } : {}),
      }),
    );
    return {
      items: (out.Items ?? []) as Item[],
      ...(out.LastEvaluatedKey ? { cursor: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') } : {}),
    };
  }

  async commit(puts: readonly Put[], audit: readonly AuditRecord[]): Promise<void> {
    const items = [
      ...puts.map((put) => ({ Put: this.#guardedPut(put) })),
      ...audit.map((record, i) => ({ Put: this.#auditPut(record, i) })),
    ];
    try {
      await this.#db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const failed = error.CancellationReasons?.findIndex((r) => r.Code === 'ConditionalCheckFailed') ?? -1;
        const put = failed >= 0 ? puts[failed] : undefined;
        if (put) throw put.onConflict ?? concurrentChange();
        if (error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')) throw concurrentChange();
      }
      throw error;
    }
  }

  async appendAudit(audit: readonly AuditRecord[]): Promise<void> {
    for (const [i, record] of audit.entries()) await this.#db.send(new PutCommand(this.#auditPut(record, i)));
  }

  #guardedPut(put: Put) {
    const item = { ...put.item, version: nextVersion(put.expect) };
    return 'absent' in put.expect
      ? { TableName: this.#tables.cases, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          TableName: this.#tables.cases,
          Item: item,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': put.expect.version },
        };
  }

  #auditPut(record: AuditRecord, index: number) {
    return {
      TableName: this.#tables.audit,
      Item: {
        pk: `${record.target.type}#${record.target.id}`,
        sk: `${record.at}#${record.requestId}#${index}`,
        gsi1pk: `AGENCY#${record.actor.agency}`,
        gsi1sk: record.at,
        ...record,
      },
      // Append-only: an audit entry is written once and never replaced.
      ConditionExpression: 'attribute_not_exists(pk)',
    };
  }

  async #queryAll(input: ConstructorParameters<typeof QueryCommand>[0], limit = Infinity): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...((out.Items ?? []) as Item[]));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items.slice(0, limit);
  }
}

/** A cursor is the caller's input: one that does not continue this very query is a 400, not a 500. */
function skFromCursor(cursor: string, skPrefix: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString();
  if (!sk.startsWith(skPrefix)) throw badCursor();
  return sk;
}

function indexKeyFromCursor(cursor: string, gsi1pk: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  const k = key as Record<string, unknown>;
  const fields = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
  if (typeof key !== 'object' || key === null || Object.keys(k).sort().join() !== [...fields].sort().join() || fields.some((f) => typeof k[f] !== 'string') || k.gsi1pk !== gsi1pk) {
    throw badCursor();
  }
  return k as Record<string, string>;
}

const badCursor = () => new ValidationError('request.cursor', '分页游标无效');

function concurrentChange(): ConflictError {
  return new ConflictError('conflict.concurrent-change', '数据已被他人修改，请刷新后重试');
}
