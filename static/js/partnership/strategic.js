// The strategic lane: a quarter board. Each quarter has shared goals
// (metric, target, at least or at most, an owner), deliverables with due
// days, what each side signs up to, and each side's review; its returns
// are its results against its goals, charted quarter by quarter.

import { h, replace, field, formError, showErrors, clearErrors, formValues, busy, userText, badge, empty,
  formatDateTime, percent, stat } from '../dom.js';
import * as api from '../api.js';
import { lineChart } from '../chart.js';
import {
  sideName, ownerName, actorName, ownerOptions, quarterPattern, quarterEnd, today, formatDay, quarterTools,
  actionButton, confirmStep, once, section, refresher, stars, disclosure,
} from './common.js';

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });
const num = (v) => (v === null || v === undefined ? '—' : numberFormat.format(v));
const directions = [['at_least', 'At least the target (more is better)'], ['at_most', 'At most the target (less is better, like costs)']];
const ratingWords = ['', 'poor', 'weak', 'fair', 'good', 'excellent'];

// target says a goal's target in words: "at least 10 clients".
function target(g) {
  return `${g.direction === 'at_most' ? 'at most' : 'at least'} ${num(g.target)}${g.unit ? ` ${g.unit}` : ''}`;
}

export async function render(box, env) {
  const { p, ctx, who, readOnly } = env;
  const asked = (ctx.query.get('quarter') || '').toUpperCase();
  const quarter = quarterPattern.test(asked) ? asked : api.currentQuarter();
  const base = `/api/v1/partnerships/${p.id}`;
  const state = { quarters: [], plan: null };
  const load = async () => {
    const [all, one] = await Promise.all([
      api.get(`${base}/quarters`, { auth: who.auth, signal: ctx.signal }),
      api.get(`${base}/quarters/${quarter}`, { auth: who.auth, signal: ctx.signal }),
    ]);
    state.quarters = all.quarters || [];
    state.plan = one;
  };
  // Plans change, and are signed, while the partnership is active; results
  // and reviews are recorded whatever its status.
  const board = {
    p, who, quarter, base, state, href: (q) => quarterHref(ctx, q),
    canPlan: !readOnly && p.status === 'active',
    canRecord: !readOnly,
    write: (method, path, body, key) => api.send(method, `${base}/quarters/${quarter}${path}`, { auth: who.auth, body, key }),
    refresh: refresher(box, () => load(), () => draw()),
  };
  const draw = () => replace(box,
    quarterSection(board, ctx),
    p.status !== 'active' && !readOnly ? h('p', { class: 'notice' },
      p.status === 'paused'
        ? 'The partnership is paused: its plan takes no changes (nor signatures) until it resumes. Results and reviews can still be recorded.'
        : 'The partnership has ended: its plan takes no changes. Results and reviews can still be recorded.') : null,
    goalsSection(board),
    deliverablesSection(board),
    expectationsSection(board),
    reviewsSection(board),
    historySection(board),
    trendSection(board));
  await load();
  draw();
}

function quarterHref(ctx, q) {
  const params = new URLSearchParams(ctx.url.search);
  params.set('quarter', q);
  return `${location.pathname}?${params}`;
}

function quarterSection(board, ctx) {
  const { quarter, state, p } = board;
  const r = state.plan.returns;
  return section('quarter', `Quarter board · ${quarter}`,
    quarterTools({ chosen: quarter, hrefFor: (q) => quarterHref(ctx, q), navigate: ctx.navigate, id: 'open-quarter',
      more: state.quarters.map((q) => q.quarter) }),
    h('h3', { class: 'returns-title', text: `Returns of ${quarter}` }),
    h('dl', { class: 'stats returns' },
      stat('Goals met', r.goals_measured ? `${r.goals_met} of ${r.goals_measured}` : '—',
        r.goals === 0 ? 'no goals planned' : r.goals_measured < r.goals ? `${r.goals - r.goals_measured} of ${r.goals} not measured yet` : `${r.goals} measured`),
      stat('Deliverables done', r.deliverables ? `${r.deliverables_done} of ${r.deliverables}` : '—',
        r.deliverables_overdue ? `${r.deliverables_overdue} overdue` : r.deliverables ? 'none overdue' : 'none planned'),
      stat(`${sideName(p, 'a')} rates it`, r.rating_a ? `${r.rating_a} / 5` : '—', r.rating_a ? ratingWords[r.rating_a] : 'not reviewed yet'),
      stat(`${sideName(p, 'b')} rates it`, r.rating_b ? `${r.rating_b} / 5` : '—', r.rating_b ? ratingWords[r.rating_b] : 'not reviewed yet')),
    (r.review_missing || []).length ? h('p', { class: 'notice warn', role: 'status' },
      `The quarter is over and ${r.review_missing.map((s) => sideName(p, s)).join(' and ')} ${r.review_missing.length === 1 ? 'has' : 'have'} not reviewed it yet.`) : null);
}

