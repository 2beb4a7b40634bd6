import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../infra/local/servers/net.ts';
import { REPO } from '../../infra/local/synth.ts';
import { spawnLocalCloud, type LocalCloudProcess } from '../support/local-process.ts';

/**
 * The README's walk, run verbatim so it cannot drift: its first `sh` block is the `npm start`
 * line (started here with those arguments, on a free port and a fresh data dir of its own), the
 * others run in one bash with `set -euo pipefail`, so any failing command or non-2xx answer fails.
 */
function walkOf(readme: string): { startArgs: string[]; script: string } {
  const from = readme.indexOf('## A walk through the procedure');
  if (from === -1) throw new Error('README has no "A walk through the procedure" section');
  const next = readme.indexOf('\n## ', from + 1);
  const section = readme.slice(from, next === -1 ? undefined : next);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const [start, ...rest] = blocks;
  const startLine = /^npm start -- (.+?)\s*(#.*)?$/m.exec(start ?? '');
  if (!startLine || !rest.length) throw new Error('the walk must open with an `npm start -- …` block followed by the commands');
  return { startArgs: startLine[1]!.split(/\s+/), script: rest.join('\n') };
}

const walk = walkOf(readFileSync(join(REPO, 'README.md'), 'utf8'));
const dataDir = mkdtempSync(join(tmpdir(), 'readme-walk-'));
let cloud: LocalCloudProcess | undefined;

beforeAll(async () => {
  cloud = await spawnLocalCloud({ port: await freePort(), dataDir, args: walk.startArgs });
}, 240_000);
afterAll(async () => {
  await cloud?.signalGroup('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts on the date the README names, without a missing-holiday-data warning', () => {
  expect(walk.startArgs).toEqual(['--fresh', '--clock', '2026-09-01T09:00:00+08:00']);
  expect(cloud!.output()).toContain('virtual time 2026-09-01T09:00');
  expect(cloud!.output()).not.toContain('No State Council holiday data');
});

it('runs the walk as written, every answer 2xx, and the 45-day deadline alerts', async () => {
  const port = new URL(cloud!.apiUrl).port;
  const result = spawnSync('bash', ['-c', `set -euo pipefail\n${walk.script}`], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, PORT: port, PATH: `${join(REPO, 'node_modules/.bin')}:${process.env.PATH}` },
  });
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout).toContain('"overdue"');
  const alerts = (await (await fetch(`${cloud!.apiUrl}/local/alerts`)).json()) as Array<{ messageAttributes: { kind?: { Value: string } } }>;
  expect(alerts.map((a) => a.messageAttributes.kind?.Value)).toContain('deadline-overdue');
}, 300_000);

it('answers 401 exactly as API Gateway does, as the README says', async () => {
  const response = await fetch(`${cloud!.apiUrl}/projects`, { method: 'POST', body: '{}' });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
});

it('keeps its temp files in the run folder that the global teardown removes', () => {
  // test/global-setup.ts points TMPDIR there; the workers inherit it.
  expect(tmpdir()).toMatch(/land-test-run-/);
  expect(dataDir.startsWith(tmpdir())).toBe(true);
});
