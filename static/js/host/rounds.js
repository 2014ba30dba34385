// Host: rounds. Each quarter the host runs a round: the engine proposes
// partners for every live post; the host reviews the pairs with their
// reasons, approves, rejects, swaps or adds pairs, tells the matcher which
// pairs are a good fit or not, and introduces the approved ones (double
// opt-in: both must accept).

import { h, replace, field, formError, showErrors, clearErrors, formValues, empty, busy, toast, userText, badge,
  formatDate, formatDateTime, percent, errorMessage, stat, sleep } from '../dom.js';
import * as api from '../api.js';
import { postMeta, postDetails } from '../posts.js';
import { pairChips, strengthBadge, goodScore, strongScore } from '../match-view.js';
import { postPicker, bothPicked } from './picker.js';
import { lineChart } from '../chart.js';
import { fitChoice, reasonOf } from '../feedback.js';
import { confirmStep } from '../partnership/common.js';

const statusNames = { proposed: 'Proposed', approved: 'Approved', rejected: 'Rejected', introduced: 'Introduced' };
const statusOrder = ['proposed', 'approved', 'introduced', 'rejected'];
const pageSize = 25;
const pollEvery = 1000; // ms between looks at a round's progress

// searchText is what the filter of a round's pairs looks in.
function searchText(sg) {
  return [sg.a.post.business, sg.b.post.business, sg.a.post.email, sg.b.post.email, sg.note].join(' ').toLowerCase();
}

export async function render(view, ctx) {
  return ctx.params.quarter ? roundPage(view, ctx, ctx.params.quarter) : roundsPage(view, ctx);
}

// --- the list of rounds, and running one ---

async function roundsPage(view, ctx) {
  const res = await api.get('/api/v1/rounds', { auth: 'host', signal: ctx.signal });
  const rounds = res.rounds || [];
  replace(view,
    h('h1', { tabindex: '-1', text: 'Rounds' }),
    h('p', { class: 'lead', text: 'Run the quarter’s matchmaking: the engine proposes partners for every live post, spread fairly, and you review each pair before anyone is introduced.' }),
    runForm(ctx, rounds, res.running));
  if (rounds.length === 0) {
    view.append(empty('No rounds yet.', 'Run the first one above.'));
    return 'Rounds';
  }
  view.append(h('section', { 'aria-labelledby': 'rounds-title' },
    h('h2', { id: 'rounds-title', text: 'Rounds so far' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {},
        ['Quarter', 'Per post', ...statusOrder.map((s) => statusNames[s]), 'Last change'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rounds.map((r) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `/app/host/rounds/${r.quarter}`, text: r.quarter })),
        h('td', { class: 'num', text: String(r.per_post) }),
        statusOrder.map((s) => h('td', { class: 'num', text: String((r.counts || {})[s] || 0) })),
        h('td', { text: formatDateTime(r.updated_at) }))))))));
  view.append(await trend(rounds, ctx));
  return 'Rounds';
}

function runForm(ctx, rounds, running) {
  const form = h('form', { class: 'card run-round stack', novalidate: true },
    h('h2', { text: 'Run a round' }),
    formError(),
    h('div', { class: 'field-row' },
      field({ label: 'Quarter', name: 'quarter', value: api.currentQuarter(), required: true, hint: 'Like 2026-Q3. Posts of this quarter take part.', attrs: { maxlength: 7, spellcheck: 'false' } }),
      field({ label: 'Partners per post', name: 'per_post', type: 'number', value: '3', required: true, hint: 'At most this many suggestions for each post (1–20).', attrs: { min: 1, max: 20, inputmode: 'numeric' } })),
    h('p', { class: 'hint', text: 'Running a round again replaces its proposed pairs; approved, rejected and introduced ones are kept.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Run the round' })),
    h('div', { class: 'progress-box', hidden: true },
      h('progress', { 'aria-label': 'Computing the round' }),
      h('p', { class: 'progress-text', role: 'status' })));
  const button = form.querySelector('button[type=submit]');
  // follow shows a round's computation until it ends, then opens the round.
  const follow = async (round) => {
    const quarter = round.quarter;
    const again = rounds.some((r) => r.quarter === quarter);
    button.disabled = true;
    try {
      round = await followRound(ctx, form.querySelector('.progress-box'), round);
      if (!round) return; // the page was left
      form.querySelector('.progress-box').hidden = true;
      if (round.job && round.job.status === 'failed') {
        showErrors(form, { message: `The round for ${quarter} could not be computed: ${round.job.error || 'no reason given'}. Run it again.` }, {});
        return;
      }
      const proposed = (round.counts || {}).proposed || 0;
      toast(`${again ? 'Round run again' : 'Round run'}: ${proposed} ${proposed === 1 ? 'pair' : 'pairs'} to review.`);
      ctx.navigate(`/app/host/rounds/${quarter}`);
    } finally {
      button.disabled = false;
    }
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const perPost = Number(v.per_post);
    const quarter = v.quarter.toUpperCase();
    let round;
    try {
      round = await busy(button, 'Starting…',
        () => api.post('/api/v1/rounds', { quarter, per_post: Number.isFinite(perPost) && v.per_post !== '' ? perPost : undefined }, { auth: 'host' }));
    } catch (err) {
      showErrors(form, err, { quarter: 'Quarter', per_post: 'Partners per post' });
      return;
    }
    await follow(round);
  });
  if (running) follow(running);
  return form;
}

