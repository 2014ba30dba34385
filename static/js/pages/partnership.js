// One partnership: both businesses, its lane and status, warnings, its
// history, and the work of its lane — the strategic quarter board or the
// referral ledger. Emails about a partnership link here. Its two members
// and the host see it; the host acts as either side may, except where a
// side speaks for itself (reviews, signatures).

import { h, replace, append, field, formError, showErrors, clearErrors, formValues, busy, toast, userText, errorPanel,
  formatDateTime } from '../dom.js';
import * as api from '../api.js';
import { signInForm } from './signin.js';
import {
  caller, lanes, otherLane, statusBadge, laneBadge, sideName, actorName, title, formatDay, section, disclosure,
} from '../partnership/common.js';
import * as strategic from '../partnership/strategic.js';
import * as referral from '../partnership/referral.js';
import { proposalsSection } from '../partnership/proposals.js';

const boards = { strategic, referral };

export async function render(view, ctx) {
  const id = ctx.params.id;
  let who = await caller();
  if (!who) {
    replace(view,
      h('h1', { tabindex: '-1', text: 'Partnership' }),
      signInForm('', 'Sign in to see this partnership. We email you a link — no password.'),
      h('p', { class: 'muted' }, 'The community host? ', h('a', { href: '/app/host', text: 'Open the host console' }), ' first, then come back.'));
    return 'Partnership';
  }
  let p;
  try {
    p = await api.get(`/api/v1/partnerships/${id}`, { auth: who.auth, signal: ctx.signal });
  } catch (err) {
    // A host signed in as a member too sees other members' partnerships
    // with the host token.
    if (err.status === 404 && who.auth === 'member' && api.hostToken()) {
      who = { auth: 'host', member: null };
      p = await api.get(`/api/v1/partnerships/${id}`, { auth: 'host', signal: ctx.signal }).catch((e) => { if (e.status === 404) return null; throw e; });
    } else if (err.status !== 404) {
      throw err;
    }
  }
  if (!p) {
    replace(view,
      h('h1', { tabindex: '-1', text: 'Partnership not found' }),
      h('p', {}, 'There is no such partnership, or it is not one of yours. See ', h('a', { href: '/app/partnerships', text: 'your partnerships' }), '.'));
    return 'Partnership not found';
  }

  const proposals = (await api.get(`/api/v1/partnerships/${id}/proposals`, { auth: who.auth, signal: ctx.signal })).proposals || [];
  const records = ctx.query.get('records');
  const viewing = records && records !== p.lane && lanes[records] && heldLane(p, records) ? records : p.lane;
  const env = { p, who, ctx, readOnly: viewing !== p.lane, reload: () => ctx.navigate(location.pathname + location.search, { replace: true }) };
  const board = h('div', { class: ['lane-board', `lane-board-${viewing}`], dataset: { lane: viewing } },
    h('p', { class: 'loading', text: 'Loading…' }));

  replace(view,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/app/partnerships', text: 'Partnerships' }), ' / ', userText('span', title(p))),
    h('h1', { tabindex: '-1', class: 'partnership-title' },
      p.you ? ['Partnership with ', userText('span', title(p))] : [userText('span', sideName(p, 'a')), ' and ', userText('span', sideName(p, 'b'))]),
    h('p', { class: 'meta partnership-meta' },
      laneBadge(p.lane), statusBadge(p.status),
      h('span', { class: 'meta-item', text: `Since ${formatDay(p.started_on)}` }),
      p.ended_on ? h('span', { class: 'meta-item', text: `Ended ${formatDay(p.ended_on)}` }) : null),
    warnings(p),
    sides(p),
    proposalsSection(p, env, proposals),
    laneNote(p, viewing),
    board,
    manage(p, env),
    history(p));

  try {
    await boards[viewing].render(board, env);
  } catch (err) {
    if (err.name === 'AbortError' || ctx.signal.aborted) throw err;
    replace(board, errorPanel(err, () => env.reload()));
  }
  return `Partnership with ${title(p)}`;
}

