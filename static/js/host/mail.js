// Host: mail. Every email the service owes (confirmations, sign-in links,
// introductions and their follow-ups, partnership notices) waits in the
// outbox until the mail server takes it. Here the host sees what is
// queued, sent, failed or cancelled, and why an email failed; a failed
// one can be sent again, a queued or failed one cancelled.

import { h, replace, append, empty, errorPanel, userText, badge, busy, toast, formatDateTime } from '../dom.js';
import * as api from '../api.js';
import { actionButton, inlineError } from '../partnership/common.js';

const pageSize = 50;

// statuses are the outbox's filters, in the order a host looks at them.
const statuses = [
  { key: '', label: 'All' },
  { key: 'failed', label: 'Failed' },
  { key: 'queued', label: 'Queued' },
  { key: 'sent', label: 'Sent' },
  { key: 'cancelled', label: 'Cancelled' },
];

const statusTone = { queued: 'wait', sent: 'good', failed: 'attention', cancelled: 'muted' };

// kindWords say what an email is, from the template it was made from.
const kindWords = {
  sign_in: 'Sign-in link', confirm_post: 'Post confirmation', introduce: 'Introduction',
  introduced: 'Contact details shared', reminder: 'Introduction reminder',
  followup: 'Introduction follow-up', partnership: 'Partnership started', weekly_notices: 'Weekly summary of changes',
};

// kindName says what an email is; notices are "notice_" and their kind.
function kindName(kind) {
  if (kindWords[kind]) return kindWords[kind];
  return kind.startsWith('notice_') ? `Notice: ${kind.slice('notice_'.length)}` : kind;
}

export async function render(view, ctx) {
  const status = new URLSearchParams(location.search).get('status') || '';
  const summary = h('p', { class: 'results-status', role: 'status', text: 'Loading the outbox…' });
  const list = h('ul', { class: 'card-list mail-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, text: 'Show older emails' });
  const moreBox = h('div', { class: 'actions' }, more);
  replace(view,
    h('h1', { tabindex: '-1', text: 'Mail' }),
    h('p', { class: 'lead', text: 'Every email the service owes waits here until the mail server takes it. An email the server refuses is tried again after 30 seconds, then for about a day, and at every restart; after that it is failed and waits for you.' }),
    h('nav', { class: 'filter-tabs', 'aria-label': 'Emails by status' }, h('ul', {}, statuses.map((s) => h('li', {},
      h('a', { href: `/app/host/mail${s.key ? `?status=${s.key}` : ''}`, 'aria-current': s.key === status ? 'page' : null, dataset: { status: s.key || 'all' } },
        s.label, ' ', h('span', { class: 'count', hidden: true })))))),
    summary, list, moreBox);

  let before = 0;
  let counts = {};
  const showCounts = () => {
    const c = counts;
    const all = Object.values(c).reduce((a, b) => a + b, 0);
    for (const a of view.querySelectorAll('.filter-tabs a')) {
      const n = a.dataset.status === 'all' ? all : c[a.dataset.status] || 0;
      Object.assign(a.querySelector('.count'), { hidden: false, textContent: String(n) });
    }
    summary.textContent = `${c.queued || 0} queued, ${c.failed || 0} failed, ${c.sent || 0} sent, ${c.cancelled || 0} cancelled; newest first.`;
  };
  // moved keeps the counts true after the host retried or cancelled one.
  const moved = (from, to) => {
    counts[from] = (counts[from] || 0) - 1;
    counts[to] = (counts[to] || 0) + 1;
    showCounts();
  };
  const page = async () => {
    const res = await api.get(`/api/v1/outbox${api.query({ status, limit: pageSize, before: before || undefined })}`, { auth: 'host', signal: ctx.signal });
    append(list, (res.mails || []).map((m) => mailItem(m, moved)));
    before = res.before;
    more.hidden = !before;
    counts = res.counts || {};
    showCounts();
    if (list.children.length === 0 && !view.querySelector('.empty')) {
      list.before(empty(status ? `No ${status} emails.` : 'No emails yet.', 'Emails appear here as members submit posts, sign in and are introduced.'));
    }
  };
  more.addEventListener('click', async () => {
    const at = list.children.length;
    try {
      await busy(more, 'Loading…', page);
      list.children[at]?.querySelector('h2')?.focus();
    } catch (err) {
      if (err.name !== 'AbortError') inlineError(moreBox, err);
    }
  });
  try {
    await page();
  } catch (err) {
    if (err.name === 'AbortError' || err.status === 401) throw err;
    summary.textContent = '';
    replace(moreBox, errorPanel(err, () => ctx.navigate(location.pathname + location.search, { replace: true })));
  }
  return 'Mail';
}

function mailItem(m, moved) {
  const item = h('li', { class: ['card', 'mail', `mail-${m.status}`], dataset: { mail: m.id, status: m.status } });
  const draw = (m) => {
    replace(item,
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title', tabindex: '-1' }, userText('span', m.subject)),
        h('span', { class: 'badges' }, badge(m.status, statusTone[m.status]))),
      h('p', { class: 'meta' },
        h('span', { class: 'meta-item' }, 'To ', userText('span', m.to)),
        h('span', { class: 'meta-item', text: kindName(m.kind) }),
        h('span', { class: 'meta-item', text: `${m.attempts} ${m.attempts === 1 ? 'attempt' : 'attempts'}` }),
        m.sent_at ? h('time', { class: 'meta-item', datetime: m.sent_at, text: `sent ${formatDateTime(m.sent_at)}` })
          : m.next_attempt_at ? h('time', { class: 'meta-item', datetime: m.next_attempt_at, text: `next try ${formatDateTime(m.next_attempt_at)}` })
            : h('time', { class: 'meta-item', datetime: m.updated_at, text: formatDateTime(m.updated_at) })),
      m.last_error ? h('p', { class: 'mail-error' }, h('span', { class: 'muted', text: 'The mail server said: ' }), userText('span', m.last_error)) : null,
      actions(m));
  };
  // A retry or a cancel answers with the email as it now is.
  const act = (verb, done) => async (key) => {
    const next = await api.post(`/api/v1/outbox/${m.id}/${verb}`, null, { auth: 'host', key });
    draw(next);
    moved(m.status, next.status);
    m = next;
    item.dataset.status = next.status;
    item.className = `card mail mail-${next.status}`;
    toast(done);
    item.querySelector('h2').focus();
  };
  const actions = (m) => {
    const buttons = [];
    if (m.status === 'failed' || m.status === 'cancelled') buttons.push(actionButton('Send again', 'Queuing…', act('retry', 'Queued again: it goes out now.')));
    if (m.status === 'queued' || m.status === 'failed') buttons.push(actionButton('Cancel', 'Cancelling…', act('cancel', 'Cancelled: it will not be sent (you can send it again).')));
    return buttons.length ? h('div', { class: 'item-actions' }, buttons) : null;
  };
  draw(m);
  return item;
}