// followRound looks at a running round's job every second, drawing its
// progress in box, until the job ends; it returns the round then, or null
// when the page is left.
async function followRound(ctx, box, round) {
  while (round.job && round.job.status === 'running') {
    drawProgress(box, round);
    await sleep(pollEvery, ctx.signal);
    if (ctx.signal.aborted) return null;
    try {
      round = await api.get(`/api/v1/rounds/${round.quarter}`, { auth: 'host', signal: ctx.signal });
    } catch (err) {
      if (err.name === 'AbortError') return null;
      box.querySelector('.progress-text').textContent = `${errorMessage(err)} Still trying…`;
    }
  }
  return round;
}

// drawProgress shows how far a round's computation got: its phase, the
// share done and the time left as the server estimates it.
function drawProgress(box, round) {
  const job = round.job;
  const bar = box.querySelector('progress');
  box.hidden = false;
  if (job.total > 0) {
    bar.max = job.total;
    bar.value = job.done;
  } else {
    bar.removeAttribute('value');
  }
  const n = (x) => x.toLocaleString();
  const step = {
    matching: `Matching ${round.quarter}: ${n(job.done)} of ${n(job.total)} posts`,
    explaining: `Writing the reasons of ${n(job.total)} pairs: ${n(job.done)} done`,
    saving: `Saving ${n(job.total)} pairs`,
  }[job.phase] || `Computing ${round.quarter}`;
  const left = job.eta_seconds == null ? '' : job.eta_seconds < 90 ? `, about ${Math.max(job.eta_seconds, 1)} s left` : `, about ${Math.round(job.eta_seconds / 60)} min left`;
  box.querySelector('.progress-text').textContent = `${step}${left}. You can leave this page; the round goes on.`;
}

// trend charts how introductions went, round by round.
async function trend(rounds, ctx) {
  const ordered = [...rounds].sort((a, b) => a.quarter.localeCompare(b.quarter));
  const figures = await Promise.all(ordered.map((r) => api.get(`/api/v1/rounds/${r.quarter}/figures`, { auth: 'host', signal: ctx.signal }).catch(() => null)));
  const labels = ordered.map((r) => r.quarter);
  const pct = (x) => (x === null || x === undefined ? null : Math.round(x * 100));
  const section = h('section', { class: 'trend', 'aria-labelledby': 'trend-title' }, h('h2', { id: 'trend-title', text: 'How introductions went' }));
  if (!figures.some((f) => f && f.introductions > 0)) {
    section.append(h('p', { class: 'muted', text: 'Figures show here once a round’s pairs are introduced.' }));
    return section;
  }
  const rows = [
    ['Members who said yes', figures.map((f) => pct(f?.accept_rate))],
    ['Introductions both accepted', figures.map((f) => pct(f?.mutual_accept_rate))],
    ['Pairs who met', figures.map((f) => pct(f?.meeting_rate))],
  ];
  section.append(
    lineChart({
      caption: 'Share of introductions, by quarter',
      summary: `Chart of introduction rates by quarter: ${rows.map(([l, vs]) => `${l} ${vs.map((v) => (v === null ? 'no data' : `${v}%`)).join(', ')}`).join('; ')}.`,
      labels, unit: '%', series: rows.map(([label, values]) => ({ label, values })),
    }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Quarter' }), rows.map(([l]) => h('th', { scope: 'col', text: l })))),
      h('tbody', {}, labels.map((q, i) => h('tr', {}, h('th', { scope: 'row', text: q }),
        rows.map(([, vs]) => h('td', { class: 'num', text: vs[i] === null ? '—' : `${vs[i]}%` }))))))));
  return section;
}

// --- one round: figures and suggestions ---

// roundKeys is the round page's key listener while it is shown.
let roundKeys = null;

// narrowKeys are the round page's narrowing, kept in its address so that
// a narrowed list can be reloaded and shared; the server does the work.
const narrowKeys = ['q', 'lane', 'region', 'industry', 'min_score', 'rivals', 'sort'];

function narrowing(query) {
  const out = {};
  for (const k of narrowKeys) if (query.get(k)) out[k] = query.get(k);
  return out;
}

