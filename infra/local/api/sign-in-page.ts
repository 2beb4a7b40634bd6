/**
 * The development identity provider's pages (sign-in form, errors, signed out), in Chinese. They
 * are served under a CSP without inline script or style, so they hold neither: styling comes
 * from SIGN_IN_CSS, served as a file beside them. Every interpolated value is escaped.
 */
import { AGENCIES, AGENCY_IDS, findJurisdiction, JURISDICTIONS } from '../../../shared/agencies.ts';

/** The CSP every page is served with: nothing but the stylesheet, and forms posting back here. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const SIGN_IN_CSS = `*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans SC",sans-serif;background:#f3f5f8;color:#1d2733;line-height:1.6}
main{max-width:30rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d5dbe3;border-radius:6px}
h1{font-size:1.35rem;margin:0 0 .25rem}
.note{color:#4b5867;font-size:.9rem;margin:0 0 1.5rem}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
.optional{font-weight:400;color:#4b5867}
select,input{display:block;width:100%;padding:.5rem;font:inherit;border:1px solid #8a96a3;border-radius:4px;background:#fff;color:inherit}
select:focus,input:focus,button:focus,a:focus{outline:3px solid #1a5fb4;outline-offset:2px}
button{margin-top:1.5rem;padding:.6rem 1.4rem;font:inherit;font-weight:600;color:#fff;background:#1a5fb4;border:0;border-radius:4px;cursor:pointer}
.error{margin:0 0 1rem;padding:.75rem 1rem;border-left:4px solid #b3261e;background:#fdecea;color:#5f1410}
`;

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface SignInPageOptions {
  /** Where the form posts (the authorization endpoint's path). */
  action: string;
  stylesheet: string;
  /** The authorization request's parameters, carried through the form unchanged. */
  hidden: Readonly<Record<string, string>>;
  /** What the person chose before (shown again with an error). */
  chosen?: { agency?: string; jurisdiction?: string; user?: string; name?: string };
  /** Why the last submission was refused (Chinese). */
  error?: string;
}

export function renderSignInPage(options: SignInPageOptions): string {
  const chosen = options.chosen ?? {};
  const hidden = Object.entries(options.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const agencies = AGENCY_IDS.map((id) => option(id, AGENCIES[id].nameZh, chosen.agency)).join('\n        ');
  const jurisdictions = JURISDICTIONS.map((j) => option(j.id, jurisdictionPath(j.id), chosen.jurisdiction)).join('\n        ');
  const error = options.error ? `\n    <p class="error" role="alert" id="sign-in-error">${escapeHtml(options.error)}</p>` : '';
  const describedBy = options.error ? ' aria-describedby="sign-in-error"' : '';
  return page(
    '登录（本地开发身份认证）',
    options.stylesheet,
    `<h1>登录</h1>
    <p class="note">本地开发身份认证：选择机构和辖区，即以该身份登录。仅用于本机开发，请勿用于生产。</p>${error}
    <form method="post" action="${escapeHtml(options.action)}"${describedBy}>
      ${hidden}
      <label for="agency">机构</label>
      <select id="agency" name="agency" required>
        ${agencies}
      </select>
      <label for="jurisdiction">辖区</label>
      <select id="jurisdiction" name="jurisdiction" required>
        ${jurisdictions}
      </select>
      <label for="user">用户名</label>
      <input id="user" name="user" type="text" required maxlength="64" autocomplete="username" value="${escapeHtml(chosen.user ?? '')}">
      <label for="name">显示名称 <span class="optional">（可选）</span></label>
      <input id="name" name="name" type="text" maxlength="64" autocomplete="name" value="${escapeHtml(chosen.name ?? '')}">
      <button type="submit">登录</button>
    </form>`,
  );
}

/** A page that only says something (an error, or that the person has signed out), with an optional link. */
export function renderMessagePage(options: { title: string; message: string; stylesheet: string; link?: { href: string; text: string } }): string {
  const link = options.link ? `\n    <p><a href="${escapeHtml(options.link.href)}">${escapeHtml(options.link.text)}</a></p>` : '';
  return page(options.title, options.stylesheet, `<h1>${escapeHtml(options.title)}</h1>\n    <p>${escapeHtml(options.message)}</p>${link}`);
}

/** `永州市 › 冷水滩区 › 梅湾街道`: a township's name alone does not say which district it is in. */
export function jurisdictionPath(id: string): string {
  const segments = id.split('/');
  return segments
    .map((_, i) => findJurisdiction(segments.slice(0, i + 1).join('/'))?.nameZh ?? segments[i]!)
    .join(' › ');
}

function option(value: string, label: string, selected: string | undefined): string {
  return `<option value="${escapeHtml(value)}"${value === selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function page(title: string, stylesheet: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="${escapeHtml(stylesheet)}">
</head>
<body>
  <main>
    ${body}
  </main>
</body>
</html>
`;
}
