/**
 * 我的待办: the legal deadlines this agency answers for, nearest first and red once passed on the
 * server's clock (the rule's legal source on hover), then what other agencies passed to it.
 */
import { useEffect } from 'preact/hooks';
import type { AnswerOf } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import { readUpTo } from '../api/paging.ts';
import { DeadlineCell, Loaded, Page, Section, Table } from '../components/ui.tsx';
import { useConsole, useLoad } from '../context.ts';
import { formatCount, formatInstant, formatPeriod, readable } from '../format.ts';
import { href } from '../router.ts';
import { registerScreens } from './registry.ts';

type WorkItem = AnswerOf<typeof api.myWork>['items'][number];

/** The nearest deadlines shown; the rest are later ones, said to be there. */
const WORK_SHOWN = 100;

/** Where a deadline's case is shown in the console. */
function caseHref(link: WorkItem['link'], projectId: string | undefined): string | undefined {
  switch (link.kind) {
    case 'project':
      return href('projects', link.id);
    case 'household':
    case 'enforcement':
      return href('households', link.id);
    case 'incident':
      return projectId ? href('projects', projectId) : undefined;
    case 'oversight':
      return '#/dashboard';
  }
}

function MyWork() {
  const { api: client, serverNow } = useConsole();
  // A township's page may come back short (its agency's list narrowed to the township): read on.
  const work = useLoad(() => readUpTo((cursor) => client.call(api.myWork, { query: { limit: WORK_SHOWN, ...(cursor ? { cursor } : {}) } }), WORK_SHOWN), []);
  const inbox = useLoad(() => client.call(api.inbox, { query: { limit: 50 } }), []);
  useEffect(() => {
    // What `npm run bench` times: the first paint with the agency's deadlines in it.
    if (work.data) performance.mark('console:work-ready');
  }, [work.data]);
  const now = serverNow();
  return (
    <Page title="我的待办">
      <Section title="本单位负责的法定期限">
        <Loaded state={work}>
          {(page) => (
            <>
              <Table caption="本单位负责的法定期限（近者在前）" head={['届满时刻（北京时间）', '事项', '案件', '期限', '状态']} rows={page.items.length} empty="本单位目前没有进行中的期限">
                {page.items.map((item) => {
                  // The server judged it when it answered; the clock may have passed it since.
                  const overdue = item.overdue || Date.parse(item.dueAt) < now;
                  const target = caseHref(item.link, item.projectId);
                  return (
                    <tr key={`${item.caseId}/${item.ruleId}`} class={overdue ? 'overdue' : undefined}>
                      <td>
                        <DeadlineCell dueAt={item.dueAt} source={item.source} now={now} />
                      </td>
                      <td>{item.step}</td>
                      <td>{target ? <a href={target}>{item.caseLabel ?? item.caseId}</a> : (item.caseLabel ?? item.caseId)}</td>
                      <td>{formatPeriod(item.period)}</td>
                      <td>
                        <span class={overdue ? 'badge status-overdue' : 'badge status-open'}>{overdue ? '已逾期' : '办理中'}</span>
                      </td>
                    </tr>
                  );
                })}
              </Table>
              {page.cursor ? <p class="note">以上为最近届满的 {formatCount(page.items.length)} 项，另有更晚届满的期限未列出。</p> : null}
            </>
          )}
        </Loaded>
      </Section>
      <Section title="其他单位转来的事项">
        <Loaded state={inbox}>
          {(page) => (
            <Table caption="其他单位转来的事项（新的在前）" head={['时间', '事项', '说明', '项目']} rows={page.items.length}>
              {page.items.map((event) => (
                <tr key={event.eventId}>
                  <td>{formatInstant(event.at)}</td>
                  <td>{readable(event.title)}</td>
                  <td>{readable(event.text)}</td>
                  <td>
                    <a href={href('projects', event.projectId)}>{event.projectId}</a>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

registerScreens({ path: '/', title: '我的待办', nav: { label: '我的待办', order: 10 }, view: () => <MyWork /> });
