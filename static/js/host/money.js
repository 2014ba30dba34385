// Host: money. The referral program's money across its partnerships:
// what commissions were earned and reversed, and how much is pending,
// due and paid, in each currency, for a quarter or all time; each
// partnership's part, worst-owed first; a CSV for the books.

import { h, replace, empty, userText, stat, saveFile } from '../dom.js';
import * as api from '../api.js';
import { formatMoney } from '../money.js';
import { actionButton, section } from '../partnership/common.js';

const cols = [['earned', 'Earned'], ['reversed', 'Reversed'], ['net', 'Net'], ['pending', 'Pending'], ['due', 'Due'], ['paid', 'Paid']];

export async function render(view, ctx) {
  const quarter = new URLSearchParams(location.search).get('quarter') || '';
  const res = await api.get(`/api/v1/money${api.query({ quarter })}`, { auth: 'host', signal: ctx.signal });
  const lines = res.partnerships || [];
  const sums = res.sums || [];
  // The quarters to choose from: those with money, and the one shown.
  const all = [...(res.periods || [])];
  if (quarter && !all.includes(quarter)) all.push(quarter);
  const period = h('select', { id: 'money-period', name: 'quarter' },
    h('option', { value: '', selected: !quarter, text: 'All time' }),
    all.sort().reverse().map((q) => h('option', { value: q, selected: q === quarter, text: q })));
  period.addEventListener('change', () => ctx.navigate(`/app/host/money${period.value ? `?quarter=${period.value}` : ''}`));
  const status = h('p', { class: 'hint csv-status', role: 'status' });
  const csv = actionButton('Download CSV', 'Preparing…', async () => {
    const name = saveFile(await api.file(`/api/v1/money${api.query({ quarter, format: 'csv' })}`, { auth: 'host' }), `referral-money${quarter ? `-${quarter}` : ''}.csv`);
    status.textContent = `Saved ${name}.`;
  }, { kind: 'secondary small csv-button' });

  replace(view,
    h('h1', { tabindex: '-1', text: 'Money' }),
    h('p', { class: 'lead', text: 'Commissions across the referral partnerships: earned, reversed, and how much is pending (waiting for the paying side to confirm), due and paid. Amounts add up: earned + reversed = net = pending + due + paid.' }),
    h('div', { class: 'list-tools' },
      h('div', { class: 'field' }, h('label', { for: 'money-period', text: 'Period' }), period),
      h('div', { class: 'csv' }, csv, status)));
  if (lines.length === 0) {
    view.append(empty(quarter ? `No commissions in ${quarter}.` : 'No commissions yet.', 'Money shows here once a referral partnership’s lead is won.'));
    return 'Money';
  }
  view.append(
    section('sums', quarter ? `The program, ${quarter}` : 'The program, all time',
      sums.map((s) => h('dl', { class: 'stats money-sums', dataset: { currency: s.currency } },
        stat(`Due (${s.currency})`, formatMoney(s.due, s.currency), 'confirmed, not yet paid', s.due ? 'bad' : null),
        stat(`Pending (${s.currency})`, formatMoney(s.pending, s.currency), 'waiting for confirmation'),
        stat(`Paid (${s.currency})`, formatMoney(s.paid, s.currency)),
        stat(`Net (${s.currency})`, formatMoney(s.net, s.currency), `earned ${formatMoney(s.earned, s.currency)}, reversed ${formatMoney(s.reversed, s.currency)}`)))),
    section('partnerships', 'By partnership',
      h('div', { class: 'table-wrap' }, h('table', { class: 'data money-table' },
        h('caption', { class: 'visually-hidden', text: `Each partnership's commissions, ${quarter || 'all time'}` }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Who owes whom' }), cols.map(([, t]) => h('th', { scope: 'col', class: 'num', text: t })))),
        h('tbody', {}, byDue(lines).flatMap(({ partnership: p, totals }) => totals.map((t) => h('tr', { dataset: { partnership: p.id, currency: t.currency } },
          h('th', { scope: 'row' },
            h('a', { href: `/app/partnerships/${p.id}` }, userText('span', party(p, t.payer)), ' → ', userText('span', party(p, t.payee))),
            h('span', { class: 'muted', text: ` (${t.currency})` })),
          cols.map(([k]) => h('td', { class: ['num', `total-${k}`], dataset: { minor: String(t[k]) }, text: formatMoney(t[k], t.currency) }))))))))));
  return 'Money';
}

function party(p, side) { return side === 'a' ? p.a.business : p.b.business; }

// byDue puts the partnerships that owe the most first (due, then pending),
// in any currency: what the host chases first.
function byDue(lines) {
  const owed = (l) => (l.totals || []).reduce((n, t) => n + t.due * 1e6 + t.pending, 0);
  return [...lines].sort((x, y) => owed(y) - owed(x));
}
