/**
 * `npm run -s clock -- show | advance <duration> | to <instant>`: reads or moves the local cloud's
 * virtual clock (durations: 45d, 2h, 30m, 1500ms). Exists only for the local cloud.
 * Targets LOCAL_API_URL, else http://127.0.0.1:$PORT — the same PORT `npm start` listens on — else 3000.
 */
const [command = 'show', arg] = process.argv.slice(2);
const base = (process.env.LOCAL_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const source = process.env.LOCAL_API_URL ? 'LOCAL_API_URL' : process.env.PORT ? 'PORT' : 'the default port 3000; set PORT or LOCAL_API_URL';

function duration(text: string | undefined): Record<string, number> {
  const m = /^(\d+(?:\.\d+)?)(ms|m|h|d)$/.exec(text ?? '');
  if (!m) throw new Error(`duration like 45d, 2h, 30m or 500ms expected, got "${text ?? ''}"`);
  const unit = { ms: 'ms', m: 'minutes', h: 'hours', d: 'days' }[m[2] as 'ms' | 'm' | 'h' | 'd'];
  return { [unit]: Number(m[1]) };
}

let response: Response;
try {
  const request =
    command === 'show'
      ? fetch(`${base}/local/clock`)
      : command === 'advance'
        ? fetch(`${base}/local/clock/advance`, { method: 'POST', body: JSON.stringify(duration(arg)) })
        : command === 'to'
          ? fetch(`${base}/local/clock/advance`, { method: 'POST', body: JSON.stringify({ to: arg }) })
          : Promise.reject(new Error(`unknown command ${command}: use show, advance or to`));
  response = await request;
} catch (error) {
  const unreachable = (error as Error).message === 'fetch failed';
  console.error(`clock: ${(error as Error).message}${unreachable ? ` — is the local cloud running on ${base} (from ${source})?` : ` (target ${base})`}`);
  process.exit(1);
}
const body = await response.text();
if (!response.ok) {
  console.error(`clock: ${base} answered ${response.status}: ${body}`);
  process.exit(1);
}
console.log(body);
