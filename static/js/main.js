// Matchmaker's web UI: a small app of ES modules with no build step. Pages
// live under /app/… (the server answers every such path with index.html)
// and are drawn here from the API's answers.

import { h, replace, errorPanel } from './dom.js';
import * as api from './api.js';
import * as start from './pages/start.js';
import * as signin from './pages/signin.js';
import * as directory from './pages/directory.js';
import * as matches from './pages/matches.js';
import * as introductions from './pages/introductions.js';
import * as partnerships from './pages/partnerships.js';
import * as partnership from './pages/partnership.js';
import * as host from './pages/host.js';
import * as account from './pages/account.js';

// routes map paths to pages; a page's render(view, ctx) draws it into view
// and returns its title. The first match wins.
const routes = [
  { path: /^\/$/, page: { render: home } },
  { path: /^\/app\/?$/, page: { render: home } },
  { path: /^\/app\/start$/, page: start, nav: 'start' },
  { path: /^\/app\/signin$/, page: signin },
  { path: /^\/app\/directory$/, page: directory, nav: 'directory' },
  { path: /^\/app\/matches$/, page: matches, nav: 'matches' },
  { path: /^\/app\/introductions$/, page: introductions, nav: 'introductions' },
  { path: /^\/app\/partnerships$/, page: partnerships, nav: 'partnerships' },
  { path: /^\/app\/partnerships\/(?<id>\d+)$/, page: partnership, nav: 'partnerships' },
  { path: /^\/app\/account$/, page: account },
  { path: /^\/app\/host(?:\/(?<section>[a-z]+))?(?:\/(?<quarter>\d{4}-Q[1-4]))?$/, page: host, nav: 'host' },
];

const view = document.getElementById('view');
let current; // the AbortController of the page on show

// Tables of figures become stacked cards on a phone (style.css): each cell
// shows its column's name, taken from the table's head, so that every
// table drawn, whenever it is drawn, reads as label and value.
function labelCells(table) {
  const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  if (!heads.length) return;
  for (const tr of table.querySelectorAll('tbody tr, tfoot tr')) {
    [...tr.children].forEach((cell, i) => {
      if (heads[i] && cell.dataset.label !== heads[i]) cell.dataset.label = heads[i];
    });
  }
}
// Only the tables a change touched are labelled again: a ledger of ten
// thousand referrals is not walked whenever a toast or a card changes.
new MutationObserver((records) => {
  const touched = new Set();
  for (const r of records) {
    const at = r.target.closest?.('table.data');
    if (at) touched.add(at);
    for (const n of r.addedNodes) {
      if (n.nodeType !== Node.ELEMENT_NODE) continue;
      if (n.matches('table.data')) touched.add(n);
      for (const t of n.querySelectorAll('table.data')) touched.add(t);
    }
  }
  for (const t of touched) labelCells(t);
}).observe(view, { childList: true, subtree: true });
let firstRender = true;

// navigate shows the page at url, adding it to the history unless replace.
export function navigate(url, { replace: replaceEntry = false } = {}) {
  if (replaceEntry) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

async function render() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const url = new URL(location.href);
  const route = routes.find((r) => r.path.test(url.pathname));
  markNav(route?.nav);
  closeMenu();
  const ctx = {
    url, query: url.searchParams, params: route ? url.pathname.match(route.path).groups || {} : {},
    signal: controller.signal, navigate, refreshAccount: drawAccount,
  };
  let title;
  view.setAttribute('aria-busy', 'true');
  try {
    title = route ? await route.page.render(view, ctx) : notFound(view);
  } catch (err) {
    if (err.name === 'AbortError' || controller.signal.aborted) return;
    console.error(err);
    title = 'Something went wrong';
    replace(view, h('h1', { tabindex: '-1', text: title }), errorPanel(err, () => render()));
  } finally {
    if (current === controller) view.removeAttribute('aria-busy');
  }
  if (controller.signal.aborted) return;
  document.title = title ? `${title} · Matchmaker` : 'Matchmaker';
  // Tell screen readers the page changed: move focus to its heading.
  if (!firstRender) view.querySelector('h1')?.focus({ preventScroll: true });
  if (!firstRender && !url.hash) window.scrollTo(0, 0);
  firstRender = false;
}

// home sends members to their matches and everyone else to the post form.
async function home(v, ctx) {
  const m = await api.member();
  const to = m ? '/app/matches' : '/app/start';
  history.replaceState(null, '', to);
  const route = routes.find((r) => r.path.test(to));
  markNav(route.nav);
  return route.page.render(v, { ...ctx, url: new URL(to, location.href), query: new URLSearchParams() });
}

function notFound(v) {
  replace(v,
    h('h1', { tabindex: '-1', text: 'Page not found' }),
    h('p', {}, 'There is no page here. ', h('a', { href: '/app/directory', text: 'Browse the directory' }),
      ' or ', h('a', { href: '/app/start', text: 'post what you do' }), '.'));
  return 'Page not found';
}

function markNav(name) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// drawAccount shows who is signed in, with a way to sign out.
async function drawAccount() {
  const box = document.getElementById('account');
  let m = null;
  try { m = await api.member(); } catch { /* shown as signed out */ }
  if (!m) {
    replace(box, h('a', { href: '/app/signin', class: 'button secondary small', text: 'Sign in' }));
    return;
  }
  replace(box,
    h('a', { class: 'who', href: '/app/account', dir: 'auto', title: 'Your account', text: m.email }),
    h('button', {
      type: 'button', class: 'secondary small', text: 'Sign out',
      on: {
        click: async (ev) => {
          ev.currentTarget.disabled = true;
          try { await api.post('/api/v1/auth/sign-out', undefined, { auth: 'member' }); } catch { /* signed out anyway */ }
          api.forgetMember();
          await drawAccount();
          navigate('/app/signin');
        },
      },
    }));
}

function closeMenu() {
  const toggle = document.getElementById('menu-toggle');
  if (toggle) toggle.setAttribute('aria-expanded', 'false');
  document.body.classList.remove('menu-open');
}

// Links within the app change the page without reloading it.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  if (url.pathname !== '/' && !url.pathname.startsWith('/app')) return;
  ev.preventDefault();
  if (url.pathname === location.pathname && url.search === location.search && url.hash) {
    location.hash = url.hash;
    return;
  }
  navigate(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', render);

document.getElementById('menu-toggle')?.addEventListener('click', (ev) => {
  const open = ev.currentTarget.getAttribute('aria-expanded') !== 'true';
  ev.currentTarget.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('menu-open', open);
});

drawAccount();
render();
