// What the partnership pages share: who is calling, the two sides' names,
// lanes and statuses in words, quarters, and small pieces of page.

import { h, append, badge, errorMessage, busy, toast } from '../dom.js';
import * as api from '../api.js';

// caller says who looks at partnerships: a signed-in member (their cookie
// session) or, in a tab holding the host token, the host. It returns
// {auth, member} or null when neither.
export async function caller() {
  const m = await api.member();
  if (m) return { auth: 'member', member: m };
  if (api.hostToken()) return { auth: 'host', member: null };
  return null;
}

// lanes explain the two lanes of a partnership, so that people choose
// and change lanes knowing what it means.
export const lanes = {
  referral: {
    title: 'Referral',
    text: 'Money for introductions: each side passes leads to the other and pays a commission on the sales it wins from them, under terms you agree. No shared work.',
  },
  strategic: {
    title: 'Strategic',
    text: 'Shared work: each quarter you plan goals, deliverables and what each side signs up to, then both review how it went.',
  },
};

export const otherLane = (lane) => (lane === 'strategic' ? 'referral' : 'strategic');

export const statusNames = { active: 'Active', paused: 'Paused', ended: 'Ended' };

export function statusBadge(status) {
  return badge(statusNames[status] || status, `status-${status}`);
}

export function laneBadge(lane) {
  return badge(`${(lanes[lane] || { title: lane }).title} lane`, `lane-${lane}`);
}

// sideName is a side's business name.
export function sideName(p, side) {
  return (p[side] && p[side].business) || `Side ${String(side).toUpperCase()}`;
}

// ownerName says who owns a goal or deliverable: a side, or both.
export function ownerName(p, owner) {
  return owner === 'both' ? 'Both' : sideName(p, owner);
}

// actorName says who did something: a side or the host.
export function actorName(p, actor) {
  return actor === 'host' ? 'The host' : sideName(p, actor);
}

// ownerOptions are the choices of a side-or-both select.
export function ownerOptions(p, { both = true } = {}) {
  return [['a', sideName(p, 'a')], ['b', sideName(p, 'b')], both ? ['both', 'Both'] : null].filter(Boolean);
}

// title is how a partnership is named: by the partner to a member, by
// both businesses to the host.
export function title(p) {
  if (p.you) return sideName(p, p.you === 'a' ? 'b' : 'a');
  return `${sideName(p, 'a')} and ${sideName(p, 'b')}`;
}

// --- quarters, like 2026-Q3 ---

export const quarterPattern = /^\d{4}-Q[1-4]$/;

function shiftQuarter(q, n) {
  const [y, k] = q.split('-Q').map(Number);
  const i = y * 4 + (k - 1) + n;
  return `${Math.floor(i / 4)}-Q${(i % 4) + 1}`;
}

// quarterEnd is the last day of a quarter, YYYY-MM-DD.
export function quarterEnd(q) {
  const [y, k] = q.split('-Q').map(Number);
  return new Date(Date.UTC(y, k * 3, 0)).toISOString().slice(0, 10);
}

// today is the date in UTC, as the service keeps dates.
export function today() {
  return new Date().toISOString().slice(0, 10);
}

// formatDay shows a YYYY-MM-DD date for people, without a time zone shift.
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
export function formatDay(date) {
  if (!date) return '';
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(date) : dayFormat.format(d);
}

// quarterLinks are links to quarters, the chosen one marked current.
function quarterLinks(quarters, chosen, hrefFor, label = 'Quarters') {
  const now = api.currentQuarter();
  return h('nav', { class: 'quarter-nav', 'aria-label': label },
    h('ul', {}, quarters.map((q) => h('li', {},
      h('a', { href: hrefFor(q), 'aria-current': q === chosen ? 'page' : null },
        q, q === now ? h('span', { class: 'muted', text: '(now)' }) : null)))));
}

