import { DependencyUnavailableError } from '../../../shared/errors.ts';

/** A dependency the API cannot serve without, and a cheap call that proves it answers. */
export interface ReadinessProbe {
  name: DependencyName;
  /** Resolves when the dependency answered; must give up when `signal` aborts. */
  check(signal: AbortSignal): Promise<void>;
}

export type DependencyName = 'table' | 'evidenceBucket' | 'workflow';

const NAMES_ZH: Record<DependencyName, string> = { table: '案件数据表', evidenceBucket: '证据存储桶', workflow: '期限工作流' };

/** Long enough for a healthy call, short enough that a load balancer's probe does not hang. */
export const PROBE_TIMEOUT_MS = 2_000;

export interface DependencyStatus {
  status: 'up' | 'down';
  ms: number;
  error?: string;
}

/**
 * Readiness: every dependency is asked at once, each within the timeout. All up: the per-dependency
 * status. Any down: a 503 naming which (the API handler adds Retry-After).
 */
export async function checkReadiness(probes: readonly ReadinessProbe[], timeoutMs = PROBE_TIMEOUT_MS) {
  const results = await Promise.all(probes.map(async (probe) => [probe.name, await run(probe, timeoutMs)] as const));
  const checks = Object.fromEntries(results) as Record<DependencyName, DependencyStatus>;
  const failed = results.filter(([, r]) => r.status === 'down').map(([name]) => name);
  if (failed.length) {
    throw new DependencyUnavailableError('dependency.unavailable', `系统暂不可用：${failed.map((n) => NAMES_ZH[n]).join('、')}无法访问，请稍后重试`, { failed, checks });
  }
  return { status: 'ready' as const, checks };
}

async function run(probe: ReadinessProbe, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The timeout wins even against a probe that ignores its signal.
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' }));
    }, timeoutMs);
  });
  try {
    await Promise.race([probe.check(controller.signal), timedOut]);
    return { status: 'up', ms: elapsed(started) };
  } catch (error) {
    // The error's name only (e.g. ECONNREFUSED, TimeoutError): no internals in a public answer.
    return { status: 'down', ms: elapsed(started), error: errorName(error) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);

function errorName(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; errors?: Array<{ code?: unknown }> } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errors?.[0]?.code === 'string' ? e.errors[0].code : undefined;
  return code ?? (typeof e?.name === 'string' ? e.name : 'Error');
}