// heldLane reports whether the partnership was ever in lane: the records
// of a lane it left stay readable.
function heldLane(p, lane) {
  return p.lane === lane || (p.history || []).some((e) => (e.kind === 'lane' && (e.from === lane || e.to === lane)) || (e.kind === 'created' && e.to === lane));
}

function warnings(p) {
  if (!(p.warnings || []).length) return null;
  return h('div', { class: 'notice warn partnership-warnings', role: 'status' },
    h('p', { text: 'Worth a look' }),
    h('ul', {}, p.warnings.map((w) => userText('li', w))));
}

function sides(p) {
  const side = (s) => {
    const party = p[s];
    return h('div', { class: ['side', p.you === s && 'you'] },
      h('p', { class: 'eyebrow', text: p.you === s ? `Side ${s.toUpperCase()} · you` : `Side ${s.toUpperCase()}` }),
      userText('h2', party.business, { class: 'side-name' }),
      party.email ? h('p', { class: 'meta' }, h('a', { href: `mailto:${party.email}`, dir: 'auto', class: 'meta-item', text: party.email })) : null);
  };
  return h('div', { class: 'pair partnership-sides' }, side('a'), side('b'));
}

function laneNote(p, viewing) {
  const other = otherLane(p.lane);
  if (viewing !== p.lane) {
    return h('div', { class: 'notice lane-note' },
      h('p', {}, `These are the ${viewing} records from before the move to the ${p.lane} lane. They stay readable; they take nothing new, and new records go to the ${p.lane} lane. `,
        h('a', { href: location.pathname, text: `Back to the ${p.lane} lane` })));
  }
  return h('div', { class: 'lane-note' },
    h('p', { class: 'muted' }, h('strong', { text: `${lanes[p.lane].title} lane: ` }), lanes[p.lane].text),
    heldLane(p, other)
      ? h('p', {}, `It was in the ${other} lane before. `, h('a', { href: `${location.pathname}?records=${other}`, text: `See its ${other} records (read only)` }))
      : null);
}

// manage holds what changes the partnership itself: its status and lane.
function manage(p, env) {
  return section('manage', 'Manage the partnership',
    h('div', { class: 'manage-grid' }, statusForm(p, env), laneForm(p, env)));
}

function statusForm(p, env) {
  if (p.status === 'ended') {
    return h('div', { class: 'card' },
      h('h3', { text: 'Ended' }),
      h('p', { text: `It ended on ${formatDay(p.ended_on)}. What it owes can still be settled and its quarters reviewed; to work together again, start a new partnership.` }));
  }
  const choices = p.status === 'active'
    ? [['paused', 'Pause', 'New work stops until one of you resumes it. What is owed can still be settled.']]
    : [['active', 'Resume', 'Work goes on where it stopped.']];
  choices.push(['ended', 'End', 'For good: no new work. What is owed can still be settled and the quarter reviewed.']);
  const form = h('form', { class: 'card stack status-form', novalidate: true },
    h('h3', { text: p.status === 'active' ? 'Pause or end' : 'Resume or end' }),
    formError(),
    h('fieldset', { class: 'field', dataset: { field: 'status' } },
      h('legend', { text: 'What to do' }),
      choices.map(([value, label, text], i) => h('div', { class: 'radio' },
        h('input', { type: 'radio', name: 'status', id: `status-${value}`, value, checked: i === 0 }),
        h('label', { for: `status-${value}` }, h('strong', { text: label }), ' — ', h('span', { class: 'muted', text })))),
      h('p', { class: 'field-error', hidden: true })),
    field({ label: 'Reason', name: 'reason', kind: 'textarea', hint: 'Kept in the history, for both sides and the host to read.', attrs: { rows: 2, maxlength: 500 } }),
    h('p', { class: 'confirm-question', role: 'status', hidden: true, text: 'End the partnership for good? It cannot be undone: to work together again you would start a new one.' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'secondary', text: 'Save the change' }),
      h('button', { type: 'button', class: 'secondary cancel-end', hidden: true, text: 'Keep it' })));
  // Ending is for good: the first press asks, the second ends it.
  const submit = form.querySelector('button[type=submit]');
  const question = form.querySelector('.confirm-question');
  const cancel = form.querySelector('.cancel-end');
  const unask = () => {
    delete form.dataset.confirm;
    question.hidden = true;
    cancel.hidden = true;
    submit.textContent = 'Save the change';
    submit.className = 'secondary';
  };
  cancel.addEventListener('click', () => { unask(); submit.focus(); });
  form.addEventListener('change', (ev) => { if (ev.target.name === 'status') unask(); });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    if (v.status === 'ended' && form.dataset.confirm !== 'yes') {
      form.dataset.confirm = 'yes';
      question.hidden = false;
      cancel.hidden = false;
      submit.textContent = 'Yes, end the partnership';
      submit.className = 'danger';
      submit.focus();
      return;
    }
    try {
      const updated = await busy(form.querySelector('button[type=submit]'), 'Saving…',
        () => api.patch(`/api/v1/partnerships/${p.id}`, { status: v.status, reason: v.reason }, { auth: env.who.auth }));
      toast({ active: 'Resumed.', paused: 'Paused.', ended: 'Ended.' }[updated.status] || 'Saved.');
      env.reload();
    } catch (err) { showErrors(form, err, { status: 'What to do', reason: 'Reason' }); }
  });
  return form;
}

