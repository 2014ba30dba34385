// Host: learning. Every answer about a match ("good fit", "not a fit: a
// competitor"…) teaches the matcher. Here the host sees what it learned,
// tells it to forget what it got wrong, and reads the answers themselves,
// taking back one given by mistake.

import { h, replace, append, empty, errorPanel, userText, badge, busy, toast, formatDateTime, percent } from '../dom.js';
import * as api from '../api.js';
import { section, confirmStep, actionButton, inlineError } from '../partnership/common.js';
import { verdictWords, sourceWords } from '../feedback.js';

// pageSize is how many relations of a kind, or answers, show at a time:
// a community that answers a lot teaches hundreds.
const pageSize = 50;

const kinds = [
  {
    kind: 'answers', title: 'Words that answer others',
    hint: 'Learned from good fits: posts whose offer and seek use such words rank higher for each other.',
    words: (r) => `Offers saying ‘${r.words[1]}’ answer seeks saying ‘${r.words[0]}’`,
  },
  {
    kind: 'rivals', title: 'Words that name the same service',
    hint: 'Learned from “a competitor” answers: offers with such words sell the same thing, so their posts rank lower for each other, as rivals.',
    words: (r) => `‘${r.words[0]}’ and ‘${r.words[1]}’ name the same service`,
  },
];

export async function render(view, ctx) {
  const learned = section('learned', 'What the matcher learned');
  const answers = section('answers', 'Answers');
  replace(view,
    h('h1', { tabindex: '-1', text: 'Learning' }),
    h('p', { class: 'lead', text: 'Members’ answers about their matches, and yours on a round’s pairs, teach the matcher which offers answer which seeks and which businesses are rivals. See what it learned, forget what it got wrong, and take back an answer given by mistake.' }),
    learned, answers);
  const relations = learnedPart(learned, ctx);
  // Taking an answer back unlearns what it taught: read the relations
  // again (a failure shows in their section; a page left is no matter).
  const relearn = () => relations.load(true).catch(() => {});
  await Promise.all([relations.load(), answersPart(answers, ctx, relearn).load()]);
  return 'Learning';
}

// --- what the matcher learned ---

function learnedPart(sec, ctx) {
  const body = h('div', { class: 'learned-body' });
  sec.append(body);
  const limits = Object.fromEntries(kinds.map((k) => [k.kind, pageSize]));
  // load reads the relations and draws them; quietly keeps those shown
  // until the new ones come (after an answer was taken back).
  const load = async (quietly = false) => {
    if (!quietly) replace(body, h('p', { class: 'loading', role: 'status', text: 'Loading what the matcher learned…' }));
    try {
      draw((await api.get('/api/v1/learned', { auth: 'host', signal: ctx.signal })).relations || []);
    } catch (err) {
      if (err.name === 'AbortError' || err.status === 401) throw err;
      replace(body, errorPanel(err, () => load()));
    }
  };
  // draw shows the relations grouped by kind; focusKey, when set, is the
  // relation whose button to focus (it was just pressed, and redrawn).
  const draw = (relations, focusKey) => {
    if (relations.length === 0) {
      replace(body, empty('Nothing learned yet.',
        'Answers teach it: good fits show which offers answer which seeks, and “a competitor” shows which offers name the same service. Members answer on their matches; you can answer for them on a round’s pairs.'));
      return;
    }
    replace(body, kinds.map((k) => {
      const mine = relations.filter((r) => r.kind === k.kind);
      if (mine.length === 0) return null;
      const shown = mine.slice(0, limits[k.kind]);
      const more = mine.length - shown.length;
      return h('div', { class: 'learned-group', dataset: { kind: k.kind } },
        h('h3', { text: `${k.title} (${mine.length})` }),
        h('p', { class: 'hint', text: k.hint }),
        h('ul', { class: 'item-list learned-list' }, shown.map((r) => relationItem(r, k, (list) => draw(list, key(r))))),
        more > 0 ? h('div', { class: 'actions' }, h('button', {
          type: 'button', class: 'secondary', text: `Show ${Math.min(pageSize, more)} more of ${more}`,
          on: { click: () => { const at = limits[k.kind]; limits[k.kind] += pageSize; draw(relations); focusItem(body, k.kind, at); } },
        })) : null);
    }));
    if (focusKey) body.querySelector(`[data-key="${CSS.escape(focusKey)}"] button`)?.focus();
  };
  return { load };
}

const key = (r) => `${r.kind}:${r.a}:${r.b}`;
let relationSeq = 0;

