/**
 * Starts the console: reads its configuration, finishes or begins the sign-in, asks the API who
 * the token speaks for, then shows the screens that agency may use.
 */
import './styles.css';
import './screens/index.ts';
import { render } from 'preact';
import { createApiClient } from './api/client.ts';
import type { Me } from './api/endpoints.ts';
import { App } from './app.tsx';
import { completeSignIn, currentSession, signIn, signOut } from './auth/oidc.ts';
import { type ConsoleConfig, loadConfig } from './config.ts';
import { Console, type ConsoleContext } from './context.ts';
import { whoAmI } from './me.ts';

const root = document.getElementById('app')!;
/** Preact renders beside what is there: the static "正在加载…" goes first. */
const show = (view: Parameters<typeof render>[0]) => {
  root.replaceChildren();
  render(view, root);
};

function fail(error: unknown) {
  show(
    <main class="page">
      <h1>无法打开控制台</h1>
      <p class="error" role="alert">
        {error instanceof Error ? error.message : String(error)}
      </p>
      <p>
        <a href="./">重新打开</a>
      </p>
    </main>,
  );
}

async function start(): Promise<void> {
  const config: ConsoleConfig = await loadConfig();
  const session = (await completeSignIn(config)) ?? currentSession();
  if (!session) {
    await signIn(config);
    return;
  }
  const api = createApiClient({
    base: config.apiBase,
    token: () => currentSession()?.accessToken ?? null,
    // The token expired or was refused: sign in again and come back to the same screen.
    onUnauthorized: () => void signIn(config),
  });
  const { me, serverOffsetMs: firstOffset }: { me: Me; serverOffsetMs: number } = await whoAmI(api);
  // The local cloud's clock jumps when a tester advances it: the offset is taken again on every
  // navigation and each minute, so "overdue" keeps following the server.
  let serverOffsetMs = firstOffset;
  const resync = () =>
    void whoAmI(api).then(
      (answer) => (serverOffsetMs = answer.serverOffsetMs),
      () => undefined,
    );
  addEventListener('hashchange', resync);
  setInterval(resync, 60_000);
  const actions = new Set(me.actions);
  const context: ConsoleContext = {
    api,
    me,
    config,
    serverNow: () => Date.now() + serverOffsetMs,
    may: (...wanted) => wanted.some((a) => actions.has(a)),
  };
  show(
    <Console.Provider value={context}>
      <App onSignOut={() => void signOut(config)} />
    </Console.Provider>,
  );
}

start().catch(fail);
