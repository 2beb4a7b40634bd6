/** The frame every screen sits in: who is signed in, the navigation this agency gets, the screen. */
import { useEffect, useRef } from 'preact/hooks';
import { HolidayDataBanner } from './components/holiday-banner.tsx';
import { useConsole } from './context.ts';
import { matchPath, useLocation } from './router.ts';
import { allScreens, type Screen } from './screens/registry.ts';

export function visibleScreens(may: (...actions: NonNullable<Screen['requires']>[number][]) => boolean): Screen[] {
  return allScreens().filter((s) => !s.requires || may(...s.requires));
}

/** The skip link moves the focus only: a link to `#main` would be a route to the hash router. */
function skipToMain(): void {
  document.getElementById('main')?.focus();
}

export function App(props: { onSignOut: () => void }) {
  const { me, may } = useConsole();
  const path = useLocation();
  const screens = visibleScreens(may);
  const match = screens.map((screen) => ({ screen, params: matchPath(screen.path, path) })).find((m) => m.params !== null);
  const title = match?.screen.title ?? '页面不存在';
  const navigated = useRef(false);
  useEffect(() => {
    document.title = `${title} · 征地拆迁联动机制协同系统`;
    // After a navigation (not on opening: the skip link comes first), take keyboard and
    // screen-reader focus to the new page's heading.
    if (navigated.current) document.getElementById('page-title')?.focus();
    navigated.current = true;
  }, [title, path]);
  const nav = screens.filter((s) => s.nav).sort((a, b) => a.nav!.order - b.nav!.order);
  return (
    <>
      <button type="button" class="skip-link" onClick={skipToMain}>
        跳到主要内容
      </button>
      <header class="top">
        <p class="brand">征地拆迁联动机制协同系统</p>
        <p class="who">
          <span>{me.name ?? me.user}</span>
          <span>{me.agencyName}</span>
          <span>{me.jurisdictionName}</span>
        </p>
        <button type="button" class="link-button" onClick={props.onSignOut}>
          退出登录
        </button>
      </header>
      <nav class="main-nav" aria-label="主导航">
        <ul>
          {nav.map((screen) => {
            const current = matchPath(screen.path, path) !== null;
            const Badge = screen.nav!.badge;
            return (
              <li key={screen.path}>
                <a href={`#${screen.path}`} aria-current={current ? 'page' : undefined}>
                  {screen.nav!.label}
                </a>
                {Badge ? <Badge /> : null}
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <HolidayDataBanner />
        {match ? (
          match.screen.view(match.params!)
        ) : (
          <section class="page">
            <h1 id="page-title" tabIndex={-1}>
              页面不存在或本单位无权查看
            </h1>
            <p>
              <a href="#/">回到我的待办</a>
            </p>
          </section>
        )}
      </main>
    </>
  );
}
