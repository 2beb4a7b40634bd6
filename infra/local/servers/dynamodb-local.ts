/**
 * AWS's DynamoDB Local (Java) as the local cloud's DynamoDB. The jar ships inside the npm package
 * amplify-dynamodb-simulator; we fetch only that package's tarball with `npm pack` (its full
 * install is ~350 MB) and keep its `emulator/` folder in a cache directory.
 */
import { spawn, execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { answersHttp, assertPortFree, freePort, LOCAL_HOST, waitUntil, type LocalServer } from './net.ts';

const run = promisify(execFile);

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
/** npm's integrity of that tarball; npm checks it too, this pins it against a changed registry. */
const PACKAGE_INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';

/** `<repo>/.local/cache` */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../../.local/cache', import.meta.url));

/**
 * Makes sure DynamoDB Local is unpacked in `<cacheDir>/dynamodb-local/` and returns that folder.
 * Idempotent; concurrent callers each extract to a private folder and only one rename wins.
 */
export async function ensureDynamoDbLocal(cacheDir = DEFAULT_CACHE_DIR): Promise<string> {
  const dir = join(cacheDir, 'dynamodb-local');
  if (existsSync(join(dir, 'DynamoDBLocal.jar'))) return dir;

  mkdirSync(cacheDir, { recursive: true });
  const work = join(tmpdir(), `dynamodb-local-${randomUUID()}`);
  const staging = join(cacheDir, `.dynamodb-local-${randomUUID()}`);
  mkdirSync(work, { recursive: true });
  mkdirSync(staging, { recursive: true });
  try {
    const { stdout } = await run('npm', ['pack', PACKAGE, '--pack-destination', work, '--silent'], {
      maxBuffer: 1 << 20,
    });
    const tarball = join(work, stdout.trim().split('\n').pop() ?? '');
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== PACKAGE_INTEGRITY) {
      throw new Error(`${PACKAGE} tarball integrity ${integrity}, expected ${PACKAGE_INTEGRITY}`);
    }
    // Only package/emulator/* (jar, native libs, licences and the upstream sha256 file).
    await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=2', 'package/emulator']);
    if (!existsSync(join(staging, 'DynamoDBLocal.jar'))) {
      throw new Error(`${PACKAGE} has no emulator/DynamoDBLocal.jar`);
    }
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process won the race: its copy is as good as ours.
      if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) throw error;
    }
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface DynamoDbLocalOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  /** Folder to persist tables in; absent means in memory. */
  dbPath?: string;
  /** Where the jar is cached (see {@link ensureDynamoDbLocal}). */
  cacheDir?: string;
  /** How long to wait for Java to answer. */
  startTimeoutMs?: number;
  /** Parent of the JVM's private temp folder (default: the system temp folder). */
  tmpDir?: string;
}

/** Thrown when the Java process cannot be started or dies before answering. */
export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError';
}

/**
 * Starts DynamoDB Local (`-sharedDb`, so every credential/region sees the same tables) and
 * resolves once it answers HTTP. The Java child dies with this process: on stop() and on
 * SIGINT/SIGTERM gently (SIGTERM, then waits), on exit at once, and (through
 * `setpriv --pdeathsig`, where present) even if we are SIGKILLed.
 * Note: DynamoDB Local has no bind-address option and listens on all interfaces, not only
 * 127.0.0.1; the endpoint returned is the loopback one.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<LocalServer> {
  const dir = await ensureDynamoDbLocal(options.cacheDir);
  if (options.port) await assertPortFree(options.port);
  const port = options.port || (await freePort());
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  // DynamoDB Local unpacks its native SQLite library (sqlite-*-libsqlite4java.so) into
  // java.io.tmpdir on every start and never removes it: give it a folder we remove.
  const parent = options.tmpDir ?? tmpdir();
  sweepStaleTempDirs(parent);
  const javaTmp = mkdtempSync(join(parent, `${TMP_PREFIX}${process.pid}-`));

  const javaArgs = [
    `-Djava.io.tmpdir=${javaTmp}`,
    // No /tmp/hsperfdata_<user> files.
    '-XX:-UsePerfData',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
    ...storage,
  ];
  const useSetpriv = existsSync('/usr/bin/setpriv');
  const [command, args] = useSetpriv
    ? ['/usr/bin/setpriv', ['--pdeathsig', 'KILL', 'java', ...javaArgs]]
    : ['java', javaArgs];
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exited = error.message;
      resolve();
    });
    child.once('close', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    });
  });

  const kill = (): void => {
    if (exited === undefined) child.kill('SIGKILL');
    rmSync(javaTmp, { recursive: true, force: true });
  };
  /**
   * A JVM killed with SIGKILL can lose the last write it already acknowledged (see
   * docs/decisions/0008-local-durability.md), so it is asked to stop with SIGTERM and given time.
   */
  const stopGracefully = async (): Promise<void> => {
    if (exited === undefined) child.kill('SIGTERM');
    const timer = setTimeout(kill, 10_000);
    await exit;
    clearTimeout(timer);
    rmSync(javaTmp, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    // Someone else handles the signal (npm start): it calls stop(), which stops Java gently.
    if (process.listenerCount(signal) > 0) return;
    // Otherwise keep the default "terminate", after Java has stopped.
    void stopGracefully().then(() => process.kill(process.pid, signal));
  };
  process.on('exit', kill);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const unhook = (): void => {
    process.off('exit', kill);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  const endpoint = `http://${LOCAL_HOST}:${port}`;
  try {
    await waitUntil('DynamoDB Local', () => answersHttp(endpoint), {
      timeoutMs: options.startTimeoutMs ?? 60_000,
      // A failed bind leaves the JVM running, so read its output rather than wait for an exit.
      failed: () => exited ?? (/Exception in thread "main"/.test(output) ? 'java reported an error' : undefined),
    });
  } catch (error) {
    kill();
    await exit;
    unhook();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DynamoDbLocalStartError(`${reason}\n--- java output ---\n${output.trim()}`);
  }

  return {
    endpoint,
    async stop() {
      await stopGracefully();
      unhook();
    },
  };
}

const TMP_PREFIX = 'dynamodb-local-run-';

/** Removes JVM temp folders left by earlier runs whose process is gone (kill -9). */
function sweepStaleTempDirs(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(/^dynamodb-local-run-(\d+)-/.exec(entry)?.[1]);
    if (!pid || alive(pid)) continue;
    rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