// narrowForm narrows and orders the round's pairs on the server: words
// anywhere in the two posts, the reasons or the note; a lane both accept;
// a region; an industry; a strength; strongest, weakest or newest first.
function narrowForm(ctx, quarter, status) {
  const now = narrowing(ctx.query);
  const text = (label, name, type = 'text') => field({ label, name, type, value: now[name] || '', markOptional: false, attrs: { maxlength: 200, autocomplete: 'off' } });
  const choice = (label, name, options) => field({ label, name, kind: 'select', value: now[name] || '', markOptional: false, options });
  const form = h('form', { class: 'narrow-form', role: 'search', 'aria-label': 'Narrow the pairs' },
    text('Words anywhere (reasons too)', 'q', 'search'),
    choice('Lane', 'lane', [['', 'Any'], ['strategic', 'Strategic'], ['referral', 'Referral']]),
    text('Region', 'region'),
    text('Industry', 'industry'),
    choice('Order', 'sort', [['', 'Strongest first'], ['weakest', 'Weakest first'], ['newest', 'Newest first']]),
    choice('Strength', 'min_score', [['', 'Any'], [String(goodScore), 'Good or strong'], [String(strongScore), 'Strong only']]),
    choice('Possible rivals', 'rivals', [['', 'Any pair'], ['only', 'Only pairs warned of'], ['hide', 'Leave them out']]),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', text: 'Narrow the list' }),
      Object.keys(now).length ? h('a', { href: `/app/host/rounds/${quarter}${status === 'proposed' ? '' : `?status=${status}`}`, text: 'Show every pair' }) : null));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const params = new URLSearchParams();
    if (status !== 'proposed') params.set('status', status);
    for (const k of narrowKeys) {
      const v = (form.elements[k].value || '').trim();
      if (v) params.set(k, v);
    }
    const q = params.toString();
    ctx.navigate(`/app/host/rounds/${quarter}${q ? `?${q}` : ''}`);
  });
  return form;
}

