// Partnerships: the strategic quarter boards and the referral ledgers. Their
// API is being built; this page is their place in the app until then.

import { h, replace } from '../dom.js';

export async function render(view) {
  replace(view,
    h('h1', { tabindex: '-1', text: 'Partnerships' }),
    h('div', { class: 'notice' },
      h('p', { text: 'Partnerships are coming to Matchmaker soon.' }),
      h('p', { text: 'Once you and a partner accept an introduction and start working together, you will run the partnership here, in its lane: '
        + 'strategic partners on a quarter board with shared goals, deliverables and reviews; referral partners in a ledger of referrals, commissions and payouts.' })),
    h('p', {}, 'Meanwhile, see ', h('a', { href: '/app/introductions', text: 'your introductions' }), '.'));
  return 'Partnerships';
}
