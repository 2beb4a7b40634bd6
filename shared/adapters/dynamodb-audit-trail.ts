import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChainHead } from '../audit-chain.ts';
import { auditEntryOf, auditHeadKey } from './audit-keys.ts';

/** Reads one chain of the audit table as stored, for offline verification (`npm run audit:verify`). */
export class DynamoDbAuditTrail {
  #db: DynamoDBDocumentClient;
  #table: string;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  /** The chain's entries in seq order, and its head (undefined if it has none). */
  async chain(chain: string): Promise<{ entries: Record<string, unknown>[]; head: ChainHead | undefined }> {
    const entries: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': chain },
          ExclusiveStartKey: start,
        }),
      );
      entries.push(...(out.Items ?? []).map(auditEntryOf));
      start = out.LastEvaluatedKey;
    } while (start);
    const head = (await this.#db.send(new GetCommand({ TableName: this.#table, Key: auditHeadKey(chain), ConsistentRead: true }))).Item;
    return { entries, head: head ? { seq: Number(head.seq), hash: String(head.hash) } : undefined };
  }
}
