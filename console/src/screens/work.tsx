import { api } from '../api/endpoints.ts';
import { useConsole, useLoad } from '../context.ts';
import { Loaded, Page, Section, Table } from '../components/ui.tsx';
import { formatInstant } from '../format.ts';
import { href } from '../router.ts';
import { registerScreens } from './registry.ts';

function MyWork() {
  const { api: client } = useConsole();
  const inbox = useLoad(() => client.call(api.inbox, { query: { limit: 50 } }), []);
  return (
    <Page title="我的待办">
      <Section title="其他单位转来的事项">
        <Loaded state={inbox}>
          {(page) => (
            <Table caption="其他单位转来的事项" head={['时间', '事项', '说明', '项目']} rows={page.items.length}>
              {page.items.map((event) => (
                <tr key={event.eventId}>
                  <td>{formatInstant(event.at)}</td>
                  <td>{event.title}</td>
                  <td>{event.text}</td>
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
