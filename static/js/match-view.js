// Scores in plain words. The API gives four figures in [0, 1], seen from
// one post: how well the other's offer answers its seek, the reverse, the
// customer overlap, and how alike the two offers are.

import { h, badge } from './dom.js';

// Where a figure starts to count. Scores of short texts are modest: a
// cosine of 0.12 between an offer and a seek already means they speak of
// the same thing, and good partners in the evaluation set score 0.2 to 0.4
// overall (see match/weights.go and BENCHMARKS.md).
const answers = 0.12;
const overlap = 0.3;
const rivals = 0.33; // match.RivalWarning

// weak is the score under which a match is shown apart, as a long shot.
export const weak = 0.1;

// scoreChips says what a match rests on, from the viewpoint of the post
// whose scores these are.
export function scoreChips(s, { you = 'you', they = 'they' } = {}) {
  if (!s) return null;
  const chips = [];
  const theyGive = s.they_offer_what_you_seek >= answers;
  const youGive = s.you_offer_what_they_seek >= answers;
  if (theyGive && youGive) chips.push(['Both want this', 'good']);
  else if (theyGive) chips.push([`${cap(they)} offer what ${you} look for`, 'good']);
  else if (youGive) chips.push([`${cap(you)} offer what ${they} look for`, 'good']);
  if (s.shared_customers >= overlap) chips.push(['Shared customers', 'good']);
  if (s.same_offer >= rivals) chips.push(['Similar offers: check you are not rivals', 'warn']);
  if (!chips.length) return null;
  return h('ul', { class: 'chips', 'aria-label': 'Why this match' }, chips.map(([t, k]) => h('li', {}, badge(t, k))));
}

// The scores from which a match is called strong, and good.
export const strongScore = 0.3;
export const goodScore = 0.18;

// strength names a match's overall score.
export function strength(score) {
  if (score >= strongScore) return ['Strong match', 'strong'];
  if (score >= goodScore) return ['Good match', 'good'];
  return ['Possible match', 'fair'];
}

export function strengthBadge(score) {
  const [text, kind] = strength(score);
  return badge(text, `strength-${kind}`);
}

function cap(s) { return s.charAt(0).toUpperCase() + s.slice(1); }

// pairChips says what a suggested pair rests on, for the host, who sees
// both sides: s is seen from a.
export function pairChips(s, a, b) {
  if (!s) return null;
  const chips = [];
  const bGivesA = s.they_offer_what_you_seek >= answers;
  const aGivesB = s.you_offer_what_they_seek >= answers;
  if (bGivesA && aGivesB) chips.push(['Both want this', 'good']);
  else if (bGivesA) chips.push([`One-sided: ${b} offers what ${a} seeks`, 'fair']);
  else if (aGivesB) chips.push([`One-sided: ${a} offers what ${b} seeks`, 'fair']);
  else chips.push(['Neither clearly offers what the other seeks', 'warn']);
  if (s.shared_customers >= overlap) chips.push(['Shared customers', 'good']);
  else chips.push(['Different customers', 'fair']);
  if (s.same_offer >= rivals) chips.push(['Similar offers: possible rivals', 'warn']);
  return h('ul', { class: 'chips', 'aria-label': 'What the pair rests on' }, chips.map(([t, k]) => h('li', {}, badge(t, k))));
}
