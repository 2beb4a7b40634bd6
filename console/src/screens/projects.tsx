/**
 * The projects the signed-in agency may see, searched by name and filtered by stage, newest first,
 * a page at a time. The search is written into the hash (`#/projects?q=滨江&stage=…`): a copied
 * link opens the same list.
 */
import { useState } from 'preact/hooks';
import { api, type ProjectSummary } from '../api/endpoints.ts';
import { Loaded, Page, Section, Table } from '../components/ui.tsx';
import { useConsole, useLoad } from '../context.ts';
import { formatCount, formatInstant } from '../format.ts';
import { currentQuery, href } from '../router.ts';
import { registerScreens } from './registry.ts';

type Stage = ProjectSummary['stage'];

/** The stages as the filter offers them (the list's rows carry the API's own `stageName`). */
const STAGE_ZH: Record<Stage, string> = {
  created: '已立项',
  'notice-draft': '征收土地通告拟定中',
  'notice-published': '征收土地通告已发布',
  'plan-draft': '补偿安置方案拟定中',
  'plan-published': '补偿安置方案已发布',
};

const PAGE_SIZE = 20;
const EMPTY_PAGES_READ_ON = 5;

const query = (filter: { q: string; stage: string }) => ({ ...(filter.q ? { q: filter.q } : {}), ...(filter.stage ? { stage: filter.stage as Stage } : {}) });

function ProjectsPage(props: { q: string; stage: string }) {
  const { api: client } = useConsole();
  const [q, setQ] = useState(props.q);
  const [stage, setStage] = useState(props.stage);
  const [filter, setFilter] = useState({ q: props.q, stage: props.stage });
  // The cursors of the pages before this one, so the clerk can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const list = useLoad(async () => {
    // The API filters after reading its index: a page may hold none of the matches yet still have a
    // cursor. Read on (a few pages at most) rather than show an empty page that is not the end.
    let page = await client.call(api.projects, { query: { ...query(filter), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } });
    for (let more = 0; page.items.length === 0 && page.cursor && more < EMPTY_PAGES_READ_ON; more++) {
      page = await client.call(api.projects, { query: { ...query(filter), limit: PAGE_SIZE, cursor: page.cursor } });
    }
    return page;
  }, [filter, cursor]);
  const search = (event: Event) => {
    event.preventDefault();
    setCursors([]);
    setFilter({ q: q.trim(), stage });
    // The same route: no navigation, only the address to copy.
    const address = new URLSearchParams({ ...(q.trim() ? { q: q.trim() } : {}), ...(stage ? { stage } : {}) }).toString();
    history.replaceState(null, '', `#/projects${address ? `?${address}` : ''}`);
  };
  return (
    <Page title="征收项目">
      <search aria-label="查询征收项目">
      <form class="row search-form" onSubmit={search}>
        <div class="grow">
          <label for="project-q">项目名称</label>
          <input id="project-q" type="search" maxLength={50} value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="project-stage">阶段</label>
          <select id="project-stage" value={stage} onChange={(e) => setStage((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">全部阶段</option>
            {(Object.keys(STAGE_ZH) as Stage[]).map((s) => (
              <option key={s} value={s}>
                {STAGE_ZH[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">查询</button>
      </form>
      </search>
      <Section title="项目列表" id="project-list">
        <Loaded state={list}>
          {(page) => (
            <>
              <Table caption="征收项目列表" head={['项目名称', '所在区', '阶段', '村民小组', '创建时间']} rows={page.items.length} empty="没有符合条件的项目">
                {page.items.map((project) => (
                  <tr key={project.id}>
                    <td>
                      <a href={href('projects', project.id)}>{project.name}</a>
                    </td>
                    <td>{project.districtName}</td>
                    <td>{project.stageName}</td>
                    <td class="num">{formatCount(project.villageGroupCount)} 个</td>
                    <td>{formatInstant(project.createdAt)}</td>
                  </tr>
                ))}
              </Table>
              <div class="row pager">
                {cursors.length > 0 ? (
                  <button type="button" class="secondary" onClick={() => setCursors((c) => c.slice(0, -1))}>
                    上一页
                  </button>
                ) : null}
                {page.cursor ? (
                  <button type="button" class="secondary" onClick={() => setCursors((c) => [...c, page.cursor!])}>
                    下一页
                  </button>
                ) : null}
              </div>
            </>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

registerScreens({
  path: '/projects',
  title: '征收项目',
  nav: { label: '征收项目', order: 20 },
  requires: ['project.read'],
  view: () => {
    const query = currentQuery();
    return <ProjectsPage q={query.get('q') ?? ''} stage={query.get('stage') ?? ''} />;
  },
});
