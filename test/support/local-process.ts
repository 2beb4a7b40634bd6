/**
 * `npm start` as a child process group of its own (the way a terminal runs it), so checks can
 * Ctrl-C it, SIGTERM it or `kill -9` the whole group, then start it again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO } from '../../infra/local/synth.ts';

export interface LocalCloudProcess {
  apiUrl: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Signals the whole group (negative pid) and waits until no process of it is left. */
  signalGroup(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals only `node infra/local/start.ts` (a SIGINT/SIGTERM sent to it alone) and waits for the group. */
  signalMain(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  port: number;
  dataDir: string;
  /** Extra `npm start --` arguments, e.g. `['--fresh', '--clock', '2026-09-01T09:00:00+08:00']`. */
  args?: string[];
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/** Starts `node infra/local/start.ts` in a new process group and resolves once `/health` answers. */
export async function spawnLocalCloud(options: SpawnOptions): Promise<LocalCloudProcess> {
  const child = spawn(process.execPath, [join(REPO, 'infra/local/start.ts'), ...(options.args ?? [])], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, PORT: String(options.port), LOCAL_DATA_DIR: options.dataDir },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let exited = false;
  void exit.then(() => (exited = true));

  const apiUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 240_000);
  for (;;) {
    if (exited) throw new Error(`the local cloud exited while starting:\n${output}`);
    if (Date.now() > deadline) {
      await killGroup(child);
      throw new Error(`the local cloud did not answer on ${apiUrl}:\n${output}`);
    }
    // The banner is printed after reconcile: then every part is up.
    if (output.includes('local cloud is running')) break;
    await sleep(100);
  }

  const waitGroup = async () => {
    const result = await exit;
    await groupGone(child.pid!);
    return result;
  };
  return {
    apiUrl,
    output: () => output,
    signalGroup: async (signal) => {
      process.kill(-child.pid!, signal);
      return waitGroup();
    },
    signalMain: async (signal) => {
      child.kill(signal);
      return waitGroup();
    },
  };
}

async function killGroup(child: ChildProcess): Promise<void> {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  await groupGone(child.pid!);
}

/** Waits until no process of group `pgid` exists (the kernel reaps the JVM a little later). */
export async function groupGone(pgid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still alive after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A development token from the running cloud's `/local/tokens`. */
export async function localToken(apiUrl: string, agency: string, jurisdiction: string): Promise<string> {
  const response = await fetch(`${apiUrl}/local/tokens`, { method: 'POST', body: JSON.stringify({ agency, jurisdiction }) });
  if (response.status !== 201) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