async function roundPage(view, ctx, quarter) {
  const status = ctx.query.get('status') ?? 'proposed';
  const noRound = () => {
    replace(view, h('h1', { tabindex: '-1', text: `No round for ${quarter}` }),
      h('p', {}, 'This quarter has no round yet. ', h('a', { href: '/app/host/rounds', text: 'Run one' }), '.'));
    return `Round ${quarter}`;
  };
  let round = await api.get(`/api/v1/rounds/${quarter}`, { auth: 'host', signal: ctx.signal }).catch((err) => {
    if (err.status === 404) return null;
    throw err;
  });
  if (!round) return noRound();
  // A round being computed: its progress, followed until it is done, when
  // the page draws itself again.
  if (round.job && round.job.status === 'running') {
    const box = h('div', { class: 'progress-box' }, h('progress', { 'aria-label': 'Computing the round' }), h('p', { class: 'progress-text', role: 'status' }));
    replace(view, h('h1', { tabindex: '-1', text: `Round ${quarter}` }), h('section', { class: 'card' }, box));
    followRound(ctx, box, round).then((done) => {
      if (done) roundPage(view, ctx, quarter).catch((err) => replace(view, h('p', { role: 'alert', text: errorMessage(err) })));
    });
    return `Round ${quarter}`;
  }
  if (!round.created_at) {
    // Its first computation failed: nothing was stored.
    replace(view, h('h1', { tabindex: '-1', text: `No round for ${quarter}` }),
      h('p', { role: 'alert' }, `Computing this round failed: ${round.job?.error || 'no reason given'}. `, h('a', { href: '/app/host/rounds', text: 'Run it again' }), '.'));
    return `Round ${quarter}`;
  }
  const [figures, list] = await Promise.all([
    api.get(`/api/v1/rounds/${quarter}/figures`, { auth: 'host', signal: ctx.signal }),
    api.get(`/api/v1/rounds/${quarter}/suggestions${api.query({ status, ...narrowing(ctx.query) })}`, { auth: 'host', signal: ctx.signal }),
  ]);
  // A thousand pairs take a while to read: the page is drawn in a task of
  // its own, so that the browser answers in between.
  await sleep(0, ctx.signal);
  const counts = { ...round.counts };
  // selected holds the pairs the host selected, by ID, for the bulk actions.
  const state = { quarter, counts, status, selected: new Set() };
  const suggestions = list.suggestions || [];

  const tabs = h('nav', { class: 'filter-tabs', 'aria-label': 'Suggestions by status' });
  const drawTabs = () => replace(tabs, h('ul', {}, [...statusOrder, ''].map((s) => h('li', {},
    h('a', { href: `/app/host/rounds/${quarter}${s === 'proposed' ? '' : `?status=${s}`}`, 'aria-current': s === status ? 'page' : null },
      s ? statusNames[s] : 'All', ' ', h('span', { class: 'count', text: String(s ? counts[s] || 0 : Object.values(counts).reduce((a, b) => a + b, 0)) }))))));
  state.changed = (from, to) => {
    if (from) counts[from] = Math.max(0, (counts[from] || 0) - 1);
    if (to) counts[to] = (counts[to] || 0) + 1;
    drawTabs();
    drawBulk();
  };
  drawTabs();

  // A pair's card is built when it is first shown, and only a page of
  // them is in the document at a time: a round of a large community has
  // a thousand pairs, and building every card at once held the browser
  // for seconds.
  const all = suggestions.map((sg) => ({ sg, card: null, text: searchText(sg) }));
  const cardOf = (x) => {
    x.card ??= suggestionCard(x.sg, state);
    return x.card;
  };
  // A pair's status: its card's, once drawn (actions change it there).
  const statusOf = (x) => (x.card ? x.card.dataset.status : x.sg.status);
  const cards = h('div', { class: 'card-list suggestions' });
  const filter = h('input', { type: 'search', id: 'suggestion-filter', autocomplete: 'off', 'aria-describedby': 'suggestion-filter-status' });
  const filterStatus = h('p', { id: 'suggestion-filter-status', class: 'hint', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true });
  let limit = pageSize;
  const hits = () => {
    const words = filter.value.trim().toLowerCase();
    return all.filter((x) => !words || x.text.includes(words));
  };
  const drawCards = () => {
    const found = hits();
    const shown = found.slice(0, limit);
    replace(cards, shown.map(cardOf));
    more.hidden = found.length <= shown.length;
    more.textContent = `Show ${Math.min(pageSize, found.length - shown.length)} more of ${found.length - shown.length}`;
    filterStatus.textContent = filter.value.trim()
      ? `${found.length} of ${all.length} ${all.length === 1 ? 'pair matches' : 'pairs match'}`
      : `${shown.length} of ${all.length} shown`;
    drawBulk();
  };
  filter.addEventListener('input', () => { limit = pageSize; drawCards(); });
  more.addEventListener('click', () => {
    const first = limit;
    limit += pageSize;
    drawCards();
    cards.children[first]?.querySelector('h3')?.setAttribute('tabindex', '-1');
    cards.children[first]?.querySelector('h3')?.focus();
  });
  // A pair made by hand or by a swap joins the list (after the card it
  // came from, or first).
  state.insert = (sg, after) => {
    const entry = { sg, card: suggestionCard(sg, state), text: searchText(sg) };
    const at = after ? all.findIndex((x) => x.card === after) + 1 : 0;
    all.splice(at, 0, entry);
    limit += 1;
    drawCards();
    return entry.card;
  };

  // Keys for a host who reviews quickly: j and k move to the next and the
  // previous pair, a approves the pair in focus, r rejects it. Typing in
  // a field is left alone; the keys go with the page.
  const onKey = (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.target.closest?.('input, textarea, select, [contenteditable]')) return;
    const list = [...cards.querySelectorAll('.suggestion')];
    const here = document.activeElement?.closest?.('.suggestion');
    const at = list.indexOf(here);
    const focusCard = (card) => {
      if (!card) return;
      card.setAttribute('tabindex', '-1');
      card.focus();
      card.scrollIntoView({ block: 'nearest' });
    };
    const press = (label) => [...(here?.querySelectorAll('.actions button') || [])].find((b) => b.textContent === label && !b.disabled)?.click();
    switch (ev.key) {
      case 'j': focusCard(list[at + 1] || (at < 0 ? list[0] : null)); break;
      case 'k': focusCard(list[at - 1]); break;
      case 'a': press('Approve'); break;
      case 'r': press('Reject'); break;
      default: return;
    }
    ev.preventDefault();
  };
  // One listener at a time, however often the page draws itself.
  if (roundKeys) document.removeEventListener('keydown', roundKeys);
  roundKeys = onKey;
  document.addEventListener('keydown', onKey);
  ctx.signal.addEventListener('abort', () => document.removeEventListener('keydown', onKey));

  const bulk = h('div', { class: 'bulk' });
  // Acting on many pairs at once, after a question with the count: the
  // pairs selected, or else every pair the list holds (narrow it first).
  // Approving and rejecting email nobody; introducing emails both members.
  const drawBulk = () => {
    if (state.bulkRunning) return;
    const pairs = (n) => `${n} ${n === 1 ? 'pair' : 'pairs'}`;
    const selected = all.filter((x) => state.selected.has(x.sg.id));
    const chosen = selected.length ? selected : hits();
    const proposed = chosen.filter((x) => statusOf(x) === 'proposed');
    const approved = chosen.filter((x) => statusOf(x) === 'approved');
    const narrowed = filter.value.trim() || Object.keys(narrowing(ctx.query)).length;
    // which names the pairs a button acts on: "3 pairs selected", "the 5
    // approved pairs found", "all 12 pairs".
    const which = (n, kind = '') => {
      const p = `${n} ${kind}${n === 1 ? 'pair' : 'pairs'}`;
      return selected.length ? `${p} selected` : narrowed ? `the ${p} found` : `all ${p}`;
    };
    const label = (verb, n, kind) => `${verb} ${which(n, kind)}`;
    const approveAll = proposed.length ? confirmStep({
      label: label('Approve', proposed.length),
      kind: 'secondary', busyLabel: 'Approving…', yes: `Yes, approve ${proposed.length}`, no: 'Not yet',
      question: `Approve ${pairs(proposed.length)}? Nobody is emailed until you introduce them.`,
      work: () => setAllPairs(bulk, proposed, 'approved', state, ctx),
    }) : null;
    const rejectable = [...proposed, ...approved];
    const rejectAll = rejectable.length && (selected.length || status === 'proposed') ? confirmStep({
      label: label('Reject', rejectable.length),
      kind: 'danger', busyLabel: 'Rejecting…', yes: `Yes, reject ${rejectable.length}`, no: 'Not yet',
      question: `Reject ${pairs(rejectable.length)}? Nobody is emailed; each can be brought back to proposed.`,
      work: () => setAllPairs(bulk, rejectable, 'rejected', state, ctx),
    }) : null;
    const introduceAllPairs = approved.length ? confirmStep({
      label: label('Introduce', approved.length, 'approved '),
      kind: 'primary', busyLabel: 'Introducing…', yes: `Yes, email ${approved.length * 2} members`, no: 'Not yet',
      question: `Introduce ${pairs(approved.length)}? Both members of each are emailed.`,
      work: (key) => introduceAll(bulk, approved, state, key),
    }) : null;
    const clear = selected.length ? h('button', {
      type: 'button', class: 'secondary small', text: `Clear the selection (${selected.length})`,
      on: { click: () => { state.selected.clear(); for (const box of cards.querySelectorAll('.tick input')) box.checked = false; drawBulk(); } },
    }) : null;
    replace(bulk, approveAll, rejectAll, introduceAllPairs, clear);
  };
  state.drawBulk = drawBulk;

  replace(view,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/app/host/rounds', text: 'Rounds' }), ' / ', quarter),
    h('h1', { tabindex: '-1', text: `Round ${quarter}` }),
    h('p', { class: 'muted', text: `Up to ${round.per_post} partners per post · last change ${formatDateTime(round.updated_at)}` }),
    round.job && round.job.status === 'failed'
      ? h('p', { class: 'form-error', role: 'alert', text: `Running this round again failed: ${round.job.error || 'no reason given'}. The pairs below are from before.` }) : null,
    figuresPanel(figures),
    h('section', { 'aria-labelledby': 'suggestions-title' },
      h('h2', { id: 'suggestions-title', text: 'Suggested pairs' }),
      h('p', { class: 'muted', text: 'Each pair shows the reasons each member will read. Approve the good ones, then introduce them: both get an email and must accept before contact details are shared.' }),
      h('p', { class: 'hint keys-hint' }, 'Keys: ', h('kbd', { text: 'j' }), ' / ', h('kbd', { text: 'k' }), ' next / previous pair, ',
        h('kbd', { text: 'a' }), ' approve, ', h('kbd', { text: 'r' }), ' reject.'),
      tabs,
      narrowForm(ctx, quarter, status),
      h('div', { class: 'list-tools' },
        h('div', { class: 'field' }, h('label', { for: 'suggestion-filter', text: 'Find a business in this list' }), filter, filterStatus),
        bulk),
      suggestions.length ? [cards, h('div', { class: 'actions center' }, more)] : empty(status ? `No ${statusNames[status].toLowerCase()} pairs.` : 'This round has no pairs.',
        status === 'proposed' ? 'Every proposed pair has been reviewed. ' : '',
        h('a', { href: `/app/host/rounds/${quarter}?status=`, text: 'See all pairs' }), '.'),
      addPairForm(state, cards)));
  drawCards();
  return `Round ${quarter}`;
}

