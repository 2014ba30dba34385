// The referral lane: terms, referrals, the commission ledger, payouts and
// statements. Money is integer minor units with a currency, typed and
// shown as decimals (money.js). Each action shows only to whom the API
// allows it: the receiving side says how a lead went, the side an entry
// costs confirms it, the side that pays records the payout.

import { h, replace, field, formError, showErrors, clearErrors, formValues, busy, userText, badge, empty, toast,
  formatDate, formatDateTime, saveFile } from '../dom.js';
import * as api from '../api.js';
import { lineChart } from '../chart.js';
import { trackingSection } from './tracking.js';
import { parseMoney, readMoney, formatMoney, money, decimal, majorUnits, minorDigits, validCurrency } from '../money.js';
import {
  sideName, ownerOptions, today, formatDay, actionButton, confirmStep, once, section, refresher, disclosure, inlineError,
} from './common.js';

const entryStatusNames = { pending: 'Pending', due: 'Due', paid: 'Paid' };
const referralStatusNames = { submitted: 'Submitted', qualified: 'Qualified', won: 'Won', lost: 'Lost' };
const other = (side) => (side === 'a' ? 'b' : 'a');

export async function render(box, env) {
  const { p, ctx, who, readOnly } = env;
  const base = `/api/v1/partnerships/${p.id}`;
  const read = (path) => api.get(`${base}${path}`, { auth: who.auth, signal: ctx.signal });
  const state = { period: '' };
  const readPeriod = () => (state.period ? read(`/statement?quarter=${state.period}`) : null);
  const load = async () => {
    const [terms, referrals, ledger, statement, period, links] = await Promise.all([
      read('/terms'), read('/referrals'), read('/ledger'), read('/statement'), readPeriod(), read('/links'),
    ]);
    state.links = links.links || [];
    state.terms = terms.terms || [];
    state.referrals = referrals.referrals || [];
    state.entries = ledger.entries || [];
    state.payouts = ledger.payouts || [];
    state.statement = statement;
    state.periodStatement = period || statement;
  };
  const ledger = {
    p, who, base, state, readOnly,
    open: !readOnly && p.status === 'active',
    reload: env.reload,
    write: (method, path, body, key) => api.send(method, `${base}${path}`, { auth: who.auth, body, key }),
    refresh: refresher(box, () => load(), () => draw()),
    // showPeriod reads only the statement of the period chosen.
    showPeriod: refresher(box, async () => { state.periodStatement = (await readPeriod()) || state.statement; }, () => draw()),
    currency: () => (state.terms[0] && state.terms[0].currency) || '',
    lead: (id) => (state.referrals.find((r) => r.id === id) || {}).lead_name,
  };
  const draw = () => replace(box,
    p.status !== 'active' && !readOnly ? h('p', { class: 'notice' },
      p.status === 'paused'
        ? 'The partnership is paused: no new terms or referrals until it resumes. What is owed can still be confirmed and paid.'
        : 'The partnership has ended: no new terms or referrals. What is owed can still be confirmed and paid.') : null,
    termsSection(ledger),
    referralsSection(ledger),
    trackingSection(ledger, state.links),
    ledgerSection(ledger),
    payoutsSection(ledger),
    totalsSection(ledger),
    trendSection(ledger));
  await load();
  draw();
}

// --- terms ---

export function termsText(p, t) {
  const what = t.kind === 'percent' ? `${t.percent}% of each won sale` : `${money(t.flat_fee)} per won sale`;
  const when = t.recurring_months > 0 ? `, every month for ${t.recurring_months} ${t.recurring_months === 1 ? 'month' : 'months'}` : ', paid once';
  const payer = t.payer === 'both' ? 'Each side pays for the leads it receives.'
    : `${sideName(p, t.payer)} pays for the leads it receives; ${sideName(p, other(t.payer))} pays nothing.`;
  return `${what}${when}. ${payer}`;
}