function relationItem(r, k, redraw) {
  const forget = !r.forgotten;
  const id = `relation-${++relationSeq}`;
  const button = actionButton(forget ? 'Forget' : 'Count again', 'Saving…', async () => {
    const res = await api.put('/api/v1/learned/forgotten', { kind: r.kind, a: r.a, b: r.b, forgotten: forget }, { auth: 'host' });
    redraw(res.relations || []);
    toast(forget ? 'Forgotten: the matcher no longer counts it.' : 'The matcher counts it again.');
  });
  // Every relation has a "Forget": it is read with what it forgets.
  button.setAttribute('aria-describedby', id);
  return h('li', { class: ['card', 'relation', r.forgotten && 'forgotten'], dataset: { key: key(r), forgotten: String(r.forgotten) } },
    h('div', { class: 'relation-text' },
      h('p', { class: 'relation-words', id, text: k.words(r) }),
      h('p', { class: 'meta' },
        h('span', { class: 'meta-item', text: `from ${r.support} ${r.support === 1 ? 'answer' : 'answers'}` }),
        h('span', { class: 'meta-item', text: r.forgotten ? 'counts for nothing' : `strength ${percent(r.strength)}` }),
        r.forgotten ? badge('Forgotten', 'muted') : null)),
    h('div', { class: 'item-actions' }, button));
}

// focusItem moves the focus to the first item shown by "Show more".
function focusItem(body, kind, at) {
  const item = body.querySelectorAll(`[data-kind="${kind}"] .learned-list > li`)[at];
  if (!item) return;
  item.setAttribute('tabindex', '-1');
  item.focus();
}

// --- the answers ---

function answersPart(sec, ctx, relearned) {
  const status = h('p', { class: 'results-status', role: 'status', text: 'Loading answers…' });
  const list = h('ul', { class: 'item-list answer-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true });
  const moreBox = h('div', { class: 'actions' }, more);
  sec.append(status, list, moreBox);
  let total = 0;

  const count = () => {
    const shown = list.children.length;
    more.hidden = shown >= total;
    more.textContent = `Show ${Math.min(pageSize, total - shown)} more of ${total - shown}`;
    if (total === 0) {
      status.textContent = '';
      if (!sec.querySelector('.empty')) list.before(empty('No answers yet.', 'Members answer “Good fit” or “Not a fit” on their matches; you can answer for them on a round’s pairs.'));
      return;
    }
    status.textContent = `${total} ${total === 1 ? 'answer' : 'answers'}, newest first; ${shown} shown.`;
  };
  // Rows are appended a page at a time; the next page starts after those
  // shown (an answer taken back leaves the server's list and ours alike).
  const page = async () => {
    const res = await api.get(`/api/v1/feedback${api.query({ limit: pageSize, offset: list.children.length })}`, { auth: 'host', signal: ctx.signal });
    total = res.total;
    append(list, (res.items || []).map((f) => answerItem(f, remove)));
    count();
  };
  const remove = (item) => {
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    total -= 1;
    count();
    toast('Answer taken back: the pair may be suggested again.');
    (next ? next.querySelector('h3') : sec.querySelector('h2')).focus();
    relearned();
  };
  more.addEventListener('click', async () => {
    const at = list.children.length;
    moreBox.querySelector('.action-error')?.remove();
    try {
      await busy(more, 'Loading…', page);
      list.children[at]?.querySelector('h3')?.focus();
    } catch (err) {
      if (err.name !== 'AbortError') inlineError(moreBox, err);
    }
  });
  const load = async () => {
    try {
      await page();
    } catch (err) {
      if (err.name === 'AbortError' || err.status === 401) throw err;
      status.textContent = '';
      replace(moreBox, errorPanel(err, () => ctx.navigate(location.pathname, { replace: true })));
    }
  };
  return { load };
}

function answerItem(f, remove) {
  const item = h('li', { class: ['card', 'answer', `verdict-${f.verdict}`], dataset: { answer: f.id } },
    h('h3', { class: 'card-title pair-title', tabindex: '-1' },
      userText('span', f.business), h('span', { class: 'pair-sep', 'aria-label': 'about', text: ' → ' }), userText('span', f.other_business)),
    h('p', {}, badge(verdictWords(f.verdict, f.reason), f.verdict === 'good_fit' ? 'good' : 'warn')),
    h('p', { class: 'meta' },
      h('span', { class: 'meta-item' }, f.by_host ? 'Answered by the host for ' : 'Answered by ', userText('span', f.business)),
      h('span', { class: 'meta-item', text: sourceWords[f.source] || f.source }),
      h('time', { class: 'meta-item', datetime: f.updated_at, text: formatDateTime(f.updated_at) })),
    f.note ? h('p', { class: 'note' }, h('span', { class: 'muted', text: 'Note: ' }), userText('span', f.note)) : null,
    h('div', { class: 'item-actions' }, confirmStep({
      label: 'Take back', question: 'Take this answer back? The pair may be suggested again, and the matcher unlearns what it taught.',
      yes: 'Yes, take it back', no: 'Keep it', busyLabel: 'Taking back…',
      work: async () => {
        await api.del(`/api/v1/feedback/${f.id}`, { auth: 'host' });
        remove(item);
      },
    })));
  return item;
}
