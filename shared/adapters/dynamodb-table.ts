import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../audit.ts';
import { chainOf, GENESIS, linkAudit, type ChainHead } from '../audit-chain.ts';
import { auditEntryItem, auditHeadKey } from './audit-keys.ts';
import { ConflictError } from '../errors.ts';
import { documentClient } from './aws/dynamodb.ts';
import { loadConfig } from '../config.ts';
import { badCursor, NO_PAGING, type CursorSealer } from './cursor.ts';
import { nextVersion, type Increment, type Item, type Put, type Table, type TableWrite } from './table.ts';

/** Name of the sparse cross-case index on the cases table. */
export const CASES_INDEX = 'gsi1';

/** The Table port on two DynamoDB tables: cases (single-table design) and the append-only audit trail. */
export class DynamoDbTable implements Table {
  #db: DynamoDBDocumentClient;
  #tables: { cases: string; audit: string };
  #cursors: CursorSealer;

  constructor(db: DynamoDBDocumentClient, tables: { cases: string; audit: string }, cursors: CursorSealer) {
    this.#db = db;
    this.#tables = tables;
    this.#cursors = cursors;
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

  async page(pk: string, skPrefix: string, options: { limit: number; cursor?: string | undefined; backward?: boolean }) {
    const scope = `page\u0000${pk}\u0000${skPrefix}${options.backward ? '\u0000backward' : ''}`;
    const start = options.cursor ? await this.#cursors.open(options.cursor, scope) : undefined;
    if (start && (start.pk !== pk || !start.sk?.startsWith(skPrefix) || Object.keys(start).length !== 2)) throw badCursor();
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#tables.cases,
        ConsistentRead: true,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ScanIndexForward: !options.backward,
        Limit: options.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const last = out.LastEvaluatedKey;
    return { items: (out.Items ?? []) as Item[], ...(last ? { cursor: await this.#cursors.seal(last as Record<string, string>, scope) } : {}) };
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

  async pageIndex(gsi1pk: string, options: { limit: number; cursor?: string | undefined; forward?: boolean; skPrefix?: string | undefined }) {
    // A cursor continues one direction and one prefix only: the scope it is signed for says which.
    const scope = `index\u0000${gsi1pk}${options.forward ? '\u0000forward' : ''}${options.skPrefix ? `\u0000${options.skPrefix}` : ''}`;
    const start = options.cursor ? await this.#cursors.open(options.cursor, scope) : undefined;
    if (start && (start.gsi1pk !== gsi1pk || !start.gsi1sk || !start.pk || !start.sk || Object.keys(start).length !== 4)) throw badCursor();
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#tables.cases,
        IndexName: CASES_INDEX,
        ...(options.skPrefix
          ? { KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)', ExpressionAttributeValues: { ':pk': gsi1pk, ':prefix': options.skPrefix } }
          : { KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': gsi1pk } }),
        ScanIndexForward: options.forward ?? false,
        Limit: options.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const last = out.LastEvaluatedKey;
    return { items: (out.Items ?? []) as Item[], ...(last ? { cursor: await this.#cursors.seal(last as Record<string, string>, scope) } : {}) };
  }

  async commit(writes: readonly TableWrite[], audit: readonly AuditRecord[]): Promise<void> {
    // A transaction may touch an item once: increments of one record (several counters of a case)
    // become one update.
    const increments = new Map<string, Increment[]>();
    for (const write of writes) if (write.op === 'increment') increments.set(`${write.key.pk}\u0000${write.key.sk}`, [...(increments.get(`${write.key.pk}\u0000${write.key.sk}`) ?? []), write]);
    const puts = writes.filter((write): write is Put => write.op === 'put');
    const changes = [...puts.map((write) => ({ Put: this.#guardedPut(write) })), ...[...increments.values()].map((same) => ({ Update: this.#increment(same) }))];
    // What each transaction item was made from, to name the write whose condition failed.
    const sources: TableWrite[][] = [...puts.map((write) => [write]), ...increments.values()];
    let conflicts = 0;
    let advanced = 0;
    for (;;) {
      // The chain heads are read afresh on every attempt: the entries link to where the chains stand now.
      const linked = linkAudit(audit, await this.#auditHeads(audit));
      const items = [
        ...changes,
        ...linked.entries.map((entry) => ({ Put: { TableName: this.#tables.audit, Item: auditEntryItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } })),
        ...[...linked.heads].map(([chain, { from, to }]) => ({ Put: this.#headPut(chain, from, to) })),
      ];
      if (items.length === 0) return;
      try {
        // One token per attempt: should the SDK resend an attempt that did commit (its answer was
        // lost), DynamoDB answers success instead of failing the entries' conditions, which this
        // loop would read as a moved head and append the records a second time.
        await this.#db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
        const failedWrites = failed.flatMap((i) => sources[i] ?? []);
        if (failedWrites.length > 0) throw failedWrites.find((w) => w.onConflict)?.onConflict ?? concurrentChange();
        if (failed.length > 0) {
          // Only an audit entry or a chain head failed its condition: another writer advanced the
          // chain since we read its head. Nothing was written and every write's own condition is
          // checked again on the next attempt, so linking to the new head and trying again is safe.
          if (++advanced >= CHAIN_ADVANCED_ATTEMPTS) throw concurrentChange();
        } else if (reasons.some((r) => r.Code === 'TransactionConflict')) {
          // Another transaction touched one of these items (e.g. a case counter) at the same moment.
          // Nothing was written, and every condition is checked again: trying again is safe.
          if (++conflicts >= TRANSACTION_CONFLICT_ATTEMPTS) throw concurrentChange();
        } else {
          throw error;
        }
        const attempt = conflicts + advanced;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40 * attempt));
      }
    }
  }

  /** Audit records alone are chained too: one transaction of the entries and their heads. */
  async appendAudit(audit: readonly AuditRecord[]): Promise<void> {
    await this.commit([], audit);
  }

  /** Where each chain the records go to stands (absent: a chain not started yet). */
  async #auditHeads(audit: readonly AuditRecord[]): Promise<Map<string, ChainHead>> {
    const chains = [...new Set(audit.map(chainOf))];
    const heads = await Promise.all(
      chains.map(async (chain) => {
        const out = await this.#db.send(new GetCommand({ TableName: this.#tables.audit, Key: auditHeadKey(chain), ConsistentRead: true }));
        const head = out.Item as { seq?: unknown; hash?: unknown } | undefined;
        return [chain, head ? { seq: Number(head.seq), hash: String(head.hash) } : GENESIS] as const;
      }),
    );
    return new Map(heads);
  }

  /**
   * Advances a chain head only from where it was read. A put, not an update: the table's resource
   * policy denies UpdateItem to everyone; the condition makes concurrent writers take turns.
   */
  #headPut(chain: string, from: ChainHead, to: ChainHead) {
    return {
      TableName: this.#tables.audit,
      Item: { ...auditHeadKey(chain), chain, seq: to.seq, hash: to.hash },
      ...(from.seq === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#seq = :seq AND #hash = :hash',
            ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' },
            ExpressionAttributeValues: { ':seq': from.seq, ':hash': from.hash },
          }),
    };
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

  /**
   * Increments of one record, in one update: ADD each counter, create the record's fixed attributes
   * once, and check every `atLeast` against the record as it stands (absent: it holds nothing).
   */
  #increment(writes: readonly Increment[]) {
    const init = Object.entries(Object.assign({}, ...writes.map((w) => w.init ?? {})) as Record<string, unknown>);
    const adds = writes.map((_, i) => `#n${i} :by${i}`).join(', ');
    const guards = writes.flatMap((w, i) => (w.atLeast === undefined ? [] : [`#n${i} >= :min${i}`]));
    return {
      TableName: this.#tables.cases,
      Key: writes[0]!.key,
      UpdateExpression: `ADD ${adds}${init.length ? ` SET ${init.map((_, i) => `#i${i} = if_not_exists(#i${i}, :i${i})`).join(', ')}` : ''}`,
      ...(guards.length ? { ConditionExpression: guards.join(' AND ') } : {}),
      ExpressionAttributeNames: { ...Object.fromEntries(writes.map((w, i) => [`#n${i}`, w.attribute])), ...Object.fromEntries(init.map(([name], i) => [`#i${i}`, name])) },
      ExpressionAttributeValues: {
        ...Object.fromEntries(writes.map((w, i) => [`:by${i}`, w.by])),
        ...Object.fromEntries(writes.flatMap((w, i) => (w.atLeast === undefined ? [] : [[`:min${i}`, w.atLeast]]))),
        ...Object.fromEntries(init.map(([, value], i) => [`:i${i}`, value])),
      },
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

const TRANSACTION_CONFLICT_ATTEMPTS = 5;
/** Writers of one case take turns at its chain head; each turn lost costs one attempt. */
const CHAIN_ADVANCED_ATTEMPTS = 12;

function concurrentChange(): ConflictError {
  return new ConflictError('conflict.concurrent-change', '数据已被他人修改，请刷新后重试');
}

/** The cases + audit tables of this function's configuration. */
export function casesTableFromEnv(cursors: CursorSealer = NO_PAGING): DynamoDbTable {
  const config = loadConfig('CASES_TABLE', 'AUDIT_TABLE');
  return new DynamoDbTable(documentClient(), { cases: config.CASES_TABLE, audit: config.AUDIT_TABLE }, cursors);
}
