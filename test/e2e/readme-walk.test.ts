import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePortBlock } from '../../infra/local/servers/net.ts';
import { REPO } from '../../infra/local/synth.ts';
import { spawnLocalCloud, type LocalCloudProcess } from '../support/local-process.ts';

/**
 * The README's walks, run verbatim so they cannot drift: the procedure's first `sh` block is the
 * `npm start` line (started here with those arguments, on a free port and a fresh data dir of its
 * own), its other blocks and then the household's run in one bash with `set -euo pipefail` — the
 * household walk continues the procedure's shell and cloud — so any failing command or non-2xx
 * answer fails.
 */
function walkOf(readme: string): { startArgs: string[]; script: string } {
  const [start, ...rest] = blocksOf(readme, '## A walk through the procedure');
  const startLine = /^npm start -- (.+?)\s*(#.*)?$/m.exec(start ?? '');
  if (!startLine || !rest.length) throw new Error('the walk must open with an `npm start -- …` block followed by the commands');
  const household = blocksOf(readme, '## A walk through a household');
  if (!household.length) throw new Error('the household walk has no commands');
  const money = blocksOf(readme, '## A walk through the money');
  if (!money.length) throw new Error('the money walk has no commands');
  return { startArgs: startLine[1]!.split(/\s+/), script: [...rest, ...household, ...money].join('\n') };
}

function blocksOf(readme: string, heading: string): string[] {
  const from = readme.indexOf(heading);
  if (from === -1) throw new Error(`README has no "${heading.slice(3)}" section`);
  const next = readme.indexOf('\n## ', from + 1);
  const section = readme.slice(from, next === -1 ? undefined : next);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const walk = walkOf(readFileSync(join(REPO, 'README.md'), 'utf8'));
const dataDir = mkdtempSync(join(tmpdir(), 'readme-walk-'));
let cloud: LocalCloudProcess | undefined;

beforeAll(async () => {
  cloud = await spawnLocalCloud({ port: await freePortBlock(8), dataDir, args: walk.startArgs });
}, 240_000);
afterAll(async () => {
  await cloud?.signalGroup('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts on the date the README names, without a missing-holiday-data warning', () => {
  expect(walk.startArgs).toEqual(['--fresh', '--clock', '2026-08-03T09:00:00+08:00']);
  expect(cloud!.output()).toContain('virtual time 2026-08-03T09:00');
  expect(cloud!.output()).not.toContain('No State Council holiday data');
});

it('runs the three walks as written, every answer 2xx: the 45-day deadline alerts, the household signs, is paid through the bank and hands over', async () => {
  const port = new URL(cloud!.apiUrl).port;
  const result = spawnSync('bash', ['-c', `set -euo pipefail\n${walk.script}`], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, PORT: port, PATH: `${join(REPO, 'node_modules/.bin')}:${process.env.PATH}` },
  });
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout).toContain('"overdue"');
  // What the README says the household walk shows: the PDF's total (grepped by the walk) and the payment clock.
  expect(result.stdout).toContain('补偿款合计人民币 272,392.75 元。');
  expect(result.stdout).toContain('"totalFen":27239275');
  expect(result.stdout).toMatch(/"step":"足额支付征地补偿款"[^}]*"lastDay":"2026-12-18"[^}]*"status":"open"/);
  // The money walk: both funds confirmed, paid in full through the bank, handed over, the timeline's later steps done.
  expect(result.stdout).toContain('"balanceFen":30000000');
  expect(result.stdout).toMatch(/"paidInFullAt":"2026-09-18T/);
  expect(result.stdout).toMatch(/"fund":"compensation"[^}]*"availableFromEntriesFen":\d+[^}]*"agrees":true/);
  expect(result.stdout).toContain('}],"agrees":true}');
  expect(result.stdout).toContain('"state":"handed-over"');
  expect(result.stdout).toMatch(/"step":"足额支付征地补偿款"[^}]*"status":"done"/);
  expect(result.stdout).toContain('"resumedAt"');
  const { transfers } = (await (await fetch(`${cloud!.apiUrl}/local/bank/transfers`)).json()) as { transfers: Array<{ idempotencyKey: string }> };
  expect(transfers).toHaveLength(5);
  expect(new Set(transfers.map((t) => t.idempotencyKey)).size).toBe(5);
  const alerts = (await (await fetch(`${cloud!.apiUrl}/local/alerts`)).json()) as Array<{ messageAttributes: { kind?: { Value: string } } }>;
  expect(alerts.map((a) => a.messageAttributes.kind?.Value)).toContain('deadline-overdue');
}, 300_000);

it('answers 401 exactly as API Gateway does, as the README says', async () => {
  const response = await fetch(`${cloud!.apiUrl}/projects`, { method: 'POST', body: '{}' });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
});

it('serves the console where the README says, with its security headers and its configuration', async () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  expect(readme).toContain('http://127.0.0.1:3000/console/');
  const page = await fetch(`${cloud!.apiUrl}/console/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(await page.text()).toMatch(/<script[^>]+src="\.?\/?app-[\w-]+\.js"/);
  const config = (await (await fetch(`${cloud!.apiUrl}/console/config.json`)).json()) as Record<string, unknown>;
  // Same origin for the API; the IdP's endpoints on the host the browser used (not the issuer's port 3000).
  expect(config).toMatchObject({ apiBase: '', authorizationEndpoint: `${cloud!.apiUrl}/local-idp/authorize` });
});

it('keeps its temp files in the run folder that the global teardown removes', () => {
  // test/global-setup.ts points TMPDIR there; the workers inherit it.
  expect(tmpdir()).toMatch(/land-test-run-/);
  expect(dataDir.startsWith(tmpdir())).toBe(true);
});
