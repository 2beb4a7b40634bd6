/**
 * The console's screens. A service's screens live in `screens/<area>.tsx` and are listed here;
 * the navigation shows a screen only to agencies whose permissions include one of `requires`
 * (GET /me's actions — the API checks again on every call).
 */
import type { ComponentType, VNode } from 'preact';
import type { Action } from '../../../shared/permissions.ts';
import type { RouteParams } from '../router.ts';

export interface Screen {
  /** Hash route, e.g. `/projects/:projectId`. */
  path: string;
  /** The browser tab's title. */
  title: string;
  /**
   * In the navigation bar, in `order`; absent: reached by links. `badge` is drawn beside the link
   * on every screen (e.g. how many alerts are new).
   */
  nav?: { label: string; order: number; badge?: ComponentType };
  /** Shown to agencies that may do at least one of these; absent: to everyone signed in. */
  requires?: readonly Action[];
  view: (params: RouteParams) => VNode;
}

const screens: Screen[] = [];

/** Adds a module's screens (each screen module calls this once, at import). */
export function registerScreens(...added: Screen[]): void {
  screens.push(...added);
}

export function allScreens(): readonly Screen[] {
  return screens;
}