function figuresPanel(f) {
  const rate = (label, r, detail) => h('div', { class: 'stat' },
    h('dt', { text: label }),
    h('dd', {}, h('span', { class: 'stat-value', text: percent(r) }),
      r === null || r === undefined ? null : h('meter', { min: 0, max: 1, value: r, 'aria-label': `${label}: ${percent(r)}` }),
      detail ? h('span', { class: 'stat-detail', text: detail }) : null));
  return h('section', { class: 'figures', 'aria-labelledby': 'figures-title' },
    h('h2', { id: 'figures-title', text: 'Figures' }),
    f.introductions === 0 ? h('p', { class: 'muted', text: 'No introductions yet: the figures show once pairs are introduced.' }) : h('dl', { class: 'stats' },
      stat('Introductions', String(f.introductions), `${f.expired} expired`),
      rate('Members who said yes', f.accept_rate, `${f.accepted} of ${f.invitations} asked · ${f.declined} said no`),
      rate('Both accepted', f.mutual_accept_rate, `${f.mutual} of ${f.introductions}`),
      rate('Met', f.meeting_rate, `${f.met} of ${f.feedback} who answered`),
      stat('Usefulness', f.average_rating === null || f.average_rating === undefined ? '—' : `${f.average_rating.toFixed(1)} / 5`, 'average rating of those who met')));
}

