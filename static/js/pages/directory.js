// Directory: search and filter the active posts. Emails are never shown
// here (the API leaves them out for anyone but the owner and the host).

import { h, replace, append, field, empty, errorPanel, busy } from '../dom.js';
import * as api from '../api.js';
import { postCard } from '../posts.js';

const pageSize = 20;

export async function render(view, ctx) {
  const q = ctx.query;
  const params = { q: q.get('q') || '', lane: q.get('lane') || '', region: q.get('region') || '', industry: q.get('industry') || '' };
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search the directory' },
    field({ label: 'Search', name: 'q', type: 'search', value: params.q, markOptional: false, hint: 'What people do, seek, or whom they serve', attrs: { maxlength: 500, placeholder: 'e.g. bookkeeping for dentists' } }),
    field({
      label: 'Lane', name: 'lane', kind: 'select', value: params.lane, markOptional: false,
      options: [['', 'Any lane'], ['referral', 'Referral'], ['strategic', 'Strategic'], ['either', 'Referral or strategic']],
    }),
    field({ label: 'Region', name: 'region', value: params.region, markOptional: false, attrs: { maxlength: 120 } }),
    field({ label: 'Industry', name: 'industry', value: params.industry, markOptional: false, attrs: { maxlength: 120 } }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: 'Search' }),
      (params.q || params.lane || params.region || params.industry)
        ? h('a', { href: '/app/directory', class: 'button secondary', text: 'Clear' }) : null));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const next = {};
    for (const k of ['q', 'lane', 'region', 'industry']) next[k] = String(data.get(k) || '').trim();
    ctx.navigate(`/app/directory${api.query(next)}`);
  });

  const results = h('section', { class: 'results', 'aria-labelledby': 'results-title' });
  replace(view,
    h('h1', { tabindex: '-1', text: 'Directory' }),
    h('p', { class: 'lead', text: 'Businesses looking for partners. Contact details are shared only through an introduction both sides accept.' }),
    form, results);

  const first = await api.get(`/api/v1/posts${api.query({ ...params, limit: pageSize })}`, { signal: ctx.signal });
  const searching = Boolean(params.q || params.lane || params.region || params.industry);
  const status = h('p', { id: 'results-title', class: 'results-status', role: 'status' });
  const list = h('div', { class: 'card-list' });
  replace(results, status, list);
  const more = h('button', { type: 'button', class: 'secondary', text: 'Show more' });
  let shown = 0;
  const add = (page) => {
    append(list, page.posts.map((p) => postCard(p)));
    shown += page.posts.length;
    status.textContent = searching ? `${shown}${page.next_cursor ? '+' : ''} ${shown === 1 ? 'post matches' : 'posts match'} your search`
      : `${shown}${page.next_cursor ? '+' : ''} ${shown === 1 ? 'post' : 'posts'}, newest first`;
    more.hidden = !page.next_cursor;
    more.dataset.cursor = page.next_cursor || '';
  };
  if (first.posts.length === 0) {
    status.textContent = '';
    replace(list, searching
      ? empty('No posts match your search.', 'Try fewer or different words, or ', h('a', { href: '/app/directory', text: 'clear the filters' }), '.')
      : empty('Nobody has posted yet.', h('a', { href: '/app/start', text: 'Be the first to post' }), '.'));
    return 'Directory';
  }
  add(first);
  more.addEventListener('click', async () => {
    try {
      const page = await busy(more, 'Loading…', () => api.get(`/api/v1/posts${api.query({ ...params, limit: pageSize, cursor: more.dataset.cursor })}`));
      const firstNew = list.children.length;
      add(page);
      list.children[firstNew]?.querySelector('.card-title')?.setAttribute('tabindex', '-1');
      list.children[firstNew]?.querySelector('.card-title')?.focus();
    } catch (err) {
      results.append(errorPanel(err));
    }
  });
  results.append(h('div', { class: 'actions center' }, more));
  return params.q ? `Directory: ${params.q}` : 'Directory';
}
