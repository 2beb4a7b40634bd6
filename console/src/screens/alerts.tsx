/**
 * The overdue alerts for the signed-in agency as they arrive: one feed polls `GET /alerts` every
 * 10 seconds with `since` (a margin before the newest held) while the console is open, and both the navigation's
 * count badge and the alerts screen read it. New arrivals are announced politely to screen readers.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AnswerOf, ApiClient } from '../api/client.ts';
import { api, type Me } from '../api/endpoints.ts';
import { readUpTo } from '../api/paging.ts';
import { AGENCY_ZH } from '../agencies.ts';
import { mergeNewest } from '../city.ts';
import { DeadlineCell, ErrorNotice, Loading, Page, Section, Table } from '../components/ui.tsx';
import { useConsole } from '../context.ts';
import { formatCount, formatInstant } from '../format.ts';
import { href } from '../router.ts';
import { registerScreens } from './registry.ts';

type AlertItem = AnswerOf<typeof api.alerts>['items'][number];

export const ALERT_POLL_MS = 10_000;
/** The first read: the latest alerts; later polls ask only for what came since. */
const FIRST_PAGE = 50;
/**
 * How far back of the newest alert held a poll reads again: an alert is stamped when it is raised
 * and saved a moment later, so one raised just before the newest held (many clocks run out at the
 * same midnight) may be saved after the last poll. Those read twice are merged by id.
 */
const POLL_MARGIN_MS = 5 * 60_000;

interface FeedState {
  items: AlertItem[];
  loaded: boolean;
  /** Arrived after the last look at the alerts screen. */
  unseen: number;
  /** The latest polite announcement ("新的逾期提醒 2 条"). */
  announcement: string;
  error?: unknown;
}

/**
 * One feed per signed-in session, polling while anything shows it (the badge is always shown, so
 * in practice while the console is open). What was last seen is kept per clerk in localStorage:
 * only a timestamp, so that the badge survives a reload.
 */
class AlertFeed {
  state: FeedState = { items: [], loaded: false, unseen: 0, announcement: '' };
  readonly #client: ApiClient;
  readonly #seenKey: string;
  readonly #listeners = new Set<(state: FeedState) => void>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling = false;

  constructor(client: ApiClient, me: Me) {
    this.#client = client;
    this.#seenKey = `console.alerts-seen.${me.agency}.${me.jurisdiction}.${me.user}`;
  }

  subscribe(listener: (state: FeedState) => void): () => void {
    this.#listeners.add(listener);
    listener(this.state);
    if (this.#listeners.size === 1) {
      void this.poll();
      this.#timer = setInterval(() => void this.poll(), ALERT_POLL_MS);
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) clearInterval(this.#timer);
    };
  }

  /** The alerts screen is open: everything held counts as seen. */
  markSeen(): void {
    const newest = this.state.items[0]?.at;
    if (newest) localStorage.setItem(this.#seenKey, newest);
    if (this.state.unseen !== 0) this.#set({ unseen: 0 });
  }

  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const newest = this.state.items[0]?.at;
      const since = newest ? new Date(Date.parse(newest) - POLL_MARGIN_MS).toISOString() : undefined;
      const page = await readUpTo(
        (cursor) => this.#client.call(api.alerts, { query: { limit: FIRST_PAGE, ...(since ? { since } : {}), ...(cursor ? { cursor } : {}) } }),
        since ? Number.POSITIVE_INFINITY : FIRST_PAGE,
      );
      const { items, added } = mergeNewest(this.state.items, page.items, (a) => a.id, (a) => a.at);
      if (!this.state.loaded) {
        const seen = localStorage.getItem(this.#seenKey);
        this.#set({ items, loaded: true, unseen: items.filter((a) => !seen || a.at > seen).length, error: undefined });
      } else if (added > 0) {
        this.#set({ items, unseen: this.state.unseen + added, announcement: `新的逾期提醒 ${added} 条`, error: undefined });
      } else if (this.state.error) {
        this.#set({ error: undefined });
      }
    } catch (error) {
      this.#set({ error, loaded: true });
    } finally {
      this.#polling = false;
    }
  }

  #set(change: Partial<FeedState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.#listeners) listener(this.state);
  }
}

const feeds = new WeakMap<ApiClient, AlertFeed>();

function useAlertFeed(): { state: FeedState; feed: AlertFeed } {
  const { api: client, me } = useConsole();
  let feed = feeds.get(client);
  if (!feed) {
    feed = new AlertFeed(client, me);
    feeds.set(client, feed);
  }
  const [state, setState] = useState(feed.state);
  useEffect(() => feed.subscribe(setState), [feed]);
  return { state, feed };
}

/** Where the alert's case is shown: a joint meeting's resolutions are on the city dashboard. */
function caseHref(alert: AlertItem): string {
  switch (alert.link.kind) {
    case 'household':
    case 'enforcement':
      return href('households', alert.link.id);
    case 'oversight':
      return '#/dashboard';
    default:
      return href('projects', alert.projectId);
  }
}

/** Beside "逾期提醒" in the navigation: how many are new, and the polite announcement of arrivals. */
function AlertsBadge() {
  const { state } = useAlertFeed();
  return (
    <>
      {state.unseen > 0 ? (
        <span class="nav-badge">
          {formatCount(state.unseen)}
          <span class="visually-hidden"> 条新的逾期提醒</span>
        </span>
      ) : null}
      <span class="visually-hidden" aria-live="polite">
        {state.announcement}
      </span>
    </>
  );
}

function Alerts() {
  const { serverNow } = useConsole();
  const { state, feed } = useAlertFeed();
  // What is on screen has been seen (arrivals while it is open, too).
  useEffect(() => feed.markSeen(), [feed, state.items]);
  // The server's clock has reached at least the newest alert (a local cloud's virtual clock may have jumped since sign-in).
  const now = Math.max(serverNow(), ...state.items.slice(0, 1).map((a) => Date.parse(a.at)));
  return (
    <Page title="逾期提醒">
      <Section title="本单位的逾期提醒">
        <p class="note">每 10 秒自动刷新，新的提醒显示在最前。</p>
        {state.error ? <ErrorNotice error={state.error} /> : null}
        {!state.loaded ? (
          <Loading />
        ) : (
          <Table caption="本单位的逾期提醒" head={['提醒时间', '事项', '责任单位', '案件', '届满时刻', '依据']} rows={state.items.length} empty="暂无逾期提醒">
            {state.items.map((alert) => (
              <tr key={alert.id} class={alert.severity === 'critical' ? 'overdue' : undefined}>
                <td>{formatInstant(alert.at)}</td>
                <td>{alert.step}</td>
                <td>{AGENCY_ZH[alert.agency]}</td>
                <td>
                  <a href={caseHref(alert)}>{alert.caseLabel ?? alert.caseId}</a>
                </td>
                <td>
                  <DeadlineCell dueAt={alert.dueAt} source={alert.source} now={now} />
                </td>
                <td>{alert.source}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </Page>
  );
}

registerScreens({ path: '/alerts', title: '逾期提醒', nav: { label: '逾期提醒', order: 20, badge: AlertsBadge }, requires: ['alerts.read'], view: () => <Alerts /> });