// --- goals ---

function goalsSection(board) {
  const { plan } = board.state;
  const goals = plan.goals;
  return section('goals', 'Goals',
    h('p', { class: 'hint', text: 'Shared goals for the quarter: what you count, the target, and who owns it. Record the actual value when you know it, or with your review.' }),
    goals.length ? h('ul', { class: 'item-list goals' }, goals.map((g) => goalItem(board, g)))
      : empty(`No goals for ${board.quarter} yet.`, ...(board.canPlan ? ['Add the first one below.'] : [])),
    board.canPlan ? disclosure(`Add a goal for ${board.quarter}`, goalForm(board, null), { open: goals.length === 0, className: 'add-form' }) : null);
}

function goalItem(board, g) {
  const progress = (board.state.plan.returns.progress || {})[g.id];
  const measured = g.actual !== null && g.actual !== undefined;
  const state = !measured ? badge('Not measured yet', 'muted') : g.met ? badge('Met', 'good') : badge('Not met', 'attention');
  return h('li', { class: 'card goal', dataset: { goal: g.id, met: measured ? String(g.met) : '' } },
    h('div', { class: 'card-head' }, userText('h3', g.title, { class: 'card-title' }), state),
    h('dl', { class: 'facts' },
      h('dt', { text: 'Metric' }), h('dd', {}, userText('span', g.metric)),
      h('dt', { text: 'Target' }), h('dd', {}, userText('span', target(g))),
      h('dt', { text: 'Actual' }), h('dd', { class: 'goal-actual' }, measured ? userText('span', `${num(g.actual)}${g.unit ? ` ${g.unit}` : ''}`) : h('span', { class: 'muted', text: 'not recorded yet' }),
        progress !== undefined ? h('meter', { min: 0, max: 2, low: 0.999, high: 1, optimum: 2, value: progress, 'aria-label': `${percent(progress)} of the target` }) : null),
      h('dt', { text: 'Owner' }), h('dd', {}, userText('span', ownerName(board.p, g.owner)))),
    board.canRecord || board.canPlan ? h('div', { class: 'item-actions' },
      board.canRecord ? disclosure(measured ? 'Change the actual' : 'Record the actual', actualForm(board, g)) : null,
      board.canPlan ? disclosure('Edit', goalForm(board, g)) : null,
      board.canPlan ? confirmStep({
        label: 'Delete', question: 'Delete this goal?', yes: 'Yes, delete', no: 'Keep it', busyLabel: 'Deleting…',
        work: async () => { await board.write('DELETE', `/goals/${g.id}`); await board.refresh('goals', 'Goal deleted.'); },
      }) : null) : null);
}

function goalForm(board, g) {
  const { p } = board;
  const form = h('form', { class: 'stack goal-form', novalidate: true },
    formError(),
    field({ label: 'Title', name: 'title', required: true, value: g ? g.title : '', hint: 'The goal in a few words, e.g. “Launch the joint onboarding package”.', attrs: { maxlength: 200 } }),
    field({ label: 'Metric', name: 'metric', required: true, value: g ? g.metric : '', hint: 'What you count, e.g. “clients signed to the package”.', attrs: { maxlength: 200 } }),
    h('div', { class: 'field-row' },
      field({ label: 'Target', name: 'target', type: 'number', required: true, value: g ? String(g.target) : '', attrs: { step: 'any', inputmode: 'decimal' } }),
      field({ label: 'Unit', name: 'unit', value: g ? g.unit : '', hint: 'e.g. clients, EUR, %', attrs: { maxlength: 40 } })),
    h('div', { class: 'field-row' },
      field({ label: 'Direction', name: 'direction', kind: 'select', options: directions, value: g ? g.direction : 'at_least' }),
      field({ label: 'Owner', name: 'owner', kind: 'select', options: ownerOptions(p), value: g ? g.owner : 'both', hint: 'Who is responsible for it.' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: g ? 'secondary' : 'primary', text: g ? 'Save the goal' : 'Add the goal' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const fields = {};
    if (!v.title) fields.title = 'is required';
    if (!v.metric) fields.metric = 'is required';
    if (v.target === '' || !Number.isFinite(Number(v.target))) fields.target = 'is required: a number';
    if (Object.keys(fields).length) { showErrors(form, { fields }); return; }
    const body = { title: v.title, metric: v.metric, target: Number(v.target), unit: v.unit, direction: v.direction, owner: v.owner };
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…',
        () => once(form, (key) => (g ? board.write('PATCH', `/goals/${g.id}`, body, key) : board.write('POST', '/goals', body, key))));
      await board.refresh('goals', g ? 'Goal saved.' : 'Goal added.');
    } catch (err) { showErrors(form, err); }
  });
  return form;
}