// quarterTools lets people move between quarters: links to the quarters
// around now, the chosen one and any in more, and a form that opens
// another by name. hrefFor(quarter) is where a quarter is; id names the
// form's field.
export function quarterTools({ chosen, hrefFor, navigate, id, label, more = [] }) {
  const now = api.currentQuarter();
  const quarters = [...new Set([shiftQuarter(now, -1), now, shiftQuarter(now, 1), chosen, ...more])].sort();
  const form = h('form', { class: 'quarter-form', novalidate: true },
    h('label', { for: id, text: 'Another quarter' }),
    h('div', { class: 'inline-controls' },
      h('input', { id, name: 'quarter', placeholder: 'like 2026-Q3', maxlength: 7, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': `${id}-error` }),
      h('button', { type: 'submit', class: 'secondary small', text: 'Open' })),
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = form.elements.quarter.value.trim().toUpperCase();
    if (!quarterPattern.test(q)) {
      const error = form.querySelector('.field-error');
      error.textContent = 'Write a quarter like 2026-Q3.';
      error.hidden = false;
      form.elements.quarter.setAttribute('aria-invalid', 'true');
      form.elements.quarter.focus();
      return;
    }
    navigate(hrefFor(q));
  });
  return h('div', { class: 'quarter-tools' }, quarterLinks(quarters, chosen, hrefFor, label), form);
}

// refresher returns a board's refresh(key, message): read it again, draw
// it, say what changed, and put the focus back on the section where the
// change was made, so that keyboard and screen-reader users keep their
// place.
export function refresher(box, load, draw) {
  return async (key, message) => {
    await load();
    draw();
    if (message) toast(message);
    focusSection(box, key);
  };
}

// --- small pieces of page ---

// inlineError shows a failed action's message (an error, or the words to
// show) at the end of box (one at a time), read out at once.
export function inlineError(box, err) {
  box.querySelector(':scope > .action-error')?.remove();
  const el = h('p', { class: 'field-error action-error', role: 'alert', text: typeof err === 'string' ? err : errorMessage(err) });
  box.append(el);
  return el;
}

// actionButton runs work when clicked, saying so while it runs, and shows
// what went wrong next to it. work gets the action's Idempotency-Key
// (api.newKey), the same until the work succeeds: a click sent twice, or
// tried again after a lost answer, is one action.
export function actionButton(label, busyLabel, work, { kind = 'secondary small', box } = {}) {
  const button = h('button', { type: 'button', class: kind, text: label });
  let key = api.newKey();
  button.addEventListener('click', async () => {
    const where = box || button.parentElement;
    where.querySelector(':scope > .action-error')?.remove();
    try {
      await busy(button, busyLabel, () => work(key));
      key = api.newKey();
    } catch (err) {
      if (err.name === 'AbortError') return;
      inlineError(where, err);
    }
  });
  return button;
}

// once runs a form's write with the form's Idempotency-Key, the same for
// every submission until one succeeds: a form sent twice (a double press
// of Enter, a retry after a lost answer) records once, while the next
// record, meant anew, gets a new key.
export async function once(form, work) {
  form.writeKey ||= api.newKey();
  const out = await work(form.writeKey);
  form.writeKey = undefined;
  return out;
}

// confirmStep is a button that asks again, in the page (no dialog),
// before work that cannot be undone: "Delete" → "Delete this goal?
// Yes, delete / Keep it". work gets an Idempotency-Key as actionButton's.
export function confirmStep({ label, question, yes, no = 'Cancel', busyLabel = 'Working…', work, kind = 'danger small' }) {
  const box = h('span', { class: 'confirm-step' });
  let key = api.newKey();
  const first = () => {
    const button = h('button', { type: 'button', class: kind, text: label });
    button.addEventListener('click', ask);
    box.replaceChildren(button);
    return button;
  };
  const ask = () => {
    const yesButton = h('button', { type: 'button', class: kind.replace('small', '').trim() + ' small', text: yes });
    const noButton = h('button', { type: 'button', class: 'secondary small', text: no });
    noButton.addEventListener('click', () => first().focus());
    yesButton.addEventListener('click', async () => {
      box.querySelector('.action-error')?.remove();
      noButton.disabled = true;
      try {
        await busy(yesButton, busyLabel, () => work(key));
        key = api.newKey();
        // Still on the page (nothing redrew it): ready for next time.
        if (box.isConnected) first().focus();
      } catch (err) {
        noButton.disabled = false;
        if (err.name !== 'AbortError') inlineError(box, err);
      }
    });
    box.replaceChildren(h('span', { class: 'confirm-question', role: 'status', text: question }), ' ', yesButton, ' ', noButton);
    yesButton.focus();
  };
  first();
  return box;
}

// section is a part of a page with its heading (focusable, so that focus
// can return to it after the part is drawn again).
export function section(key, heading, ...children) {
  const id = `sec-${key}`;
  return append(h('section', { class: ['board-section', `section-${key}`], 'aria-labelledby': id, dataset: { section: key } },
    h('h2', { id, tabindex: '-1', text: heading })), children);
}

// focusSection moves the focus to a section's heading after it was drawn
// again, so that keyboard and screen-reader users keep their place.
export function focusSection(root, key) {
  const heading = root.querySelector(`[data-section="${key}"] h2, [data-section="${key}"] h3`);
  heading?.focus({ preventScroll: false });
}

// stars shows a 1–5 rating in words and symbols.
export function stars(rating) {
  if (!rating) return h('span', { class: 'muted', text: 'Not rated yet' });
  return h('span', { class: 'rating', role: 'img', 'aria-label': `${rating} out of 5` },
    h('span', { class: 'stars', 'aria-hidden': 'true', text: '★'.repeat(rating) + '☆'.repeat(5 - rating) }),
    h('span', { class: 'rating-number', 'aria-hidden': 'true', text: ` ${rating}/5` }));
}

// details wraps a form behind a summary line; open says whether it starts
// open (say, when there is nothing yet).
export function disclosure(summary, content, { open = false, className } = {}) {
  return h('details', { class: ['disclosure', className], open }, h('summary', { text: summary }), content);
}