function laneForm(p, env) {
  const to = otherLane(p.lane);
  if (p.status === 'ended') return null;
  const waitsFor = p.you ? sideName(p, p.you === 'a' ? 'b' : 'a') + ' accepts' : 'both sides accept';
  const form = h('form', { class: 'stack lane-form', novalidate: true },
    h('p', {}, `In the ${to} lane: ${lanes[to].text}`),
    h('ul', { class: 'lane-change-points' },
      h('li', { text: `The move happens only once ${waitsFor}.` }),
      h('li', { text: `The ${p.lane} lane’s records stay here and stay readable, but take nothing new.` }),
      h('li', { text: `New records go to the ${to} lane.` }),
      h('li', { text: 'The proposal and your reason are kept, for both sides and the host to read.' })),
    formError(),
    field({ label: 'Why you propose the move', name: 'reason', kind: 'textarea', required: true, hint: 'A sentence for your partner and the host (3 to 500 characters).', attrs: { rows: 2, maxlength: 500 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: `Propose the ${to} lane` })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const { reason } = formValues(form);
    if (!reason || reason.length < 3) { showErrors(form, { fields: { reason: 'say in a few words why you propose the move' } }); return; }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Proposing…',
        () => api.post(`/api/v1/partnerships/${p.id}/proposals`, { kind: 'lane', lane: to, reason }, { auth: env.who.auth }));
      toast(`Proposed. The move happens once ${waitsFor}.`);
      env.reload();
    } catch (err) { showErrors(form, err, { reason: 'Why you propose the move', lane: 'Lane' }); }
  });
  return h('div', { class: 'card' }, h('h3', { text: 'Change lane' }), disclosure(`Propose a move to the ${to} lane`, form, { className: 'lane-change' }));
}

function history(p) {
  const events = [...(p.history || [])].reverse();
  const say = (e) => {
    const who = actorName(p, e.actor);
    switch (e.kind) {
      case 'created': return `${who} started it in the ${e.to} lane.`;
      case 'status': return `${who} ${{ paused: 'paused it', active: 'resumed it', ended: 'ended it' }[e.to] || `set it to ${e.to}`}.`;
      case 'lane': return `${who} agreed: it moved from the ${e.from} lane to the ${e.to} lane.`;
      case 'terms': return `${who} agreed: new referral terms are in force (${e.to}).`;
    }
    return `${who}: ${e.kind}${e.to ? ` (${e.to})` : ''}.`;
  };
  return section('history', 'History',
    events.length === 0 ? h('p', { class: 'muted', text: 'Nothing has happened yet.' }) : h('ol', { class: 'history' },
      events.map((e) => h('li', { class: `event-${e.kind}` },
        h('time', { datetime: e.at, class: 'muted', text: formatDateTime(e.at) }),
        h('p', { class: 'event-text', text: say(e) }),
        e.reason ? append(h('blockquote', {}), [userText('span', e.reason)]) : null))));
}