function actualForm(board, g) {
  const measured = g.actual !== null && g.actual !== undefined;
  const form = h('form', { class: 'stack actual-form', novalidate: true },
    formError(),
    field({ label: `Actual ${g.metric}`, name: 'actual', type: 'number', required: true, value: measured ? String(g.actual) : '', hint: `Target: ${target(g)}.`, attrs: { step: 'any', inputmode: 'decimal' } }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary small', text: 'Save the actual' }),
      measured ? actionButton('Clear it', 'Clearing…', async () => {
        await board.write('PATCH', `/goals/${g.id}`, { clear_actual: true });
        await board.refresh('goals', 'Actual cleared.');
      }) : null));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const { actual } = formValues(form);
    if (actual === '' || !Number.isFinite(Number(actual))) { showErrors(form, { fields: { actual: 'is required: a number' } }); return; }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…', () => board.write('PATCH', `/goals/${g.id}`, { actual: Number(actual) }));
      await board.refresh('goals', 'Actual recorded.');
    } catch (err) { showErrors(form, err); }
  });
  return form;
}

// --- deliverables ---

function deliverablesSection(board) {
  const list = board.state.plan.deliverables;
  return section('deliverables', 'Deliverables',
    h('p', { class: 'hint', text: 'What each side promised to deliver this quarter, and by when.' }),
    list.length ? h('ul', { class: 'item-list deliverables' }, list.map((d) => deliverableItem(board, d)))
      : empty(`No deliverables for ${board.quarter} yet.`, ...(board.canPlan ? ['Add one below.'] : [])),
    board.canPlan ? disclosure(`Add a deliverable for ${board.quarter}`, deliverableForm(board, null), { open: list.length === 0, className: 'add-form' }) : null);
}

function deliverableItem(board, d) {
  const overdue = !d.done && d.due_on < today();
  const state = d.done ? badge(`Done ${formatDay(d.done_on)}`, 'good') : overdue ? badge('Overdue', 'attention') : badge(`Due ${formatDay(d.due_on)}`, 'muted');
  return h('li', { class: ['card', 'deliverable', overdue && 'overdue', d.done && 'done'], dataset: { deliverable: d.id, done: String(d.done), overdue: String(overdue) } },
    h('div', { class: 'card-head' }, userText('h3', d.what, { class: 'card-title' }), state),
    h('p', { class: 'meta' },
      h('span', { class: 'meta-item' }, 'Owner: ', userText('span', ownerName(board.p, d.owner))),
      h('span', { class: 'meta-item', text: `Due ${formatDay(d.due_on)}` })),
    board.canRecord || board.canPlan ? h('div', { class: 'item-actions' },
      board.canRecord ? actionButton(d.done ? 'Mark not done' : 'Mark done', 'Saving…', async () => {
        await board.write('PATCH', `/deliverables/${d.id}`, { done: !d.done });
        await board.refresh('deliverables', d.done ? 'Marked not done.' : 'Marked done.');
      }, { kind: d.done ? 'secondary small' : 'primary small' }) : null,
      board.canPlan ? disclosure('Edit', deliverableForm(board, d)) : null,
      board.canPlan ? confirmStep({
        label: 'Delete', question: 'Delete this deliverable?', yes: 'Yes, delete', no: 'Keep it', busyLabel: 'Deleting…',
        work: async () => { await board.write('DELETE', `/deliverables/${d.id}`); await board.refresh('deliverables', 'Deliverable deleted.'); },
      }) : null) : null);
}

