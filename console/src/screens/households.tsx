/**
 * A project's households: search by name or masked ID number, filter by village group and state,
 * page on with the API's cursor; each row links to the household.
 */
import { useState } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import { ErrorNotice, Loaded, Page, Section, Table } from '../components/ui.tsx';
import { useConsole, useLoad } from '../context.ts';
import { href } from '../router.ts';
import { HOUSEHOLD_STATE_ZH, searchTerm, zh } from './household-labels.ts';
import { registerScreens } from './registry.ts';

const PAGE_SIZE = 50;
type State = 'surveying' | 'confirmed' | 'disputed' | 'signed';

interface Filters {
  q?: string;
  villageGroupId?: string;
  state?: State;
}

function Households(props: { projectId: string }) {
  const { api: client, may } = useConsole();
  const project = useLoad(() => client.call(api.project, { params: { projectId: props.projectId } }), [props.projectId]);
  const [typed, setTyped] = useState('');
  const [filters, setFilters] = useState<Filters>({});
  // The cursors of the pages before this one, so "上一页" goes back without the API keeping state.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const households = useLoad(
    () => client.call(api.households, { params: { projectId: props.projectId }, query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } }),
    [props.projectId, filters.q, filters.villageGroupId, filters.state, cursor],
  );
  const groups = project.data?.villageGroups ?? [];
  const groupName = (id: string) => {
    const group = groups.find((g) => g.id === id);
    return group ? `${group.village}${group.name}` : id;
  };
  const apply = (next: Filters) => {
    setFilters(next);
    setCursors([]);
  };

  return (
    <Page
      title="被征收户"
      actions={
        <>
          <a class="button secondary" href={href('projects', props.projectId)}>
            返回项目
          </a>
          {may('household.import') ? (
            <a class="button" href={href('projects', props.projectId, 'survey-import')}>
              导入调查表
            </a>
          ) : null}
        </>
      }
    >
      {project.error ? <ErrorNotice error={project.error} /> : null}
      <Section title="查找被征收户">
        <search>
        <form
          class="row"
          onSubmit={(event) => {
            event.preventDefault();
            apply({ ...filters, q: searchTerm(typed) });
          }}
        >
          <div>
            <label for="household-search">户主或成员姓名、身份证号后几位</label>
            <input id="household-search" type="search" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          </div>
          <div>
            <label for="household-group">村民小组</label>
            <select id="household-group" value={filters.villageGroupId ?? ''} onChange={(e) => apply({ ...filters, villageGroupId: e.currentTarget.value || undefined })}>
              <option value="">全部</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.village}
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="household-state">状态</label>
            <select id="household-state" value={filters.state ?? ''} onChange={(e) => apply({ ...filters, state: (e.currentTarget.value || undefined) as State | undefined })}>
              <option value="">全部</option>
              {Object.entries(HOUSEHOLD_STATE_ZH).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">查找</button>
          {filters.q ? (
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setTyped('');
                apply({ ...filters, q: undefined });
              }}
            >
              清除查找
            </button>
          ) : null}
        </form>
        </search>
      </Section>
      <Section title="被征收户名单">
        <Loaded state={households}>
          {(page) => (
            <>
              <p class="muted" role="status">
                {filters.q ? `查找“${filters.q}”：` : ''}本页 {page.items.length} 户{cursors.length > 0 ? `（第 ${cursors.length + 1} 页）` : ''}
              </p>
              <Table caption="被征收户名单（本页）" head={['户编号', '户主', '成员身份证号（脱敏）', '村民小组', '状态']} rows={page.items.length} empty={filters.q ? '没有找到符合条件的被征收户' : '暂无被征收户'}>
                {page.items.map((h) => (
                  <tr key={h.householdId}>
                    <td>
                      <a href={href('households', h.householdId)}>{h.householdNumber}</a>
                    </td>
                    <td>{h.headName}</td>
                    <td>
                      {h.members.map((m) => (
                        <span class="id-masked" key={m.memberId}>
                          {m.name} {m.idNumberMasked}
                        </span>
                      ))}
                    </td>
                    <td>{groupName(h.villageGroupId)}</td>
                    <td>
                      <span class={`badge household-${h.state}`}>{zh(HOUSEHOLD_STATE_ZH, h.state)}</span>
                    </td>
                  </tr>
                ))}
              </Table>
              <p class="row pager">
                {cursors.length > 0 ? (
                  <button type="button" class="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
                    上一页
                  </button>
                ) : null}
                {page.cursor ? (
                  <button type="button" onClick={() => setCursors([...cursors, page.cursor!])}>
                    下一页
                  </button>
                ) : null}
              </p>
            </>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}

registerScreens({
  path: '/projects/:projectId/households',
  title: '被征收户',
  requires: ['household.read'],
  view: (params) => <Households projectId={params.projectId!} />,
});