function suggestionCard(sg, state) {
  const card = h('article', { class: 'card suggestion', dataset: { suggestion: sg.id } });
  card.state = state;
  const draw = (s) => {
    card.dataset.status = s.status;
    card.className = `card suggestion status-${s.status}`;
    replace(card,
      h('header', { class: 'card-head' },
        h('h3', { class: 'card-title pair-title' }, userText('span', s.a.post.business), h('span', { class: 'pair-sep', 'aria-label': 'and', text: ' ↔ ' }), userText('span', s.b.post.business)),
        h('span', { class: 'badges' }, badge(statusNames[s.status] || s.status, `status-${s.status}`), strengthBadge(s.score),
          s.source && s.source !== 'engine' ? badge('Paired by hand', 'muted') : null),
        s.status === 'proposed' || s.status === 'approved' ? tickBox(s, state) : null),
      changedNote(s),
      pairChips(s.scores, s.a.post.business, s.b.post.business),
      h('div', { class: 'pair' }, side(s.a), side(s.b)),
      noteForm(s, card, draw),
      h('div', { class: 'actions' }, actions(s, card, draw)),
      fitBox(s, card, draw),
      s.status === 'proposed' || s.status === 'approved' ? swapForm(s, card, draw) : null);
  };
  card.redraw = draw;
  draw(sg);
  return card;

  function actions(s, el, redraw) {
    const setStatus = (to, label) => h('button', {
      type: 'button', class: to === 'approved' ? 'primary' : to === 'rejected' ? 'danger' : 'secondary', text: label,
      on: {
        click: (ev) => act(ev.currentTarget, 'Saving…', () => api.patch(`/api/v1/rounds/${state.quarter}/suggestions/${s.id}`, { status: to }, { auth: 'host' }),
          (updated) => { redraw(updated); state.changed(s.status, updated.status); toast(`${statusNames[updated.status]}.`); }),
      },
    });
    const act = async (button, label, work, done) => {
      el.querySelector('.actions .field-error')?.remove();
      try {
        done(await busy(button, label, work));
        el.querySelector('.actions button')?.focus();
      } catch (err) {
        el.querySelector('.actions')?.append(h('p', { class: 'field-error', role: 'alert', text: errorMessage(err) }));
      }
    };
    switch (s.status) {
      case 'proposed':
        return [setStatus('approved', 'Approve'), setStatus('rejected', 'Reject')];
      case 'approved':
        return [
          // Introducing emails both members: it asks first, so that a
          // double click on Approve, which this button replaces, sends nothing.
          confirmStep({
            label: 'Introduce them', kind: 'primary', busyLabel: 'Introducing…',
            question: `Email ${s.a.post.business} and ${s.b.post.business} to introduce them?`, yes: 'Yes, introduce', no: 'Not yet',
            work: async (key) => {
              const intro = await introduce(s, key);
              redraw({ ...s, status: 'introduced' });
              state.changed('approved', 'introduced');
              toast(`Introduced: both are asked by email, until ${formatDate(intro.expires_at)}.`);
              el.querySelector('.actions .said')?.focus();
            },
          }),
          setStatus('proposed', 'Undo approval'), setStatus('rejected', 'Reject')];
      case 'rejected':
        return [setStatus('proposed', 'Back to proposed')];
      case 'introduced':
        return [h('p', { class: 'said', tabindex: '-1', text: 'Introduced: both members were emailed and asked to accept.' })];
    }
    return [];
  }
}

// fitBox lets the host answer for the first post about the second, as its
// owner would on their matches. A good fit teaches the matcher; not a fit
// also rejects the pair (in the same write), so the card is drawn again
// from the round's list. card.said keeps what was recorded across redraws.
function fitBox(s, card, redraw) {
  const a = s.a.post.business;
  const b = s.b.post.business;
  return fitChoice({
    question: `Is ${b} a good fit for ${a}?`,
    hint: `Recorded as ${a}’s answer, as if they gave it on their matches.`,
    said: card.said, text: card.said ? recordedText(card.said, a, b) : null,
    effect: (reason) => reasonOf(reason).host(a, b),
    send: (verdict, reason) => api.post(`/api/v1/posts/${s.a.post.id}/matches/${s.b.post.id}/feedback`,
      { verdict, reason, source: 'round' }, { auth: 'host' }),
    done: async (answer) => {
      card.said = answer;
      let fresh = s;
      if (answer.verdict === 'not_a_fit' && (s.status === 'proposed' || s.status === 'approved')) {
        // The answer is recorded and the pair rejected whatever happens
        // here: should the list not load, the card shows it rejected
        // without the note the server added.
        const list = await api.get(`/api/v1/rounds/${s.quarter}/suggestions?status=rejected`, { auth: 'host' })
          .catch(() => ({ suggestions: [] }));
        fresh = (list.suggestions || []).find((x) => x.id === s.id) || { ...s, status: 'rejected' };
      }
      redraw(fresh);
      if (fresh.status !== s.status) card.state.changed(s.status, fresh.status);
      toast(answer.verdict === 'good_fit' ? 'Recorded: a good fit.' : 'Recorded: not a fit.');
      card.querySelector('.fit-said')?.focus();
    },
  });
}