function deliverableForm(board, d) {
  const form = h('form', { class: 'stack deliverable-form', novalidate: true },
    formError(),
    field({ label: 'What', name: 'what', kind: 'textarea', required: true, value: d ? d.what : '', hint: 'What will be delivered, e.g. “A co-branded landing page”.', attrs: { rows: 2, maxlength: 500 } }),
    h('div', { class: 'field-row' },
      field({ label: 'Owner', name: 'owner', kind: 'select', options: ownerOptions(board.p), value: d ? d.owner : 'both' }),
      field({ label: 'Due on', name: 'due_on', type: 'date', required: true, value: d ? d.due_on : quarterEnd(board.quarter) })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: d ? 'secondary' : 'primary', text: d ? 'Save the deliverable' : 'Add the deliverable' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const fields = {};
    if (!v.what) fields.what = 'is required';
    if (!v.due_on) fields.due_on = 'is required: a date';
    if (Object.keys(fields).length) { showErrors(form, { fields }); return; }
    const body = { what: v.what, owner: v.owner, due_on: v.due_on };
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…',
        () => once(form, (key) => (d ? board.write('PATCH', `/deliverables/${d.id}`, body, key) : board.write('POST', '/deliverables', body, key))));
      await board.refresh('deliverables', d ? 'Deliverable saved.' : 'Deliverable added.');
    } catch (err) { showErrors(form, err); }
  });
  return form;
}

// --- expectations ---

function expectationsSection(board) {
  const { p, who } = board;
  const all = board.state.plan.expectations;
  const column = (side) => {
    const mine = all.filter((e) => e.side === side);
    return h('div', { class: ['side', 'expectations', p.you === side && 'you'], dataset: { side } },
      userText('h3', p.you === side ? `${sideName(p, side)} (you)` : sideName(p, side)),
      mine.length ? h('ul', { class: 'expectation-list' }, mine.map((e) => h('li', { dataset: { expectation: e.id, signed: String(e.signed) } },
        userText('p', e.text),
        e.signed ? badge(`Signed ${formatDateTime(e.signed_at)}`, 'good') : badge(p.you === side ? 'Waiting for your signature' : `Waiting for ${sideName(p, side)} to sign`, 'attention'),
        board.canPlan && !e.signed && who.auth === 'member' && p.you === side ? actionButton('Sign up to it', 'Signing…', async () => {
          await board.write('POST', `/expectations/${e.id}/sign`);
          await board.refresh('expectations', 'Signed.');
        }, { kind: 'primary small' }) : null)))
        : h('p', { class: 'muted', text: 'Nothing yet.' }));
  };
  return section('expectations', 'What each side signs up to',
    h('p', { class: 'hint', text: 'Each side writes what it commits to this quarter; writing it signs it. The host may write one for a side, which that side then signs.' }),
    h('div', { class: 'pair' }, column('a'), column('b')),
    board.canPlan && (who.auth === 'host' || p.you) ? disclosure(who.auth === 'host' ? 'Write an expectation for a side' : 'Add what you sign up to', expectationForm(board)) : null);
}