function termsSection(l) {
  const { p, state } = l;
  const [current, ...older] = state.terms;
  return section('terms', 'Terms',
    current ? h('div', { class: 'card terms-current', dataset: { terms: current.id } },
      h('p', { class: 'eyebrow', text: 'In force' }),
      userText('p', termsText(p, current), { class: 'terms-text' }),
      h('p', { class: 'muted small', text: `Since ${formatDateTime(current.effective_at)}, set by ${current.set_by === 'host' ? 'the host' : sideName(p, current.set_by)}.` }))
      : empty('No terms yet.', 'Agree on terms before a referral is won: its commission is worked out from the terms in force when it is won.'),
    older.length ? disclosure(`Earlier terms (${older.length})`, h('ol', { class: 'terms-history' }, older.map((t) => h('li', {},
      userText('span', termsText(p, t)), ' ', h('span', { class: 'muted', text: `(from ${formatDateTime(t.effective_at)})` }))))) : null,
    l.open ? disclosure(current ? 'Propose new terms' : 'Propose the terms', termsForm(l, current), { open: !current, className: 'add-form terms-disclosure' }) : null);
}

function termsForm(l, current) {
  const { p } = l;
  const kind = current ? current.kind : 'percent';
  const radio = (value, label, hint) => h('div', { class: 'radio' },
    h('input', { type: 'radio', name: 'kind', id: `terms-kind-${value}`, value, checked: kind === value }),
    h('label', { for: `terms-kind-${value}` }, label, h('span', { class: 'muted', text: ` — ${hint}` })));
  const percentField = field({ label: 'Percent of each sale', name: 'percent', value: current && current.percent ? current.percent : '', required: true,
    hint: 'Like 10 or 12.5 (at most two decimals).', attrs: { inputmode: 'decimal', maxlength: 6, autocomplete: 'off' } });
  const feeField = field({ label: 'Fee per won sale', name: 'flat_fee', value: current && current.flat_fee ? decimal(current.flat_fee.amount, current.flat_fee.currency) : '', required: true,
    hint: 'An amount like 250.00, in the currency below.', attrs: { inputmode: 'decimal', maxlength: 20, autocomplete: 'off' } });
  const form = h('form', { class: 'stack terms-form', novalidate: true },
    formError(),
    h('fieldset', { class: 'field', dataset: { field: 'kind' } },
      h('legend', { text: 'Commission' }),
      radio('percent', 'A share of each sale', 'a percentage of what the lead buys'),
      radio('flat', 'A flat fee', 'a fixed amount per won sale'),
      h('p', { class: 'field-error', hidden: true })),
    percentField, feeField,
    h('div', { class: 'field-row' },
      currencyField(l.currency() || (current && current.currency) || ''),
      field({ label: 'Months it recurs', name: 'recurring_months', type: 'number', value: String(current ? current.recurring_months : 0),
        hint: '0: once per won sale. 12: the commission comes every month for 12 months.', attrs: { min: 0, max: 60, inputmode: 'numeric' } })),
    field({ label: 'Who pays', name: 'payer', kind: 'select', value: current ? current.payer : 'both', hint: 'The side that receives a lead pays for it.',
      options: [['both', 'Both sides, each for the leads it receives'], ['a', `Only ${sideName(p, 'a')}, for the leads it receives`], ['b', `Only ${sideName(p, 'b')}, for the leads it receives`]] }),
    h('p', { class: 'hint', text: 'New terms apply to referrals won from now on; earlier wins keep the terms they were won under. Every version is kept.' }),
    h('p', { class: 'hint', text: `They take effect once ${l.who.auth === 'host' ? 'both sides accept' : `${sideName(p, other(p.you))} accepts`}.` }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Propose these terms' })));
  const sync = () => {
    const flat = form.elements.kind.value === 'flat';
    percentField.hidden = flat;
    feeField.hidden = !flat;
  };
  form.addEventListener('change', (ev) => { if (ev.target.name === 'kind') sync(); });
  sync();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const currency = v.currency.toUpperCase();
    let fields = {};
    const body = { kind: v.kind, payer: v.payer, recurring_months: Number(v.recurring_months || 0) };
    if (v.kind === 'flat') {
      const fee = readMoney(v.flat_fee, currency, 'flat_fee');
      fields = fee.fields || {};
      body.flat_fee = fee.money;
    } else {
      if (!validCurrency(currency)) fields.currency = 'must be a three-letter code such as USD or EUR';
      if (!v.percent) fields.percent = 'is required, like 10 or 12.5';
      body.percent = v.percent.replace(',', '.').replace(/%$/, '').trim();
      body.currency = currency;
    }
    if (Object.keys(fields).length) { showErrors(form, { fields }); return; }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Proposing…', () => once(form, (key) => l.write('POST', '/proposals', { kind: 'terms', terms: body }, key)));
      toast('Proposed. The terms take effect once accepted.');
      l.reload();
    } catch (err) {
      showErrors(form, rename(err, { 'flat_fee.amount': 'flat_fee', 'flat_fee.currency': 'currency' }), { recurring_months: 'Months it recurs' });
    }
  });
  return form;
}

