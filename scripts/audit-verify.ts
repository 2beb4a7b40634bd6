/**
 * Verifies one case's audit chain (decision 0012), offline: reads its entries and head from the
 * audit table and checks every link and hash.
 *
 *   npm run -s audit:verify -- --case <projectId> [--table <audit table>]
 *   npm run -s audit:verify -- --chain <chain> …     (a chain of no project, e.g. "inbox#land-bureau")
 *
 * The table is --table, else AUDIT_TABLE, else the one table whose name contains "Audit". The
 * endpoint, region and credentials are the AWS SDK's standard settings (AWS_REGION, AWS_PROFILE,
 * AWS_ENDPOINT_URL_DYNAMODB for the local cloud's DynamoDB at PORT+1). Prints
 * `OK <chain> entries=<n> head=<hash>` and exits 0, or `BROKEN <chain> at entry <seq>: <why>` and
 * exits 1; 2 for a usage or access error.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseArgs } from 'node:util';
import { projectChain, verifyChain, type ChainVerdict } from '../shared/audit-chain.ts';
import { DynamoDbAuditTrail } from '../shared/adapters/dynamodb-audit-trail.ts';

export function describeVerdict(verdict: ChainVerdict): string {
  return verdict.ok
    ? `OK ${verdict.chain} entries=${verdict.count} head=${verdict.head.hash}`
    : `BROKEN ${verdict.chain} at entry ${verdict.seq}: ${verdict.reason}`;
}

async function auditTable(client: DynamoDBClient, given: string | undefined): Promise<string> {
  if (given) return given;
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(out.TableNames ?? []));
    start = out.LastEvaluatedTableName;
  } while (start);
  const audit = names.filter((name) => name.includes('Audit'));
  if (audit.length !== 1) throw new Error(`cannot tell the audit table (${audit.length ? audit.join(', ') : 'none found'}): give --table or AUDIT_TABLE`);
  return audit[0]!;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { case: { type: 'string' }, chain: { type: 'string' }, table: { type: 'string' } } });
  if (Boolean(values.case) === Boolean(values.chain)) {
    console.error('usage: npm run -s audit:verify -- --case <projectId> | --chain <chain> [--table <audit table>]');
    return 2;
  }
  const chain = values.case ? projectChain(values.case) : values.chain!;
  const client = new DynamoDBClient({});
  try {
    const table = await auditTable(client, values.table ?? process.env.AUDIT_TABLE);
    const { entries, head } = await new DynamoDbAuditTrail(DynamoDBDocumentClient.from(client), table).chain(chain);
    const verdict = verifyChain(chain, entries, head);
    console.log(describeVerdict(verdict));
    return verdict.ok ? 0 : 1;
  } catch (error) {
    console.error(`audit:verify: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    client.destroy();
  }
}

if (import.meta.main) process.exitCode = await main();
