/**
 * Hash routes (`#/projects/P-1`): served as one file from S3 and the local cloud alike, with no
 * server-side fallback to configure, and nothing secret ever in them.
 */
import { useEffect, useState } from 'preact/hooks';

export type RouteParams = Record<string, string>;

/** Matches `/projects/:projectId` against `/projects/P-1`; null when it does not match. */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(have[i]!);
    else if (segment !== have[i]) return null;
  }
  return params;
}

export const currentPath = (): string => {
  const hash = location.hash.replace(/^#/, '');
  return (hash.split('?')[0] || '/').replace(/\/+$/, '') || '/';
};

/** The query part of the hash route (`#/households?q=张`). */
export const currentQuery = (): URLSearchParams => new URLSearchParams(location.hash.split('?')[1] ?? '');

/** A link to a console route, with each segment encoded. */
export function href(...segments: readonly string[]): string {
  return `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

export function navigate(to: string): void {
  location.hash = to.startsWith('#') ? to : `#${to}`;
}

/** The current hash path; re-renders on every change. */
export function useLocation(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const changed = () => setPath(currentPath());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return path;
}