function currencyField(value, name = 'currency') {
  return field({ label: 'Currency', name, value, required: true, hint: 'Three letters, like USD, EUR, JPY.',
    attrs: { maxlength: 3, autocomplete: 'off', spellcheck: 'false', class: 'currency-input', autocapitalize: 'characters' } });
}

// rename moves the API's field names onto the form's.
function rename(err, names) {
  if (!err || !err.fields) return err;
  const fields = {};
  for (const [k, v] of Object.entries(err.fields)) fields[names[k] || k] = v;
  return { status: err.status, code: err.code, message: err.message, fields };
}

// --- referrals ---

function referralsSection(l) {
  const { p, who, state } = l;
  const list = state.referrals;
  const to = p.you ? other(p.you) : null;
  return section('referrals', 'Referrals',
    h('p', { class: 'hint', text: 'Leads passed between you. The side that receives a lead says how it went; a win records its commission under the terms in force.' }),
    l.open ? disclosure(who.auth === 'host' ? 'Record a lead' : `Pass a lead to ${sideName(p, to)}`, referralForm(l), { className: 'add-form referral-disclosure' }) : null,
    list.length ? h('ul', { class: 'item-list referrals' }, list.map((r) => referralItem(l, r)))
      : empty('No referrals yet.', ...(who.auth === 'member' && l.open ? ['Pass your partner a lead above.'] : [])));
}

