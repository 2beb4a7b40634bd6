/** The console's small shared pieces: page frame, tables, states, deadline cells. */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client.ts';
import { formatDue, formatDuration, readable } from '../format.ts';
import { STEP_STATUSES } from '../statuses.ts';

export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {props.title}
        </h1>
        {props.actions ? <div class="page-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

export function Section(props: { title: string; id?: string; children: ComponentChildren }) {
  const id = props.id ?? `section-${props.title}`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A table that scrolls sideways on a phone; the scroll region is focusable so a keyboard can scroll it. */
export function Table(props: { caption: string; head: readonly string[]; children: ComponentChildren; empty?: string; rows: number }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section class="table-scroll" tabIndex={0} aria-label={props.caption}>
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows === 0 ? (
            <tr>
              <td colSpan={props.head.length} class="empty">
                {props.empty ?? '暂无记录'}
              </td>
            </tr>
          ) : (
            props.children
          )}
        </tbody>
      </table>
    </section>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      正在加载…
    </p>
  );
}

/** An API refusal in the API's own Chinese words, with its code for the help desk. */
export function ErrorNotice(props: { error: unknown }) {
  const error = props.error;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <p class="error" role="alert">
      {readable(message)}
      {code ? <span class="code">（{code}）</span> : null}
    </p>
  );
}

/** What a loaded view shows while loading or after a failure; the content once it has data. */
export function Loaded<T>(props: { state: { data: T | undefined; error: Error | undefined; loading: boolean }; children: (data: T) => ComponentChildren }) {
  if (props.state.error) return <ErrorNotice error={props.state.error} />;
  if (props.state.data === undefined) return <Loading />;
  return <>{props.children(props.state.data)}</>;
}

/** A step's status in words: the timeline's statuses (as the Gantt's legend names them) and a resolution's approval. */
const STATUS_ZH: Record<string, string> = { ...Object.fromEntries(STEP_STATUSES.map((s) => [s.status, s.label])), approved: '已审定' };

export function StatusBadge(props: { status: string }) {
  return <span class={`badge status-${props.status}`}>{STATUS_ZH[props.status] ?? props.status}</span>;
}

/**
 * A legal deadline: its instant in Beijing time, red once passed on the server's clock, the
 * rule's legal source on hover (and to screen readers).
 */
export function DeadlineCell(props: { dueAt: string; source: string; now: number }) {
  const due = Date.parse(props.dueAt);
  const overdue = due < props.now;
  return (
    <span class={overdue ? 'deadline overdue' : 'deadline'} title={props.source}>
      {formatDue(props.dueAt)}
      <span class="deadline-note">{overdue ? `已逾期 ${formatDuration(props.now - due)}` : `还剩 ${formatDuration(due - props.now)}`}</span>
      <span class="visually-hidden">（依据：{props.source}）</span>
    </span>
  );
}
