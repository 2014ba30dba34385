// Offers: partnerships the host offers two members. One starts only when
// both accept; either may decline; the host may withdraw it. Members see
// the offers made to them with their answers; the host sees every open
// offer and whom it waits for.

import { h, userText, toast, formatDateTime } from '../dom.js';
import * as api from '../api.js';
import { lanes, laneBadge, sideName, actionButton, confirmStep } from './common.js';

// offersSection lists the open offers, or nothing when there are none.
export function offersSection(who, ctx, offers) {
  if (!offers.length) return null;
  const host = who.auth === 'host';
  const id = 'open-offers';
  return h('section', { class: 'offers', 'aria-labelledby': id },
    h('h2', { id, text: host ? 'Offers waiting for an answer' : 'Offered to you by the host' }),
    h('p', { class: 'hint', text: host
      ? 'A partnership you offer starts once both members accept it.'
      : 'The host thinks you would work well together. It starts once you both accept; declining is quiet and ends the offer.' }),
    h('ul', { class: 'card-list offer-list' }, offers.map((o) => offerCard(o, who, ctx))));
}

function offerCard(o, who, ctx) {
  const host = who.auth === 'host';
  const base = `/api/v1/offers/${o.id}`;
  const decide = (what, key, body) => api.post(`${base}/${what}`, body, { auth: who.auth, key });
  const reload = () => ctx.navigate(location.pathname, { replace: true });
  const other = o.you ? (o.you === 'a' ? 'b' : 'a') : null;
  const waiting = o.waiting_for.map((s) => sideName(o, s)).join(' and ');
  const actions = [];
  if (o.you && o.waiting_for.includes(o.you)) {
    actions.push(actionButton('Accept', 'Accepting…', async (key) => {
      const after = await decide('accept', key);
      if (after.partnership_id) {
        toast(`Accepted: your ${after.lane} partnership has started.`);
        ctx.navigate(`/app/partnerships/${after.partnership_id}`);
        return;
      }
      toast(`Accepted. It starts when ${sideName(o, other)} accepts too.`);
      reload();
    }, { kind: 'primary small' }));
    actions.push(confirmStep({
      label: 'Decline', question: 'Decline this offer?', yes: 'Yes, decline', no: 'Keep it', busyLabel: 'Declining…', kind: 'secondary small',
      work: async (key) => { await decide('decline', key); toast('Declined.'); reload(); },
    }));
  } else if (host) {
    actions.push(confirmStep({
      label: 'Withdraw', question: 'Withdraw this offer? Both members are told.', yes: 'Yes, withdraw', no: 'Keep it', busyLabel: 'Withdrawing…', kind: 'secondary small',
      work: async (key) => { await decide('withdraw', key); toast('Withdrawn.'); reload(); },
    }));
  }
  return h('li', { class: ['card', 'offer-card'], dataset: { offer: o.id } },
    h('div', { class: 'card-head' },
      h('h3', { class: 'card-title' }, host
        ? [userText('span', sideName(o, 'a')), ' and ', userText('span', sideName(o, 'b'))]
        : ['A partnership with ', userText('span', sideName(o, other))]),
      laneBadge(o.lane)),
    h('p', { class: 'muted', text: lanes[o.lane].text }),
    o.note ? h('blockquote', { class: 'offer-note' }, userText('span', o.note)) : null,
    h('p', { class: 'meta' },
      h('span', { class: 'meta-item offer-waiting', text: `Waiting for ${waiting}` }),
      h('span', { class: 'meta-item', text: `Offered ${formatDateTime(o.created_at)}` })),
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}