function referralForm(l) {
  const { p, who } = l;
  const host = who.auth === 'host';
  const form = h('form', { class: 'stack referral-form', novalidate: true },
    formError(),
    host ? field({ label: 'Referred by', name: 'from', kind: 'select', options: ownerOptions(p, { both: false }) }) : null,
    field({ label: 'Lead’s name', name: 'lead_name', required: true, hint: 'The person you are introducing.', attrs: { maxlength: 200, autocomplete: 'off' } }),
    field({ label: 'Company', name: 'company', attrs: { maxlength: 200, autocomplete: 'off' } }),
    field({ label: 'Note', name: 'note', kind: 'textarea', hint: host ? null : 'What they need, and anything your partner should know. Your partner is emailed about the lead.', attrs: { rows: 2, maxlength: 2000 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: host ? 'Record the lead' : 'Pass the lead' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    if (!v.lead_name) { showErrors(form, { fields: { lead_name: 'is required' } }); return; }
    const body = { lead_name: v.lead_name, company: v.company, note: v.note };
    if (host) body.from = v.from;
    try {
      await busy(form.querySelector('button[type=submit]'), 'Passing…', () => once(form, (key) => l.write('POST', '/referrals', body, key)));
      await l.refresh('referrals', host ? 'Lead recorded.' : 'Lead passed: your partner is emailed.');
    } catch (err) { showErrors(form, err, { lead_name: 'Lead’s name', from: 'Referred by' }); }
  });
  return form;
}

function referralItem(l, r) {
  const { p, who } = l;
  const receiver = other(r.from);
  const mayDecide = !l.readOnly && (who.auth === 'host' || p.you === receiver) && (r.status === 'submitted' || r.status === 'qualified');
  const kind = { won: 'good', lost: 'muted', qualified: 'status-approved' }[r.status] || 'wait';
  const actions = h('div', { class: 'item-actions' });
  if (mayDecide) {
    if (r.status === 'submitted') {
      actions.append(actionButton('Mark qualified', 'Saving…', async () => {
        await l.write('PATCH', `/referrals/${r.id}`, { status: 'qualified' });
        await l.refresh('referrals', 'Marked qualified.');
      }));
    }
    actions.append(
      disclosure('Mark won…', wonForm(l, r), { className: 'won-disclosure' }),
      confirmStep({
        label: 'Mark lost', question: 'Lost for good?', yes: 'Yes, lost', no: 'Cancel', kind: 'secondary small', busyLabel: 'Saving…',
        work: async () => { await l.write('PATCH', `/referrals/${r.id}`, { status: 'lost' }); await l.refresh('referrals', 'Marked lost.'); },
      }));
  } else if (r.status === 'submitted' || r.status === 'qualified') {
    actions.append(h('p', { class: 'muted', text: p.you === r.from ? `Waiting for ${sideName(p, receiver)} to say how it went.` : `${sideName(p, receiver)} says how it went.` }));
  }
  return h('li', { class: 'card referral', dataset: { referral: r.id, status: r.status } },
    h('div', { class: 'card-head' },
      h('h3', { class: 'card-title' }, userText('span', r.lead_name), r.company ? [h('span', { class: 'muted', text: ' · ' }), userText('span', r.company)] : null),
      badge(referralStatusNames[r.status] || r.status, kind)),
    h('p', { class: 'meta' },
      h('span', { class: 'meta-item' }, userText('span', sideName(p, r.from)), ' → ', userText('span', sideName(p, receiver))),
      h('span', { class: 'meta-item', text: `Passed ${formatDate(r.created_at)}` }),
      r.decided_at ? h('span', { class: 'meta-item', text: `${referralStatusNames[r.status]} ${formatDate(r.decided_at)}` }) : null),
    r.note ? userText('p', r.note, { class: 'referral-note' }) : null,
    r.sale ? h('p', { class: 'sale' }, 'Sale: ', h('strong', { class: 'amount', text: money(r.sale) })) : null,
    actions.childNodes.length ? actions : null);
}

function wonForm(l, r) {
  const form = h('form', { class: 'stack won-form', novalidate: true },
    formError(),
    h('div', { class: 'field-row' },
      field({ label: 'Sale amount', name: 'sale', required: true, hint: 'What the lead bought, like 1250.00.', attrs: { inputmode: 'decimal', maxlength: 20, autocomplete: 'off' } }),
      currencyField(l.currency())),
    l.state.terms.length ? h('p', { class: 'hint', text: `Under the terms in force: ${termsText(l.p, l.state.terms[0])}` })
      : h('p', { class: 'hint warn-text', text: 'There are no terms yet: agree on terms first, so the commission can be worked out.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Record the win' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const sale = readMoney(v.sale, v.currency, 'sale');
    if (sale.fields) { showErrors(form, { fields: sale.fields }); return; }
    try {
      const res = await busy(form.querySelector('button[type=submit]'), 'Saving…',
        () => l.write('PATCH', `/referrals/${r.id}`, { status: 'won', sale: sale.money }));
      const c = (res && res.commissions) || [];
      const total = c.reduce((sum, e) => sum + e.amount.amount, 0);
      await l.refresh('ledger', c.length ? `Won: a commission of ${formatMoney(total, c[0].amount.currency)} is in the ledger.` : 'Won: no commission is owed under the terms.');
    } catch (err) { showErrors(form, rename(err, { 'sale.amount': 'sale', 'sale.currency': 'currency' })); }
  });
  return form;
}

// --- the ledger ---

function entryTitle(l, e) {
  const lead = e.referral_id ? l.lead(e.referral_id) : '';
  switch (e.kind) {
    case 'commission': return lead ? `Commission on ${lead}` : 'Commission';
    case 'reversal': return `Reversal of entry #${e.reverses_id}`;
    case 'correction': return lead ? `Correction for ${lead}` : 'Correction';
  }
  return e.kind;
}

function ledgerSection(l) {
  const { state } = l;
  return section('ledger', 'Ledger',
    h('p', { class: 'hint', text: 'Every commission, reversal and correction. An entry is pending until the side it costs confirms it; then it is due, and paid once a payout settles it. Nothing is edited or deleted: refunds and fixes are new entries.' }),
    state.entries.length ? h('ul', { class: 'item-list ledger' }, [...state.entries].reverse().map((e) => entryItem(l, e)))
      : empty('No entries yet.', 'A won referral records its commission here.'),
    !l.readOnly ? disclosure('Add a correction', correctionForm(l), { className: 'add-form correction-disclosure' }) : null);
}

function entryItem(l, e) {
  const { p, who } = l;
  const amount = e.amount.amount;
  const owes = amount >= 0
    ? [userText('span', sideName(p, e.payer)), ' owes ', userText('span', sideName(p, e.payee))]
    : ['Lowers what ', userText('span', sideName(p, e.payer)), ' owes ', userText('span', sideName(p, e.payee))];
  const actions = h('div', { class: 'item-actions' });
  if (!l.readOnly && e.status === 'pending') {
    if (who.auth === 'host' || p.you === e.confirmer) {
      actions.append(actionButton('Confirm', 'Confirming…', async () => {
        await l.write('POST', `/ledger/${e.id}/confirm`);
        await l.refresh('ledger', 'Confirmed: the entry is due.');
      }, { kind: 'primary small' }),
      h('span', { class: 'hint', text: p.you === e.confirmer ? 'Confirming says you agree you owe it: it becomes due.' : `Confirms it for ${sideName(p, e.confirmer)}.` }));
    } else {
      actions.append(h('p', { class: 'muted', text: `Waiting for ${sideName(p, e.confirmer)} to confirm.` }));
    }
  }
  if (!l.readOnly && e.kind !== 'reversal') actions.append(disclosure('Reverse…', reverseForm(l, e), { className: 'reverse-disclosure' }));
  return h('li', { class: ['card', 'entry', `entry-${e.status}`], dataset: { entry: e.id, status: e.status, kind: e.kind, confirmer: e.confirmer } },
    h('div', { class: 'entry-head' },
      h('div', { class: 'entry-what' },
        h('h3', { class: 'card-title' }, userText('span', entryTitle(l, e)), h('span', { class: 'muted entry-id', text: ` #${e.id}` })),
        h('p', { class: 'meta' }, h('span', { class: 'meta-item' }, owes), h('span', { class: 'meta-item', text: formatDay(e.accrues_on) }),
          h('span', { class: 'meta-item', text: e.quarter }))),
      h('div', { class: 'entry-money' },
        h('span', { class: ['amount', amount < 0 && 'negative'], dataset: { minor: String(amount), currency: e.amount.currency }, text: formatMoney(amount, e.amount.currency) }),
        badge(entryStatusNames[e.status] || e.status, `entry-${e.status}`))),
    e.reason ? userText('p', e.reason, { class: 'entry-reason muted' }) : null,
    e.payout_id ? h('p', { class: 'muted small', text: `Settled by payout #${e.payout_id}.` }) : null,
    actions.childNodes.length ? actions : null);
}

function reverseForm(l, e) {
  const currency = e.amount.currency;
  const form = h('form', { class: 'stack reverse-form', novalidate: true },
    formError(),
    field({ label: 'Reason', name: 'reason', kind: 'textarea', required: true, hint: 'For example: the client was refunded. Kept with the entry.', attrs: { rows: 2, maxlength: 500 } }),
    field({ label: `Amount to take back (${currency})`, name: 'amount', hint: `Leave empty to take back all that remains of ${formatMoney(e.amount.amount, currency)}.`, attrs: { inputmode: 'decimal', maxlength: 20, autocomplete: 'off' } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', text: 'Reverse it' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const fields = {};
    if (!v.reason || v.reason.length < 3) fields.reason = 'say in a few words why';
    const body = { reason: v.reason };
    if (v.amount) {
      const part = parseMoney(v.amount.replace(/^-/, ''), currency);
      if (part.error) fields.amount = part.error;
      else body.amount = e.amount.amount < 0 ? -part.amount : part.amount; // in the entry's sign
    }
    if (Object.keys(fields).length) { showErrors(form, { fields }); return; }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Reversing…', () => once(form, (key) => l.write('POST', `/ledger/${e.id}/reverse`, body, key)));
      await l.refresh('ledger', 'Reversed: the reversal waits for confirmation.');
    } catch (err) { showErrors(form, err); }
  });
  return form;
}

function correctionForm(l) {
  const { p, state } = l;
  const form = h('form', { class: 'stack correction-form', novalidate: true },
    formError(),
    field({ label: 'Who owes', name: 'payer', kind: 'select', options: [['a', `${sideName(p, 'a')} owes ${sideName(p, 'b')}`], ['b', `${sideName(p, 'b')} owes ${sideName(p, 'a')}`]] }),
    h('div', { class: 'field-row' },
      field({ label: 'Amount', name: 'amount', required: true, hint: 'Negative to lower what is owed, like -20.00.', attrs: { inputmode: 'decimal', maxlength: 21, autocomplete: 'off' } }),
      currencyField(l.currency())),
    state.referrals.length ? field({ label: 'Referral', name: 'referral_id', kind: 'select', value: '',
      options: [['', 'None'], ...state.referrals.map((r) => [String(r.id), r.company ? `${r.lead_name} (${r.company})` : r.lead_name])] }) : null,
    field({ label: 'Reason', name: 'reason', kind: 'textarea', required: true, attrs: { rows: 2, maxlength: 500 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Add the correction' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const amount = readMoney(v.amount, v.currency, 'amount', { signed: true });
    const fields = { ...amount.fields };
    if (!v.reason || v.reason.length < 3) fields.reason = 'say in a few words why';
    if (Object.keys(fields).length) { showErrors(form, { fields }); return; }
    const body = { payer: v.payer, amount: amount.money, reason: v.reason };
    if (v.referral_id) body.referral_id = Number(v.referral_id);
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…', () => once(form, (key) => l.write('POST', '/ledger', body, key)));
      await l.refresh('ledger', 'Correction added: it waits for confirmation.');
    } catch (err) { showErrors(form, rename(err, { 'amount.amount': 'amount', 'amount.currency': 'currency' })); }
  });
  return form;
}

// --- payouts ---

// payingSide is who pays an entry: the payer, or for money owed back, the
// payee.
const payingSide = (e) => (e.amount.amount < 0 ? e.payee : e.payer);

function payoutsSection(l) {
  const { p, who, state } = l;
  const payable = state.entries.filter((e) => e.status === 'due' && (who.auth === 'host' || payingSide(e) === p.you));
  return section('payouts', 'Payouts',
    h('p', { class: 'hint', text: 'A payout settles due entries, one direction and one currency at a time. The side that pays records it.' }),
    state.payouts.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data payouts' },
      h('caption', { class: 'visually-hidden', text: 'Payouts made' }),
      h('thead', {}, h('tr', {}, ['Paid on', 'From', 'To', 'Amount', 'Reference', 'Entries'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, state.payouts.map((x) => h('tr', { dataset: { payout: x.id } },
        h('td', { text: formatDay(x.paid_on) }),
        h('td', {}, userText('span', sideName(p, payingSide(x)))),
        h('td', {}, userText('span', sideName(p, other(payingSide(x))))),
        h('td', { class: 'num amount', text: formatMoney(Math.abs(x.amount.amount), x.amount.currency) }),
        h('td', {}, userText('span', x.reference)),
        h('td', { text: (x.entry_ids || []).map((id) => `#${id}`).join(', ') }))))))
      : h('p', { class: 'muted', text: 'No payouts yet.' }),
    l.readOnly ? null : payable.length
      ? disclosure('Record a payout', payoutForm(l, payable), { open: true, className: 'add-form payout-disclosure' })
      : h('p', { class: 'muted', text: who.auth === 'host' ? 'Nothing is due.' : 'Nothing is due for you to pay. An entry becomes due once the side it costs confirms it.' }));
}

function payoutForm(l, payable) {
  const { p } = l;
  const form = h('form', { class: 'stack payout-form', novalidate: true },
    formError(),
    h('fieldset', { class: 'field', dataset: { field: 'entry_ids' } },
      h('legend', { text: 'Due entries it settles' }),
      payable.map((e) => h('div', { class: 'radio' },
        h('input', { type: 'checkbox', name: 'entry', id: `payout-entry-${e.id}`, value: String(e.id), checked: payable.length === 1 }),
        h('label', { for: `payout-entry-${e.id}` },
          h('strong', { text: formatMoney(Math.abs(e.amount.amount), e.amount.currency) }), ' · ', userText('span', entryTitle(l, e)), ' · ',
          userText('span', sideName(p, payingSide(e))), ' → ', userText('span', sideName(p, other(payingSide(e))))))),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field-row' },
      field({ label: 'Paid on', name: 'paid_on', type: 'date', required: true, value: today() }),
      field({ label: 'Reference', name: 'reference', required: true, hint: 'A transfer or invoice number, so both can find it.', attrs: { maxlength: 200, autocomplete: 'off' } })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Record the payout' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const ids = [...form.querySelectorAll('input[name=entry]:checked')].map((c) => Number(c.value));
    const fields = {};
    if (!ids.length) fields.entry_ids = 'choose at least one due entry';
    if (!v.paid_on) fields.paid_on = 'is required: a date';
    if (!v.reference) fields.reference = 'is required';
    if (Object.keys(fields).length) { showErrors(form, { fields }, { entry_ids: 'Due entries it settles' }); return; }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Recording…', () => once(form, (key) => l.write('POST', '/payouts', { entry_ids: ids, paid_on: v.paid_on, reference: v.reference }, key)));
      await l.refresh('payouts', 'Payout recorded: the entries are paid.');
    } catch (err) { showErrors(form, err, { entry_ids: 'Due entries it settles' }); }
  });
  return form;
}

// --- totals, the statement and its CSV ---

function totalsSection(l) {
  const { p, who, state } = l;
  const st = state.periodStatement;
  const quarters = (state.statement.quarters || []).map((q) => q.quarter);
  const periodSelect = h('select', { id: 'statement-period', name: 'period' },
    h('option', { value: '', selected: !state.period, text: 'All time' }),
    quarters.map((q) => h('option', { value: q, selected: state.period === q, text: q })));
  periodSelect.addEventListener('change', async () => {
    state.period = periodSelect.value;
    try {
      await l.showPeriod('totals');
    } catch (err) {
      if (err.name !== 'AbortError') inlineError(periodSelect.parentElement, err);
    }
  });
  const csvPath = `${l.base}/statement?format=csv${state.period ? `&quarter=${state.period}` : ''}`;
  const status = h('p', { class: 'hint csv-status', role: 'status' });
  const csv = who.auth === 'member'
    // The session cookie goes with a plain link.
    ? h('a', { href: csvPath, download: '', class: 'button secondary small csv-link', text: 'Download CSV' })
    // The host's token lives in this tab: fetch the file with it and save
    // it from memory.
    : actionButton('Download CSV', 'Preparing…', async () => {
      const name = saveFile(await api.file(csvPath, { auth: 'host' }), `partnership-${p.id}-statement.csv`);
      status.textContent = `Saved ${name}.`;
    }, { kind: 'secondary small csv-button' });
  const totals = st.totals || [];
  const cols = [['earned', 'Earned'], ['reversed', 'Reversed'], ['net', 'Net'], ['pending', 'Pending'], ['due', 'Due'], ['paid', 'Paid']];
  return section('totals', 'Totals',
    h('div', { class: 'list-tools' },
      h('div', { class: 'field' }, h('label', { for: 'statement-period', text: 'Period' }), periodSelect),
      h('div', { class: 'csv' }, csv, status)),
    totals.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data totals' },
      h('caption', { class: 'visually-hidden', text: `Totals, ${state.period || 'all time'}` }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Who owes whom' }), cols.map(([, t]) => h('th', { scope: 'col', class: 'num', text: t })))),
      h('tbody', {}, totals.map((t) => h('tr', { dataset: { payer: t.payer, currency: t.currency } },
        h('th', { scope: 'row' }, userText('span', sideName(p, t.payer)), ' → ', userText('span', sideName(p, t.payee)), h('span', { class: 'muted', text: ` (${t.currency})` })),
        cols.map(([k]) => h('td', { class: ['num', `total-${k}`], dataset: { minor: String(t[k]) }, text: formatMoney(t[k], t.currency) })))))))
      : empty(state.period ? `Nothing in ${state.period}.` : 'No commissions yet.', 'Totals show once a referral is won.'),
    h('p', { class: 'hint' }, 'Earned + reversed = net = pending + due + paid. ', st.rounding_rule || ''));
}

function trendSection(l) {
  const { p, state } = l;
  const quarters = state.statement.quarters || [];
  const all = quarters.flatMap((q) => q.totals);
  if (!all.length) return section('trend', 'Commissions by quarter', h('p', { class: 'muted', text: 'The chart fills in once a commission is recorded.' }));
  // One currency per chart: the one with the most money recorded.
  const weight = {};
  for (const t of all) weight[t.currency] = (weight[t.currency] || 0) + Math.abs(t.earned);
  const currency = Object.keys(weight).sort((a, b) => weight[b] - weight[a])[0];
  const payers = [...new Set(all.filter((t) => t.currency === currency).map((t) => t.payer))].sort();
  const labels = quarters.map((q) => q.quarter);
  const net = (q, payer) => {
    const t = q.totals.find((x) => x.currency === currency && x.payer === payer);
    return t ? t.net : 0;
  };
  const series = payers.map((payer) => ({
    label: `${sideName(p, other(payer))} earns`, payer,
    values: quarters.map((q) => majorUnits(net(q, payer), currency)),
  }));
  const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: minorDigits(currency) });
  return section('trend', 'Commissions by quarter',
    lineChart({
      caption: `Net commission by quarter, in ${currency}, by who earns it`,
      summary: `Net commission in ${currency} by quarter: ${series.map((s) => `${s.label}: ${labels.map((q, i) => `${q} ${number.format(s.values[i])}`).join(', ')}`).join('; ')}.`,
      labels, series, format: (v) => number.format(v),
    }),
    Object.keys(weight).length > 1 ? h('p', { class: 'hint', text: `The chart shows ${currency}; the table below has every currency.` }) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data trend-table' },
      h('caption', { class: 'visually-hidden', text: 'Net commission by quarter' }),
      h('thead', {}, h('tr', {}, ['Quarter', 'Who owes whom', 'Net', 'Paid'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, quarters.flatMap((q) => q.totals.map((t) => h('tr', {},
        h('th', { scope: 'row', text: q.quarter }),
        h('td', {}, userText('span', sideName(p, t.payer)), ' → ', userText('span', sideName(p, t.payee))),
        h('td', { class: 'num', text: formatMoney(t.net, t.currency) }),
        h('td', { class: 'num', text: formatMoney(t.paid, t.currency) }))))))));
}
