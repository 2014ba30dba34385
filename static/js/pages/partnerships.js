// Partnerships: a member's partnerships (every one, for the host), grouped
// by lane, each with its status, and the open offers. The host offers a
// partnership between two posts, which starts when both members accept;
// members start theirs from an accepted introduction.

import { h, replace, field, formError, showErrors, clearErrors, busy, toast, userText, empty, formatDate } from '../dom.js';
import * as api from '../api.js';
import { signInForm } from './signin.js';
import { postPicker, bothPicked } from '../host/picker.js';
import { caller, lanes, statusBadge, sideName, title, formatDay } from '../partnership/common.js';
import { offersSection } from '../partnership/offers.js';
import { formatMoney } from '../money.js';

const statusOrder = { active: 0, paused: 1, ended: 2 };

export async function render(view, ctx) {
  const who = await caller();
  if (!who) {
    replace(view,
      h('h1', { tabindex: '-1', text: 'Partnerships' }),
      signInForm('', 'Sign in to run your partnerships. We email you a link — no password.'),
      h('p', { class: 'muted' }, 'The community host? ', h('a', { href: '/app/host', text: 'Open the host console' }), ' first, then come back.'));
    return 'Partnerships';
  }
  const [res, offers] = await Promise.all([
    api.get('/api/v1/partnerships', { auth: who.auth, signal: ctx.signal }),
    api.get('/api/v1/offers?status=open', { auth: who.auth, signal: ctx.signal }),
  ]);
  const all = (res.partnerships || []).map((p) => ({ ...p, you: who.member ? youIn(p, who.member.email) : undefined }));
  replace(view,
    h('h1', { tabindex: '-1', text: 'Partnerships' }),
    h('p', { class: 'lead', text: who.auth === 'host'
      ? 'Every partnership in the community, lane by lane. Open one to see its board or ledger, as its members do.'
      : 'Each partnership runs in one lane: strategic partners plan quarterly goals and review them together; referral partners pass leads and pay commissions on the sales.' }),
    offersSection(who, ctx, offers.offers || []));
  if (all.length === 0) {
    view.append(who.auth === 'host'
      ? empty('No partnerships yet.', 'Members start them from accepted introductions; you can also offer one below.')
      : empty('No partnerships yet.', 'When you and a partner have both accepted an introduction, start one from ',
        h('a', { href: '/app/introductions', text: 'your introductions' }), '.'));
  }
  for (const lane of ['strategic', 'referral']) {
    const list = all.filter((p) => p.lane === lane)
      .sort((x, y) => statusOrder[x.status] - statusOrder[y.status] || y.updated_at.localeCompare(x.updated_at));
    if (!list.length) continue;
    const id = `lane-${lane}`;
    view.append(h('section', { class: 'lane-group', dataset: { lane }, 'aria-labelledby': id },
      h('h2', { id }, `${lanes[lane].title} partnerships `, h('span', { class: 'count', text: `(${list.length})` })),
      h('p', { class: 'hint', text: lanes[lane].text }),
      h('ul', { class: 'card-list partnership-list' }, list.map((p) => card(p, who)))));
  }
  if (who.auth === 'host') view.append(offerForm(ctx));
  else if (all.length) view.append(await yourMoney(who, ctx), await yourNotices(ctx));
  return 'Partnerships';
}

// noticeModes are the choices for each kind of notice.
const noticeModes = [['now', 'At once'], ['weekly', 'Weekly summary'], ['off', 'Never']];

// yourNotices lets a member choose, kind by kind, which changes by their
// partners (or the host) they hear of by email: at once, in a weekly
// summary, or never.
async function yourNotices(ctx) {
  const res = await api.get('/api/v1/me/notices', { auth: 'member', signal: ctx.signal });
  const status = h('p', { class: 'hint', role: 'status' });
  const rows = (res.kinds || []).map((k) => {
    const id = `notice-${k.kind}`;
    const select = h('select', { id, name: k.kind },
      noticeModes.map(([value, label]) => h('option', { value, selected: (res.modes[k.kind] || 'now') === value, text: label })));
    let saved = select.value;
    select.addEventListener('change', async () => {
      select.disabled = true;
      try {
        await api.put('/api/v1/me/notices', { modes: { [k.kind]: select.value } }, { auth: 'member' });
        saved = select.value;
        status.textContent = { now: `Emails about ${k.name}: at once.`, weekly: `Emails about ${k.name}: in a weekly summary.`, off: `No more emails about ${k.name}.` }[saved];
      } catch (err) {
        select.value = saved;
        status.textContent = `Not saved: ${err.message}`;
      } finally {
        select.disabled = false;
      }
    });
    return h('li', { class: 'notice-choice' }, h('label', { for: id, text: k.name }), select);
  });
  const id = 'your-notices';
  return h('section', { class: 'your-notices', 'aria-labelledby': id },
    h('h2', { id, text: 'Emails when something changes' }),
    h('p', { class: 'hint', text: 'When your partner or the host changes something in a partnership, or the host hides or removes one of your posts, we email you. Choose, for each kind, at once, in a weekly summary or never; sign-in links and confirmations always come.' }),
    h('ul', { class: 'notice-choices' }, rows), status);
}

