import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePortBlock } from '../../infra/local/servers/net.ts';
import { localToken, spawnLocalCloud } from '../support/local-process.ts';

/**
 * `npm start`'s data survives Ctrl-C (SIGINT to the whole process group, as a terminal sends it)
 * and SIGTERM (to the main process, as `kill <pid>` sends it), even for a write acknowledged just
 * before: DynamoDB Local is stopped with SIGTERM and waited for, never SIGKILLed first.
 */
const root = mkdtempSync(join(tmpdir(), 'shutdown-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const district = ['district-government', 'yongzhou/lengshuitan'] as const;
const NEW = { name: '停止检查', district: 'yongzhou/lengshuitan', villageGroups: [{ name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' }] };

it.each([
  ['Ctrl-C (SIGINT to the group)', 'SIGINT', 'group'],
  ['SIGTERM to npm start', 'SIGTERM', 'main'],
] as const)('the last acknowledged write survives %s', async (_, signal, target) => {
  const port = await freePortBlock(8);
  const dataDir = join(root, signal);
  const first = await spawnLocalCloud({ port, dataDir, args: ['--fresh', '--clock', '2026-09-01T09:00:00+08:00'] });
  let id: string;
  try {
    const token = await localToken(first.apiUrl, ...district);
    const created = await fetch(`${first.apiUrl}/projects`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(NEW) });
    expect(created.status).toBe(201);
    id = ((await created.json()) as { id: string }).id;
  } finally {
    const exit = await (target === 'group' ? first.signalGroup(signal) : first.signalMain(signal));
    // start.ts stops everything and exits 0 on either signal.
    expect(exit, first.output()).toEqual({ code: 0, signal: null });
  }
  expect(first.output()).toContain('[local] stopping');

  const second = await spawnLocalCloud({ port, dataDir });
  try {
    const token = await localToken(second.apiUrl, ...district);
    const read = await fetch(`${second.apiUrl}/projects/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { name: string }).name).toBe('停止检查');
  } finally {
    await second.signalGroup('SIGTERM');
  }
}, 300_000);
