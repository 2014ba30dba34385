// Answers about a match: "Good fit", or "Not a fit" and why. The matcher
// listens (PRODUCT.md): each answer changes who is suggested next, so every
// reason says what it will do before anything is sent.

import { h, append, busy, errorMessage } from './dom.js';
import { inlineError } from './partnership/common.js';

// reasons a match is not a fit, in the order they are offered, with what
// each does: to a member (member) and, for the host answering for the
// first of two businesses about the second, host(a, b).
export const reasons = [
  {
    key: 'competitor', label: 'A competitor',
    member: 'They offer what you offer to the same customers; neither of you will be suggested the other again.',
    host: () => 'They offer the same to the same customers; neither will be suggested the other again, and the matcher learns to tell such rivals apart.',
  },
  {
    key: 'not_relevant', label: 'Not relevant',
    member: 'What they do is not what you look for; they will not be suggested to you again.',
    host: (a, b) => `What ${b} does is not what ${a} looks for; ${a} will not be suggested ${b} again.`,
  },
  {
    key: 'too_far', label: 'Too far away',
    member: 'They are too far from you to work together; they will not be suggested to you again.',
    host: (a, b) => `They are too far apart; ${a} will not be suggested ${b} again.`,
  },
  {
    key: 'already_know', label: 'We already know each other',
    member: 'You need no introduction; neither of you will be suggested the other again.',
    host: () => 'They know each other already; neither will be suggested the other again.',
  },
  {
    key: 'not_now', label: 'Not now',
    member: 'It may fit later; they will not be suggested to you again this quarter.',
    host: (a, b) => `It may fit later; ${a} will not be suggested ${b} again this quarter.`,
  },
];

// reasonWords names every reason an answer may carry, those of a meeting's
// follow-up included, in lower case to go after "Not a fit: ".
const reasonWords = {
  ...Object.fromEntries(reasons.map((r) => [r.key, r.label.toLowerCase()])),
  already_know: 'they already know each other',
  met_useful: 'they met and it was useful',
  met_not_useful: 'they met and it was no use',
};

export const reasonOf = (key) => reasons.find((r) => r.key === key);

// verdictWords says an answer in words: "Good fit", "Not a fit: a competitor".
export function verdictWords(verdict, reason) {
  const head = verdict === 'good_fit' ? 'Good fit' : 'Not a fit';
  return reason ? `${head}: ${reasonWords[reason] || reason}` : head;
}

// sourceWords say where an answer was given.
export const sourceWords = {
  matches: 'on their matches', round: 'in a round', digest: 'from a digest', follow_up: 'after they met',
};

// problem is what to say of a failed answer: the server's message, and
// what it said of each field.
function problem(err) {
  const fields = Object.entries((err && err.fields) || {});
  return fields.length ? `${errorMessage(err)} (${fields.map(([k, v]) => `${k}: ${v}`).join('; ')})` : errorMessage(err);
}

let choiceSeq = 0;

// fitChoice lets someone answer about a match. "Good fit" is one click (it
// binds nobody, and can be changed). "Not a fit" opens the reasons, each
// with what it does, and sends nothing until the choice is confirmed;
// Cancel closes them. Options:
//   question: what the buttons answer ("Is this partner a good fit?")
//   hint: a line under the question, or none
//   said: an earlier answer ({verdict, reason}) or null; a good fit hides
//     the "Good fit" button
//   text: what to say above the buttons (the earlier or just recorded
//     answer), as a status the caller may focus
//   effect(reason): what a reason does, in the reader's words
//   send(verdict, reason): records the answer and returns it
//   done(answer): draws what follows (the caller replaces this box)
export function fitChoice({ question, hint, said, text, effect, send, done }) {
  const n = ++choiceSeq;
  const box = h('div', { class: 'fit', role: 'group', 'aria-labelledby': `fit-q-${n}` });
  const run = async (button, verdict, reason, where) => {
    box.querySelector('.action-error')?.remove();
    try {
      await busy(button, 'Saving…', async () => done(await send(verdict, reason)));
    } catch (err) {
      if (err.name !== 'AbortError') inlineError(where, problem(err));
    }
  };

  const good = h('button', { type: 'button', class: 'secondary', text: 'Good fit' });
  const notFit = h('button', { type: 'button', class: 'secondary', text: 'Not a fit', 'aria-expanded': 'false', 'aria-controls': `fit-reasons-${n}` });
  const chooser = h('form', { class: 'fit-reasons', id: `fit-reasons-${n}`, hidden: true, novalidate: true },
    h('fieldset', {},
      h('legend', { text: 'Why is it not a fit?' }),
      reasons.map((r) => {
        const id = `fit-${n}-${r.key}`;
        return h('div', { class: 'fit-reason' },
          h('input', { type: 'radio', name: 'reason', id, value: r.key, 'aria-describedby': `${id}-effect` }),
          h('div', {},
            h('label', { for: id, text: r.label }),
            h('p', { class: 'hint', id: `${id}-effect`, text: effect(r.key) })));
      })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'danger', text: 'Confirm: not a fit' }),
      h('button', { type: 'button', class: 'secondary', text: 'Cancel', on: { click: () => close() } })));
  const open = () => {
    chooser.hidden = false;
    notFit.setAttribute('aria-expanded', 'true');
    chooser.querySelector('input').focus();
  };
  const close = () => {
    chooser.reset();
    chooser.querySelector('.action-error')?.remove();
    chooser.hidden = true;
    notFit.setAttribute('aria-expanded', 'false');
    notFit.focus();
  };
  good.addEventListener('click', () => run(good, 'good_fit', '', box));
  notFit.addEventListener('click', () => (chooser.hidden ? open() : close()));
  chooser.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const reason = chooser.elements.reason.value;
    if (!reason) {
      inlineError(chooser, 'Choose why it is not a fit.');
      chooser.querySelector('input').focus();
      return;
    }
    run(chooser.querySelector('button[type=submit]'), 'not_a_fit', reason, chooser);
  });

  const goodSaid = said && said.verdict === 'good_fit';
  return append(box, [
    text ? saidLine(text, goodSaid ? '' : 'muted') : null,
    h('p', { class: 'fit-question', id: `fit-q-${n}`, text: goodSaid ? 'Changed your mind?' : question }),
    hint ? h('p', { class: 'hint', text: hint }) : null,
    h('div', { class: 'actions' }, goodSaid ? null : good, notFit),
    chooser,
  ]);
}

// saidLine says what was recorded. It can take the focus: the buttons that
// were pressed are gone once it shows.
export function saidLine(text, kind = '') {
  return h('p', { class: ['said', 'fit-said', kind], role: 'status', tabindex: '-1', text });
}
