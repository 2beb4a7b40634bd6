import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CDK_OUT = join(REPO, 'cdk.out');

const SOURCES = ['infra', 'services', 'shared', 'events', 'console', 'package-lock.json', 'cdk.json'];
/** The console's build script: its output (console/dist) is an asset of the CDK app. */
const CONSOLE_BUILD = join(REPO, 'console/build.ts');
/** The Node.js the CDK app runs on (cdk.json): it runs TypeScript as is. */
const NODE = join(REPO, 'node_modules/.bin/node');

/** Newest modification time among the files the synthesized template is built from. */
function newestSource(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    // console/dist is built from the sources beside it: its fresh mtime says nothing new.
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestSource(join(path, entry)));
  }
  return newest;
}

/** Synthesizes cdk.out unless it is newer than every source (the local cloud runs what CDK builds). */
export function synthIfStale(log: (line: string) => void = console.log): void {
  const manifest = join(CDK_OUT, 'manifest.json');
  const built = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((s) => newestSource(join(REPO, s))));
  if (built > newest) return;
  // Built first: synth refuses to run without the console's files (ConsoleContent).
  if (existsSync(CONSOLE_BUILD)) {
    log('[local] building the console…');
    const built = spawnSync(NODE, [CONSOLE_BUILD], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('console build failed (see above)');
  }
  log('[local] synthesizing the CDK app (bundles every function with esbuild)…');
  const result = spawnSync(join(REPO, 'node_modules/.bin/cdk'), ['synth', '--no-notices', '-q'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  if (result.status !== 0) throw new Error('cdk synth failed (see above)');
}