function recordedText(answer, a, b) {
  if (answer.verdict === 'good_fit') return `Recorded for ${a}: ${b} is a good fit. The matcher learns from it.`;
  const r = reasonOf(answer.reason);
  return `Recorded for ${a}: not a fit (${r ? r.label.toLowerCase() : answer.reason}). ${r ? r.host(a, b) : ''}`.trim();
}

// tickBox selects a pair for the bulk actions.
function tickBox(s, state) {
  const box = h('input', { type: 'checkbox', checked: state.selected.has(s.id) });
  box.addEventListener('change', () => {
    if (box.checked) state.selected.add(s.id);
    else state.selected.delete(s.id);
    state.drawBulk();
  });
  return h('label', { class: 'tick' }, box, ' Select');
}

// changedNote names the posts of a pair changed since it was suggested
// (edited, paused): its reasons may no longer hold.
function changedNote(s) {
  const since = Date.parse(s.created_at);
  const changed = [s.a.post, s.b.post].filter((p) => Date.parse(p.updated_at) > since).map((p) => p.business);
  return changed.length ? userText('p', `Changed since suggested: ${changed.join(' and ')}. Read the post again; the reasons are from before.`, { class: 'notice warn changed' }) : null;
}

function introduce(s, key) {
  return api.post(`/api/v1/rounds/${s.quarter}/suggestions/${s.id}/introduce`, undefined, { auth: 'host', key });
}

function side(sd) {
  const p = sd.post;
  return h('div', { class: 'side' },
    userText('h4', p.business),
    h('p', { class: 'meta' },
      h('span', { class: 'meta-item', text: `#${p.id}` }),
      p.email ? h('a', { class: 'meta-item', href: `mailto:${p.email}`, dir: 'auto', text: p.email }) : null),
    postMeta(p),
    (sd.reasons || []).length ? h('div', { class: 'reasons' },
      h('h5', { text: 'Reasons they will read' }),
      h('ul', {}, sd.reasons.map((r) => userText('li', r)))) : null,
    h('details', { class: 'more' }, h('summary', { text: 'Their post' }), postDetails(p, { offerLabel: 'What they do' })));
}

function noteForm(s, card, redraw) {
  if (s.status === 'introduced') {
    return s.note ? h('p', { class: 'note' }, h('span', { class: 'muted', text: 'Your note: ' }), userText('span', s.note)) : null;
  }
  const form = h('form', { class: 'note-form', novalidate: true },
    field({ label: 'Your note to both', name: 'note', kind: 'textarea', value: s.note, hint: 'Goes in the introduction email, e.g. why you think they should meet.', attrs: { rows: 2, maxlength: 2000 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary small', text: 'Save note' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const updated = await busy(form.querySelector('button'), 'Saving…',
        () => api.patch(`/api/v1/rounds/${s.quarter}/suggestions/${s.id}`, { note: form.elements.note.value }, { auth: 'host' }));
      redraw(updated);
      toast('Note saved.');
    } catch (err) { showErrors(form, err); }
  });
  return s.note ? form : h('details', { class: 'note-details' }, h('summary', { text: 'Add a note for both' }), form);
}

function swapForm(s, card, redraw) {
  const picker = postPicker({ label: 'New partner', name: 'partner' });
  const form = h('form', { class: 'stack', novalidate: true },
    formError(),
    h('fieldset', { class: 'field', dataset: { field: 'keep' } },
      h('legend', { text: 'Keep' }),
      [s.a.post, s.b.post].map((p, i) => h('div', { class: 'radio' },
        h('input', { type: 'radio', name: 'keep', id: `keep-${s.id}-${i}`, value: String(p.id), checked: i === 0 }),
        h('label', { for: `keep-${s.id}-${i}` }, userText('span', p.business)))),
      h('p', { class: 'field-error', hidden: true })),
    picker.element,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', text: 'Swap partner' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!picker.value()) { showErrors(form, { fields: { partner: 'search for the new partner and pick one' } }); return; }
    try {
      const created = await busy(form.querySelector('button[type=submit]'), 'Swapping…',
        () => api.post(`/api/v1/rounds/${s.quarter}/suggestions/${s.id}/swap`, { keep: Number(form.elements.keep.value), partner: picker.value() }, { auth: 'host' }));
      // The old pair is rejected; the new one is added, approved.
      redraw({ ...s, status: 'rejected' });
      const fresh = card.state.insert(created, card);
      card.state.changed(s.status, 'rejected');
      card.state.changed(null, created.status);
      toast('Swapped: the new pair is approved.');
      fresh.querySelector('h3')?.setAttribute('tabindex', '-1');
      fresh.querySelector('h3')?.focus();
    } catch (err) { showErrors(form, err, { post_b: 'New partner', partner: 'New partner' }); }
  });
  return h('details', { class: 'swap' }, h('summary', { text: 'Swap one side for another post' }), form);
}

