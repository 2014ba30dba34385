// Host: posts to moderate. The host sees every status and the members'
// addresses; hiding takes a post out of the directory and of matching.

import { h, replace, append, field, empty, errorMessage, userText, busy, toast, badge, formatDate, errorPanel, saveFile } from '../dom.js';
import * as api from '../api.js';
import { postMeta, postDetails } from '../posts.js';
import { actionButton } from '../partnership/common.js';

const statuses = [['', 'All'], ['pending', 'Waiting for confirmation'], ['active', 'Live'], ['paused', 'Paused by the member'], ['hidden', 'Hidden']];
const statusNames = { pending: 'Waiting for confirmation', active: 'Live', paused: 'Paused', hidden: 'Hidden' };

export async function render(view, ctx) {
  const params = { q: ctx.query.get('q') || '', status: ctx.query.get('status') || '' };
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Find posts' },
    field({ label: 'Search', name: 'q', type: 'search', value: params.q, markOptional: false, attrs: { maxlength: 500 } }),
    field({ label: 'Status', name: 'status', kind: 'select', value: params.status, markOptional: false, options: statuses }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Show' })));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const d = new FormData(form);
    ctx.navigate(`/app/host/posts${api.query({ q: String(d.get('q') || '').trim(), status: d.get('status') })}`);
  });
  form.querySelector('select').addEventListener('change', () => form.requestSubmit());

  const list = h('div', { class: 'card-list' });
  const status = h('p', { class: 'results-status', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, text: 'Show more' });
  replace(view,
    h('h1', { tabindex: '-1', text: 'Posts' }),
    h('p', { class: 'lead', text: 'Every post, whatever its status. Hide what does not belong; hidden posts leave the directory and matching.' }),
    form, exportButtons(), status, list, h('div', { class: 'actions center' }, more));

  const load = async (cursor) => {
    const page = await api.get(`/api/v1/posts${api.query({ ...params, limit: 25, cursor })}`, { auth: 'host', signal: ctx.signal });
    append(list, page.posts.map((p) => moderationCard(p)));
    const n = list.children.length;
    status.textContent = `${n}${page.next_cursor ? '+' : ''} ${n === 1 ? 'post' : 'posts'}`;
    more.hidden = !page.next_cursor;
    more.dataset.cursor = page.next_cursor || '';
    return page;
  };
  const first = await load('');
  if (first.posts.length === 0) {
    status.textContent = '';
    replace(list, empty(params.q || params.status ? 'No posts match.' : 'No posts yet.',
      params.q || params.status ? 'Try another search or status.' : h('a', { href: '/app/host/intake', text: 'Bring replies in from a comment thread' })));
  }
  more.addEventListener('click', async () => {
    try { await busy(more, 'Loading…', () => load(more.dataset.cursor)); } catch (err) { list.after(errorPanel(err)); }
  });
  return 'Posts';
}

function moderationCard(p) {
  const card = h('article', { class: ['card', 'post-card', `status-${p.status}`], dataset: { post: p.id } });
  const draw = (post) => {
    replace(card,
      h('header', { class: 'card-head' },
        userText('h2', post.business, { class: 'card-title' }),
        badge(statusNames[post.status] || post.status, `status-${post.status}`)),
      h('p', { class: 'meta' },
        h('span', { class: 'meta-item', text: `#${post.id}` }),
        post.email ? h('a', { class: 'meta-item', href: `mailto:${post.email}`, dir: 'auto', text: post.email }) : null,
        h('span', { class: 'meta-item', text: `posted ${formatDate(post.created_at)}` }),
        h('span', { class: 'meta-item', text: post.quarter })),
      postMeta(post),
      postDetails(post),
      h('div', { class: 'actions' }, actionsFor(post)));
    card.className = ['card', 'post-card', `status-${post.status}`].join(' ');
  };
  const setStatus = async (post, next, button, done) => {
    try {
      const updated = await busy(button, 'Saving…', () => api.patch(`/api/v1/posts/${post.id}`, { status: next }, { auth: 'host' }));
      draw(updated);
      toast(done);
      card.querySelector('.actions button')?.focus();
    } catch (err) {
      card.querySelector('.field-error')?.remove();
      card.append(h('p', { class: 'field-error', role: 'alert', text: errorMessage(err) }));
    }
  };
  const actionsFor = (post) => {
    const out = [];
    if (post.status !== 'active') {
      out.push(h('button', {
        type: 'button', class: 'primary small', text: post.status === 'pending' ? 'Publish without confirmation' : 'Make live',
        on: { click: (ev) => setStatus(post, 'active', ev.currentTarget, 'The post is live.') },
      }));
    }
    if (post.status !== 'hidden') {
      out.push(h('button', {
        type: 'button', class: 'danger small', text: 'Hide',
        on: { click: (ev) => setStatus(post, 'hidden', ev.currentTarget, 'The post is hidden.') },
      }));
    }
    return out;
  };
  draw(p);
  return card;
}

// exportButtons save the community's records, each kind as one CSV file
// with stable columns (posts of every status, members, suggestions,
// introductions, partnerships, referrals, payouts).
function exportButtons() {
  const kinds = [['posts', 'Posts'], ['members', 'Members'], ['suggestions', 'Suggestions'], ['introductions', 'Introductions'],
    ['partnerships', 'Partnerships'], ['referrals', 'Referrals'], ['payouts', 'Payouts']];
  return h('div', { class: 'exports' },
    h('span', { class: 'muted', text: 'Download as CSV: ' }),
    kinds.map(([kind, label]) => actionButton(label, 'Preparing…', async () => {
      const name = saveFile(await api.file(`/api/v1/exports/${kind}.csv`, { auth: 'host' }), `${kind}.csv`);
      toast(`Saved ${name}.`);
    })));
}