function expectationForm(board) {
  const host = board.who.auth === 'host';
  const form = h('form', { class: 'stack expectation-form', novalidate: true },
    formError(),
    host ? field({ label: 'For', name: 'side', kind: 'select', options: ownerOptions(board.p, { both: false }), hint: 'That side signs it in the app.' }) : null,
    field({ label: host ? 'Expectation' : 'What you sign up to', name: 'text', kind: 'textarea', required: true, hint: host ? null : 'Adding it signs it for your side.', attrs: { rows: 2, maxlength: 500 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: host ? 'Add it for them to sign' : 'Sign up to it' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    if (!v.text) { showErrors(form, { fields: { text: 'is required' } }); return; }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…', () => once(form, (key) => board.write('POST', '/expectations', host ? { text: v.text, side: v.side } : { text: v.text }, key)));
      await board.refresh('expectations', host ? 'Added: it waits for their signature.' : 'Added and signed.');
    } catch (err) { showErrors(form, err); }
  });
  return form;
}

// --- reviews ---

function reviewsSection(board) {
  const { p, who } = board;
  const { reviews, goals } = board.state.plan;
  const card = (side) => {
    const r = reviews.find((x) => x.side === side);
    return h('article', { class: ['card', 'review', p.you === side && 'you'], dataset: { side, reviewed: String(Boolean(r)) } },
      userText('h3', `${sideName(p, side)}${p.you === side ? ' (you)' : ''}`, { class: 'card-title' }),
      r ? [
        h('p', {}, stars(r.rating), ' ', h('span', { class: 'muted', text: ratingWords[r.rating] })),
        h('dl', { class: 'facts' },
          h('dt', { text: 'Delivered' }), h('dd', {}, r.delivered ? userText('span', r.delivered) : h('span', { class: 'muted', text: '—' })),
          h('dt', { text: 'Notes' }), h('dd', {}, r.notes ? userText('span', r.notes) : h('span', { class: 'muted', text: '—' }))),
        h('p', { class: 'muted small', text: `Reviewed ${formatDateTime(r.submitted_at)}` }),
      ] : h('p', { class: 'muted', text: 'Not reviewed yet.' }));
  };
  const mine = p.you ? reviews.find((x) => x.side === p.you) : null;
  return section('reviews', `Reviews of ${board.quarter}`,
    h('p', { class: 'hint', text: 'Each side reviews the quarter: a rating from 1 to 5, what was delivered, notes, and each goal’s actual value.' }),
    h('div', { class: 'pair reviews' }, card('a'), card('b')),
    board.canRecord && who.auth === 'member' && p.you
      ? disclosure(mine ? 'Change your review' : `Review ${board.quarter}`, reviewForm(board, mine, goals), { open: !mine, className: 'review-disclosure' })
      : who.auth === 'host' ? h('p', { class: 'muted', text: 'Each side writes its own review; you read them here.' }) : null);
}

function reviewForm(board, mine, goals) {
  const form = h('form', { class: 'stack review-form', novalidate: true },
    formError(),
    h('fieldset', { class: 'field rating-field', dataset: { field: 'rating' } },
      h('legend', { text: 'Your rating of the quarter' }),
      h('div', { class: 'rating-options' }, [1, 2, 3, 4, 5].map((n) => h('div', { class: 'radio' },
        h('input', { type: 'radio', name: 'rating', id: `rating-${n}`, value: String(n), checked: mine && mine.rating === n }),
        h('label', { for: `rating-${n}`, text: `${n} – ${ratingWords[n]}` })))),
      h('p', { class: 'field-error', hidden: true })),
    field({ label: 'What you delivered', name: 'delivered', kind: 'textarea', value: mine ? mine.delivered : '', attrs: { rows: 3, maxlength: 2000 } }),
    field({ label: 'Notes', name: 'notes', kind: 'textarea', value: mine ? mine.notes : '', hint: 'What went well, what to change next quarter.', attrs: { rows: 3, maxlength: 2000 } }),
    goals.length ? h('fieldset', { class: 'field actuals' },
      h('legend', { text: 'Actual results' }),
      h('p', { class: 'hint', text: 'Leave a goal empty if you do not know its result yet.' }),
      goals.map((g) => field({
        label: g.title, name: `actual-${g.id}`, type: 'number', value: g.actual === null || g.actual === undefined ? '' : String(g.actual),
        hint: `${g.metric}: ${target(g)}`, attrs: { step: 'any', inputmode: 'decimal' },
      }))) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Save my review' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const fields = {};
    if (!v.rating) fields.rating = 'choose a rating from 1 to 5';
    const actuals = [];
    for (const g of goals) {
      const raw = v[`actual-${g.id}`];
      if (raw === '' || raw === undefined) continue;
      if (!Number.isFinite(Number(raw))) fields[`actual-${g.id}`] = 'must be a number';
      else actuals.push({ goal_id: g.id, actual: Number(raw) });
    }
    if (Object.keys(fields).length) { showErrors(form, { fields }); return; }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…',
        () => board.write('PUT', '/review', { rating: Number(v.rating), delivered: v.delivered, notes: v.notes, actuals }));
      await board.refresh('reviews', 'Review saved.');
    } catch (err) { showErrors(form, err, { rating: 'Your rating' }); }
  });
  return form;
}

// --- the plan's history ---

const fieldNames = {
  title: 'title', metric: 'metric', target: 'target', unit: 'unit', direction: 'direction', owner: 'owner', actual: 'result',
  what: 'what', due_on: 'due day', done_on: 'done on',
};

// change says one changed field in words: "target 40 → 25".
function change(p, c) {
  const say = (v) => {
    if (v === '') return '—';
    if (c.field === 'owner') return ownerName(p, v);
    if (c.field === 'direction') return v === 'at_most' ? 'at most' : 'at least';
    if (c.field === 'due_on' || c.field === 'done_on') return formatDay(v);
    return v;
  };
  return `${fieldNames[c.field] || c.field} ${say(c.from)} → ${say(c.to)}`;
}

