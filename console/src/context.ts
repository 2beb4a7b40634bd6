import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Action } from '../../shared/permissions.ts';
import type { ApiClient } from './api/client.ts';
import type { Me } from './api/endpoints.ts';
import type { ConsoleConfig } from './config.ts';

/** What every screen may use: the API as the signed-in person, who that is, and the server's clock. */
export interface ConsoleContext {
  api: ApiClient;
  me: Me;
  config: ConsoleConfig;
  /**
   * The server's clock now (epoch ms). Legal deadlines are judged on it, not on the browser's: the
   * local cloud's clock is virtual, and a clerk's PC may be wrong.
   */
  serverNow: () => number;
  /** May the signed-in agency do any of these? (The API checks again.) */
  may: (...actions: Action[]) => boolean;
}

export const Console = createContext<ConsoleContext | null>(null);

export function useConsole(): ConsoleContext {
  const context = useContext(Console);
  if (!context) throw new Error('useConsole outside the console');
  return context;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads once per change of `deps`; a late answer for old deps is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; deps?: readonly unknown[] }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => call === latest.current && setState({ data, loading: false, deps }),
      (error: Error) => call === latest.current && setState({ error, loading: false, deps }),
    );
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  // A reload keeps what is shown until the new answer comes; other arguments (another project's
  // address) show nothing of the previous one's meanwhile.
  if (!state.deps || !sameValues(state.deps, deps)) return { data: undefined, error: undefined, loading: true, reload };
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

const sameValues = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/** Re-runs `tick` every `ms` while the screen is open (polling alerts, import jobs). */
export function useInterval(tick: () => void, ms: number | null): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (ms === null) return;
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}
