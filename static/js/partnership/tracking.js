// Tracking links of a referral partnership: the referring member's link to
// share (/r/{code}), where it leads, and each link's clicks, sign-ups,
// sales and commission by quarter, as a table and a chart; and, for the
// side that receives the referrals, how its site reports them.

import { h, field, formError, showErrors, clearErrors, formValues, busy, userText, toast } from '../dom.js';
import * as api from '../api.js';
import { lineChart } from '../chart.js';
import { formatMoney } from '../money.js';
import { sideName, section, once } from './common.js';

// trackingSection draws the links of l (the referral page's ledger state)
// from links, the answer of GET …/links.
export function trackingSection(l, links) {
  const { p } = l;
  const mine = p.you ? links.find((x) => x.referrer === p.you) : null;
  const theirs = links.filter((x) => x !== mine);
  return section('tracking', 'Tracking links',
    h('p', { class: 'muted', text: 'A referrer shares a link; each click, sign-up and sale that comes through it is counted here, and the seller’s site reports sales to the ledger by itself.' }),
    p.you && l.open ? myLink(l, mine) : null,
    links.map((x) => linkFigures(p, x)),
    p.you && theirs.length ? reportHelp(theirs) : null,
    !links.length && !p.you ? h('p', { class: 'muted', text: 'Neither side has made a link yet.' }) : null);
}

// myLink shows the member's own link, with a form to make it or change
// where it leads.
function myLink(l, link) {
  const form = h('form', { class: 'stack link-form', novalidate: true },
    formError(),
    field({ label: `Where it leads: ${sideName(l.p, l.p.you === 'a' ? 'b' : 'a')}’s page`, name: 'landing_url', type: 'url', required: true, value: link ? link.landing_url : '',
      hint: 'An address starting with https://, on their site.', attrs: { autocomplete: 'off', maxlength: 2000 } }),
    field({ label: 'Days a visitor counts as yours', name: 'attribution_days', type: 'number', value: String(link ? link.attribution_days : 90),
      hint: 'Their site remembers the visitor this long (90 is usual).', attrs: { min: 1, max: 365, inputmode: 'numeric' } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: link ? 'Save' : 'Make my link' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const body = { landing_url: v.landing_url.trim(), attribution_days: Number(v.attribution_days) || undefined };
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…', () => once(form, (key) => l.write('PUT', '/links/mine', body, key)));
      await l.refresh('tracking', link ? 'Saved: your link leads there now.' : 'Your link is ready: share it.');
    } catch (err) { showErrors(form, err, { landing_url: 'Where it leads', attribution_days: 'Days a visitor counts as yours' }); }
  });
  const copy = link ? h('button', {
    type: 'button', class: 'secondary small', text: 'Copy',
    on: {
      click: async () => {
        try { await navigator.clipboard.writeText(link.url); toast('Copied.'); } catch { toast('Select the link and copy it.'); }
      },
    },
  }) : null;
  return h('div', { class: 'card my-link' },
    link ? [h('p', { class: 'eyebrow', text: 'Your link' }),
      h('p', { class: 'link-line' }, userText('code', link.url, { class: 'link-url' }), ' ', copy)] : null,
    link ? h('details', { class: 'add-form' }, h('summary', { text: 'Change where it leads' }), form) : form);
}

// linkFigures shows one link's quarters as a table, and as a chart once
// there are two.
function linkFigures(p, link) {
  const qs = link.quarters || [];
  const commission = (q) => Object.entries(q.commission || {}).map(([c, v]) => formatMoney(v, c)).join(', ') || '—';
  const labels = qs.map((q) => q.quarter);
  const chart = qs.length > 1 ? lineChart({
    caption: `${sideName(p, link.referrer)}’s link by quarter`,
    summary: `Clicks, sign-ups and sales by quarter: ${qs.map((q) => `${q.quarter} ${q.clicks} / ${q.leads} / ${q.won}`).join(', ')}.`,
    labels, series: [
      { label: 'Clicks', values: qs.map((q) => q.clicks) },
      { label: 'Sign-ups', values: qs.map((q) => q.leads) },
      { label: 'Sales', values: qs.map((q) => q.won) }],
  }) : null;
  return h('div', { class: 'link-figures', dataset: { link: link.code } },
    h('h3', {}, userText('span', sideName(p, link.referrer)), '’s link'),
    h('p', { class: 'muted' }, 'Leads to ', userText('span', link.landing_url), `; visitors count for ${link.attribution_days} days.`),
    qs.length ? [chart, h('div', { class: 'table-wrap' }, h('table', { class: 'data link-table' },
      h('caption', { class: 'visually-hidden', text: 'The link’s figures by quarter' }),
      h('thead', {}, h('tr', {}, ['Quarter', 'Clicks', 'Sign-ups', 'Sales', 'Commission'].map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null, text: t })))),
      h('tbody', {}, qs.map((q) => h('tr', {},
        h('th', { scope: 'row', text: q.quarter }),
        h('td', { class: 'num', text: String(q.clicks) }),
        h('td', { class: 'num', text: String(q.leads) }),
        h('td', { class: 'num', text: String(q.won) }),
        h('td', { class: 'num', text: commission(q) }))))))]
      : h('p', { class: 'muted', text: 'No clicks yet.' }));
}

// reportHelp tells the side that receives referrals how its site keeps
// the visitor's mm_ref and reports the sale.
function reportHelp(links) {
  const code = links[0].code;
  const snippet = `<script>
  // On every page: keep the partner's code for the days it counts.
  const q = new URLSearchParams(location.search);
  if (q.get('mm_ref')) document.cookie = 'mm_ref=' + q.get('mm_ref') + '; max-age=' + 86400 * (q.get('mm_days') || 90) + '; path=/; SameSite=Lax';
</script>`;
  const call = `curl -X POST ${location.origin}/api/v1/conversions \\
  -H "Authorization: Bearer $MATCHMAKER_KEY" -H "Idempotency-Key: order-1042" \\
  -d '{"mm_ref":"${code}","external_id":"order-1042","status":"won","sale":{"amount":120000,"currency":"USD"}}'`;
  return h('details', { class: 'report-help' },
    h('summary', { text: 'Report sign-ups and sales from your site' }),
    h('p', {}, 'Keep the code a visitor arrives with, then send it with each sign-up (status lead), sale (won, with the amount in cents) or refund (refunded), from your server, with a personal API key. The same order sent twice counts once.'),
    h('pre', { class: 'code' }, h('code', { text: snippet })),
    h('pre', { class: 'code' }, h('code', { text: call })));
}