const actionWords = {
  added: 'added', changed: 'changed', result: 'recorded the result of', done: 'marked', removed: 'removed',
};

// historySection lists every change to the quarter's goals and
// deliverables, newest first: a plan both sides work to does not change
// under one of them unseen.
function historySection(board) {
  const { p } = board;
  const edits = [...(board.state.plan.history || [])].reverse();
  if (!edits.length) return null;
  const line = (e) => {
    let what = `${actorName(p, e.actor)} ${actionWords[e.action] || e.action} the ${e.item} “${e.title}”`;
    if (e.action === 'done') what += e.changes.some((c) => c.field === 'done_on' && c.to) ? ' done' : ' not done';
    return what + '.';
  };
  return section('plan-history', `Plan history · ${edits.length} ${edits.length === 1 ? 'change' : 'changes'}`,
    disclosure('Every change to this quarter’s plan', h('ol', { class: 'history plan-history' }, edits.map((e) => h('li', { class: `plan-edit plan-edit-${e.action}`, dataset: { item: `${e.item}-${e.item_id}` } },
      h('time', { datetime: e.at, class: 'muted', text: formatDateTime(e.at) }),
      userText('p', line(e), { class: 'event-text' }),
      e.changes.length && e.action !== 'done' ? h('ul', { class: 'plan-changes' }, e.changes.map((c) => userText('li', change(p, c)))) : null)))));
}

// --- returns by quarter ---

function trendSection(board) {
  const { p } = board;
  const rows = board.state.quarters.map((q) => {
    const r = q.returns;
    const ratings = [r.rating_a, r.rating_b].filter(Boolean);
    return {
      quarter: q.quarter, r,
      met: r.goals_measured ? Math.round((r.goals_met / r.goals_measured) * 100) : null,
      rating: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    };
  });
  const content = [];
  if (!rows.some((x) => x.met !== null || x.rating !== null)) {
    content.push(h('p', { class: 'muted', text: 'The chart fills in once a quarter has measured goals or reviews.' }));
  } else {
    const fmtRating = (v) => (v === null ? 'no reviews' : `${(Math.round(v * 10) / 10).toString()} of 5`);
    content.push(lineChart({
      caption: 'Share of measured goals met (left, %) and the average rating of both sides (right, 1–5), by quarter',
      summary: `Returns by quarter: ${rows.map((x) => `${x.quarter}: ${x.met === null ? 'no goals measured' : `${x.met}% of goals met`}, rating ${fmtRating(x.rating)}`).join('; ')}.`,
      labels: rows.map((x) => x.quarter), unit: '%',
      series: [{ label: 'Goals met', values: rows.map((x) => x.met) }, { label: 'Average rating', values: rows.map((x) => x.rating), axis: 'right' }],
      right: { max: 5 },
    }));
  }
  if (rows.length) {
    content.push(h('div', { class: 'table-wrap' }, h('table', { class: 'data returns-table' },
      h('caption', { class: 'visually-hidden', text: 'Returns by quarter' }),
      h('thead', {}, h('tr', {}, ['Quarter', 'Goals met', 'Deliverables done', 'Overdue', `${sideName(p, 'a')}’s rating`, `${sideName(p, 'b')}’s rating`]
        .map((t) => h('th', { scope: 'col', dir: 'auto', text: t })))),
      h('tbody', {}, rows.map((x) => h('tr', { dataset: { quarter: x.quarter } },
        h('th', { scope: 'row' }, h('a', { href: board.href(x.quarter), text: x.quarter })),
        h('td', { class: 'num', text: x.r.goals_measured ? `${x.r.goals_met} of ${x.r.goals_measured} (${x.met}%)` : '—' }),
        h('td', { class: 'num', text: x.r.deliverables ? `${x.r.deliverables_done} of ${x.r.deliverables}` : '—' }),
        h('td', { class: 'num', text: String(x.r.deliverables_overdue || 0) }),
        h('td', { class: 'num', text: x.r.rating_a ? `${x.r.rating_a} / 5` : '—' }),
        h('td', { class: 'num', text: x.r.rating_b ? `${x.r.rating_b} / 5` : '—' })))))));
  }
  return section('trend', 'Returns by quarter', content);
}
