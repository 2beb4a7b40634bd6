/**
 * Does a write acknowledged by the local cloud survive the end of `npm start`?
 *
 *   node scripts/durability-check.ts [--runs 6] [--signal KILL|INT|TERM] [--port 4100]
 *
 * Each run starts the local cloud as a process group of its own (fresh data dir and port), creates
 * a project (201), immediately sends the signal to the whole group (KILL = `kill -9`, INT = Ctrl-C
 * in a terminal), starts it again on the same data and reads the project and its audit record
 * back. Prints one line per run and a summary; exits 1 if any acknowledged write was lost.
 */
import { DynamoDBClient, ListTablesCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../infra/local/servers/net.ts';
import { REPO } from '../infra/local/synth.ts';
import { localToken, spawnLocalCloud } from '../test/support/local-process.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '6' },
    signal: { type: 'string', default: 'KILL' },
    port: { type: 'string', default: '4100' },
  },
});
const runs = Number(values.runs);
const signal = `SIG${values.signal.toUpperCase().replace(/^SIG/, '')}` as NodeJS.Signals;
const port = Number(values.port);

export interface RunResult {
  projectKept: boolean;
  auditKept: boolean;
  exit: string;
}

/** One write → signal → restart → read back. */
export async function durabilityRun(port: number, dataDir: string, signal: NodeJS.Signals): Promise<RunResult> {
  const first = await spawnLocalCloud({ port, dataDir, args: ['--fresh', '--clock', '2026-09-01T09:00:00+08:00'] });
  let projectId: string;
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    const token = await localToken(first.apiUrl, 'district-government', 'yongzhou/lengshuitan');
    const created = await fetch(`${first.apiUrl}/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '持久性检查', district: 'yongzhou/lengshuitan', villageGroups: [{ name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' }] }),
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    projectId = ((await created.json()) as { id: string }).id;
  } finally {
    // The signal follows the acknowledgement at once: the last write is the one at risk.
    exit = await first.signalGroup(signal);
  }

  const second = await spawnLocalCloud({ port, dataDir });
  try {
    const token = await localToken(second.apiUrl, 'district-government', 'yongzhou/lengshuitan');
    const read = await fetch(`${second.apiUrl}/projects/${projectId}`, { headers: { authorization: `Bearer ${token}` } });
    const projectKept = read.status === 200;
    // The audit table is read directly: an API read would itself append audit records.
    const dynamodb = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port + 1}`, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const tables = (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
    const audit = tables.find((name) => /audit/i.test(name));
    const records = audit
      ? await dynamodb.send(new QueryCommand({ TableName: audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `project#${projectId}` } } }))
      : undefined;
    dynamodb.destroy();
    const auditKept = (records?.Items ?? []).some((item) => item.action?.S === 'project.create' || JSON.stringify(item).includes('project.create'));
    return { projectKept, auditKept, exit: exit.signal ?? `code ${exit.code}` };
  } finally {
    await second.signalGroup('SIGTERM');
  }
}

if (import.meta.main) {
  let lost = 0;
  const root = mkdtempSync(join(REPO, '.local', 'durability-'));
  try {
    for (let run = 1; run <= runs; run++) {
      const result = await durabilityRun(port, join(root, `run-${run}`), signal);
      if (!result.projectKept || !result.auditKept) lost++;
      console.log(`run ${run}: ${signal} (${result.exit}) → project ${result.projectKept ? 'kept' : 'LOST'}, audit ${result.auditKept ? 'kept' : 'LOST'}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`${signal}: ${lost} of ${runs} runs lost the last acknowledged write`);
  process.exitCode = lost ? 1 : 0;
}