// yourMoney is a member's side of their referral partnerships' money:
// what partners owe them and what they owe, due, pending and paid.
async function yourMoney(who, ctx) {
  const res = await api.get('/api/v1/money', { auth: who.auth, signal: ctx.signal });
  const rows = [];
  for (const line of res.partnerships || []) {
    const p = line.partnership;
    const you = youIn(p, who.member.email);
    for (const t of line.totals || []) {
      const owedToYou = t.payee === you;
      rows.push(h('tr', { dataset: { partnership: p.id, currency: t.currency, direction: owedToYou ? 'owed' : 'owing' } },
        h('th', { scope: 'row' }, h('a', { href: `/app/partnerships/${p.id}` },
          owedToYou ? [userText('span', sideName(p, t.payer)), ' owes you'] : ['You owe ', userText('span', sideName(p, t.payee))]),
        h('span', { class: 'muted', text: ` (${t.currency})` })),
        ['due', 'pending', 'paid'].map((k) => h('td', { class: ['num', `total-${k}`], text: formatMoney(t[k], t.currency) }))));
    }
  }
  const id = 'your-money';
  return h('section', { class: 'your-money', 'aria-labelledby': id },
    h('h2', { id, text: 'Your commissions' }),
    rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data money-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Who owes whom' }), ['Due', 'Pending', 'Paid'].map((c) => h('th', { scope: 'col', class: 'num', text: c })))),
        h('tbody', {}, rows)))
      : h('p', { class: 'muted', text: 'No commissions yet: they show once a lead you passed or received is won.' }));
}

function youIn(p, email) {
  const e = email.toLowerCase();
  if ((p.a.email || '').toLowerCase() === e) return 'a';
  if ((p.b.email || '').toLowerCase() === e) return 'b';
  return undefined;
}

function card(p, who) {
  const href = `/app/partnerships/${p.id}`;
  return h('li', { class: ['card', 'partnership-card', `status-${p.status}`], dataset: { partnership: p.id, lane: p.lane, status: p.status } },
    h('div', { class: 'card-head' },
      h('h3', { class: 'card-title' }, h('a', { href, dir: 'auto' }, who.auth === 'host'
        ? [userText('span', sideName(p, 'a')), ' and ', userText('span', sideName(p, 'b'))]
        : userText('span', title(p)))),
      statusBadge(p.status)),
    p.you ? h('p', { class: 'muted' }, 'With your post ', userText('strong', sideName(p, p.you)), '.') : null,
    h('p', { class: 'meta' },
      h('span', { class: 'meta-item', text: `Since ${formatDay(p.started_on)}` }),
      p.ended_on ? h('span', { class: 'meta-item', text: `Ended ${formatDay(p.ended_on)}` }) : null,
      h('span', { class: 'meta-item', text: `Last change ${formatDate(p.updated_at)}` })));
}

// offerForm lets the host offer two members a partnership between their
// posts: both are emailed, and it starts once both accept.
function offerForm(ctx) {
  const a = postPicker({ label: 'First post', name: 'post_a' });
  const b = postPicker({ label: 'Second post', name: 'post_b' });
  const choice = (value, label, text, checked) => h('div', { class: 'lane-option' },
    h('input', { type: 'radio', name: 'lane', id: `start-lane-${value || 'auto'}`, value, checked }),
    h('label', { for: `start-lane-${value || 'auto'}` }, h('span', { class: 'lane-title', text: label }), h('span', { class: 'lane-text', text })));
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', { class: 'hint', text: 'Members usually start partnerships themselves from an accepted introduction. You can also offer two live posts a partnership: both members are emailed, and it starts once both accept.' }),
    formError(),
    h('div', { class: 'field-row' }, a.element, b.element),
    h('fieldset', { class: 'field', dataset: { field: 'lane' } },
      h('legend', { text: 'Lane' }),
      h('div', { class: 'lane-options' },
        choice('', 'The lane both asked for', 'Referral when both posts are open to either lane: the lighter commitment.', true),
        choice('referral', lanes.referral.title, lanes.referral.text, false),
        choice('strategic', lanes.strategic.title, lanes.strategic.text, false)),
      h('p', { class: 'field-error', hidden: true })),
    field({ label: 'A note for both', name: 'note', kind: 'textarea', hint: 'Why you think they would work well together; it goes in the email to both.', attrs: { rows: 3, maxlength: 1000 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Offer the partnership' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!bothPicked(form, a, b)) return;
    const lane = form.elements.lane.value;
    try {
      const o = await busy(form.querySelector('button[type=submit]'), 'Offering…',
        () => api.post('/api/v1/offers', { post_a: a.value(), post_b: b.value(), lane: lane || undefined, note: form.elements.note.value || undefined }, { auth: 'host' }));
      toast(`Offered: a ${o.lane} partnership. It starts once both accept.`);
      ctx.navigate(location.pathname, { replace: true });
    } catch (err) { showErrors(form, err, { post_a: 'First post', post_b: 'Second post', lane: 'Lane', note: 'A note for both' }); }
  });
  return h('section', { class: 'start-partnership', 'aria-labelledby': 'start-title' },
    h('h2', { id: 'start-title', text: 'Offer a partnership' }),
    h('details', { class: 'card' }, h('summary', { text: 'Pair two posts as partners' }), form));
}