function addPairForm(state, cards) {
  const a = postPicker({ label: 'First post', name: 'post_a' });
  const b = postPicker({ label: 'Second post', name: 'post_b' });
  const form = h('form', { class: 'stack', novalidate: true },
    h('p', { class: 'hint', text: 'Pair two live posts yourself; the pair is added approved, with the reasons the engine finds.' }),
    formError(),
    h('div', { class: 'field-row' }, a.element, b.element),
    field({ label: 'Your note to both', name: 'note', kind: 'textarea', attrs: { rows: 2, maxlength: 2000 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Add the pair' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!bothPicked(form, a, b)) return;
    try {
      const created = await busy(form.querySelector('button[type=submit]'), 'Adding…',
        () => api.post(`/api/v1/rounds/${state.quarter}/suggestions`, { post_a: a.value(), post_b: b.value(), note: form.elements.note.value || undefined }, { auth: 'host' }));
      const card = state.insert(created, null);
      if (!cards.isConnected) form.closest('details').before(cards);
      state.changed(null, created.status);
      toast('Pair added.');
      card.querySelector('h3')?.setAttribute('tabindex', '-1');
      card.querySelector('h3')?.focus();
    } catch (err) { showErrors(form, err); }
  });
  return h('details', { class: 'card add-pair' }, h('summary', { text: 'Pair two posts by hand' }), form);
}

// The words of a bulk run, by what it does.
const bulkWords = {
  approved: { doing: 'Approving', done: 'approved', bar: 'Pairs approved' },
  rejected: { doing: 'Rejecting', done: 'rejected', bar: 'Pairs rejected' },
  introduced: { doing: 'Introducing', done: 'introduced', bar: 'Introductions sent' },
};

// eachPair runs act on each of the list's entries ({sg, card}), one
// request at a time, with a progress bar in box; a pair that fails is
// listed and the rest go on. It returns how many failed.
async function eachPair(box, entries, words, state, act) {
  const total = entries.length;
  const bar = h('progress', { max: total, value: 0, 'aria-label': words.bar });
  const text = h('p', { class: 'progress-text', role: 'status' });
  const failures = h('ul', { class: 'failures' });
  replace(box, h('div', { class: 'progress-box' }, bar, text, failures));
  state.bulkRunning = true;
  let done = 0;
  let failed = 0;
  for (const x of entries) {
    text.textContent = `${words.doing} ${done + failed + 1} of ${total}…`;
    try {
      await act(x);
      done++;
    } catch (err) {
      failed++;
      failures.append(h('li', {}, userText('span', `${x.sg.a.post.business} and ${x.sg.b.post.business}`), `: ${errorMessage(err)}`));
    }
    bar.value = done + failed;
  }
  state.bulkRunning = false;
  state.selected.clear();
  text.textContent = `${done} of ${total} ${words.done}.${failed ? ` ${failed} could not be: see below.` : ''}`;
  toast(`${done} of ${total} ${words.done}.${failed ? ` ${failed} could not be.` : ''}`);
  return failed;
}

// setAllPairs approves or rejects the entries (to), then draws the list
// again unless some failed (their reasons stay on show).
async function setAllPairs(box, entries, to, state, ctx) {
  const failed = await eachPair(box, entries, bulkWords[to], state,
    (x) => api.patch(`/api/v1/rounds/${state.quarter}/suggestions/${x.sg.id}`, { status: to }, { auth: 'host' }));
  if (!failed) ctx.navigate(location.pathname + location.search, { replace: true });
}

// introduceAll introduces the approved entries, one key each (a run sent
// again introduces nobody twice); the cards already built are drawn
// again, the others show their new status when they are.
async function introduceAll(box, entries, state, key) {
  await eachPair(box, entries, bulkWords.introduced, state, async (x) => {
    await api.post(`/api/v1/rounds/${state.quarter}/suggestions/${x.sg.id}/introduce`, undefined, { auth: 'host', key: `${key}-${x.sg.id}` });
    x.sg = { ...x.sg, status: 'introduced' };
    x.card?.redraw(x.sg);
    state.changed('approved', 'introduced');
  });
  state.drawBulk();
}

