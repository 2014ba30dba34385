// Introductions: the host introduced two posts; both members must say yes
// before contact details are shared.

import { h, replace, append, empty, errorMessage, userText, busy, toast, badge, formatDate, formError, showErrors, clearErrors } from '../dom.js';
import * as api from '../api.js';
import { postMeta, postDetails, laneNames } from '../posts.js';
import { lanes as partnerLanes, confirmStep } from '../partnership/common.js';
import { signInForm } from './signin.js';
import { meetingPart } from './meeting.js';

export async function render(view, ctx) {
  const m = await api.member();
  if (!m) {
    replace(view,
      h('h1', { tabindex: '-1', text: 'Introductions' }),
      signInForm('', 'Sign in to answer introductions. We email you a link — no password.'));
    return 'Introductions';
  }
  const [res, started] = await Promise.all([
    api.get('/api/v1/introductions', { auth: 'member', signal: ctx.signal }),
    api.get('/api/v1/partnerships', { auth: 'member', signal: ctx.signal }).catch((err) => { if (err.name === 'AbortError') throw err; return null; }),
  ]);
  // The partnerships started from introductions, by introduction; null
  // when they could not be read (the action then stays away).
  const partnerships = started ? new Map((started.partnerships || []).filter((p) => p.introduction_id).map((p) => [p.introduction_id, p])) : null;
  const intros = (res.introductions || []).map((i) => ({ ...sides(i, m.email), partnership: partnerships ? partnerships.get(i.id) || null : undefined }));

  const groups = [
    { key: 'yours', title: 'Waiting for your answer', items: intros.filter((i) => i.status === 'pending' && !i.mine.answer) },
    { key: 'theirs', title: 'Waiting for them', items: intros.filter((i) => i.status === 'pending' && i.mine.answer) },
    { key: 'accepted', title: 'Accepted', items: intros.filter((i) => i.status === 'accepted') },
    { key: 'closed', title: 'Declined or expired', items: intros.filter((i) => i.status === 'declined' || i.status === 'expired') },
  ];
  replace(view,
    h('h1', { tabindex: '-1', text: 'Introductions' }),
    h('p', { class: 'lead', text: 'The host introduces partners who look right for each other. Contact details are shared only when you both say yes; a no is quiet — they only hear that it did not go ahead.' }));
  if (intros.length === 0) {
    view.append(empty('No introductions yet.', 'When the host introduces you to a partner, it shows up here and in your email. Meanwhile, see ',
      h('a', { href: '/app/matches', text: 'your matches' }), '.'));
    return 'Introductions';
  }
  for (const g of groups) {
    if (g.items.length === 0) continue;
    const id = `intros-${g.key}`;
    view.append(h('section', { class: ['intro-group', `intro-${g.key}`], 'aria-labelledby': id },
      h('h2', { id }, g.title, ' ', h('span', { class: 'count', text: `(${g.items.length})` })),
      h('div', { class: 'card-list' }, g.items.map((i) => introCard(i, ctx, m)))));
  }
  return 'Introductions';
}

// sides works out which side of an introduction is the member's.
function sides(intro, email) {
  const aMine = (intro.a.post.email || '').toLowerCase() === email.toLowerCase();
  return { ...intro, mine: aMine ? intro.a : intro.b, other: aMine ? intro.b : intro.a };
}

function introCard(i, ctx, member) {
  const other = i.other.post;
  const card = h('article', { class: ['card', 'intro-card', `intro-${i.status}`], dataset: { introduction: i.id } },
    h('header', { class: 'card-head' },
      userText('h3', other.business, { class: 'card-title' }),
      statusBadge(i)),
    h('p', { class: 'muted' }, 'Introduced to your post ', userText('strong', i.mine.post.business), ` on ${formatDate(i.created_at)}.`),
    // What the email said: why the two of them, and the host's word.
    (i.mine.reasons || []).length ? h('div', { class: 'reasons' },
      h('h4', { text: 'Why you two' }),
      h('ul', {}, i.mine.reasons.map((r) => userText('li', r)))) : null,
    i.note ? h('blockquote', { class: 'host-note' }, h('span', { class: 'muted', text: 'A note from the host: ' }), userText('span', i.note)) : null,
    postMeta(other),
    postDetails(other));
  if (i.status === 'accepted') {
    card.append(h('div', { class: 'contact' },
      h('h4', { text: 'You both said yes — get in touch' }),
      other.email ? h('p', {}, h('a', { href: `mailto:${other.email}`, dir: 'auto', text: other.email })) : null));
    card.append(meetingPart(i, member));
    if (i.partnership) {
      const ended = i.partnership.status === 'ended';
      card.append(h('p', { class: ['said', 'partnership-started', ended && 'muted'] },
        ended ? `Your ${i.partnership.lane} partnership has ended. ` : `You are ${i.partnership.lane} partners. `,
        h('a', { href: `/app/partnerships/${i.partnership.id}`, text: 'Open the partnership' })));
    } else if (i.partnership === null) {
      card.append(startPartnership(i, ctx));
    }
  } else if (i.status === 'pending' && !i.mine.answer) {
    card.append(
      h('p', { class: 'deadline', text: `Please answer by ${formatDate(i.expires_at)}.` }),
      answerButtons(card, i, ctx));
  } else if (i.status === 'pending') {
    card.append(h('p', { class: 'said', text: 'You said yes. We will email you both each other’s contact details once they say yes too.' }));
  } else if (i.status === 'declined') {
    card.append(h('p', { class: 'muted', text: i.mine.answer === 'declined' ? 'You said no, thank you.' : 'It did not go ahead.' }));
  } else if (i.status === 'expired') {
    card.append(h('p', { class: 'muted', text: 'Nobody answered in time, so the introduction lapsed.' }));
  }
  return card;
}

function statusBadge(i) {
  switch (i.status) {
    case 'accepted': return badge('Accepted', 'good');
    case 'declined': return badge('Did not go ahead', 'muted');
    case 'expired': return badge('Expired', 'muted');
  }
  return i.mine.answer ? badge('Waiting for them', 'wait') : badge('Your answer needed', 'attention');
}

function answerButtons(card, i, ctx) {
  const box = h('div', { class: 'actions' });
  const acceptKey = api.newKey(); // one acceptance, however often sent
  const accept = async (button) => {
    for (const b of box.querySelectorAll('button')) b.disabled = true;
    try {
      const updated = await busy(button, 'Saving…', () => api.post(`/api/v1/introductions/${i.id}/answer`, { answer: 'accept' }, { auth: 'member', key: acceptKey }));
      toast(updated && updated.status === 'accepted' ? 'You both said yes: contact details are shared.' : 'Thanks: we will tell you when they answer.');
      ctx.navigate(location.pathname, { replace: true });
    } catch (err) {
      for (const b of box.querySelectorAll('button')) b.disabled = false;
      box.querySelector('.field-error')?.remove();
      box.append(h('p', { class: 'field-error', role: 'alert', text: errorMessage(err) }));
    }
  };
  // Declining ends the introduction for good: it asks first.
  return append(box, [
    h('button', { type: 'button', class: 'primary', text: 'Yes, introduce us', on: { click: (ev) => accept(ev.currentTarget) } }),
    confirmStep({
      label: 'No, thank you', question: `Decline the introduction to ${i.other.post.business}? It cannot be undone.`,
      yes: 'Yes, decline', no: 'Not now', busyLabel: 'Saving…', kind: 'secondary',
      work: async (key) => {
        await api.post(`/api/v1/introductions/${i.id}/answer`, { answer: 'decline' }, { auth: 'member', key });
        toast('Thanks for letting us know.');
        ctx.navigate(location.pathname, { replace: true });
      },
    }),
  ]);
}

// accepts reports whether a post's lane admits a partnership in lane.
const accepts = (postLane, lane) => postLane === lane || postLane === 'either';

// startPartnership starts a partnership from an accepted introduction, in
// a lane both posts accept: when both are open to either, the member
// chooses, referral (the lighter commitment) being the default.
function startPartnership(i, ctx) {
  const mine = i.mine.post.lane;
  const theirs = i.other.post.lane;
  const open = ['referral', 'strategic'].filter((l) => accepts(mine, l) && accepts(theirs, l));
  const box = h('div', { class: 'start-partnership' }, h('h4', { text: 'Work together' }));
  if (open.length === 0) {
    box.append(h('p', { class: 'muted', text: `Your post asks for a ${(laneNames[mine] || mine).toLowerCase()} partnership and theirs for a ${(laneNames[theirs] || theirs).toLowerCase()} one, so a partnership cannot start from this introduction. Talk it over; a new post can change your lane.` }));
    return box;
  }
  const suggested = mine === 'strategic' || theirs === 'strategic' ? 'strategic' : 'referral';
  const lane = open.includes(suggested) ? suggested : open[0];
  const form = h('form', { class: 'stack', novalidate: true },
    formError(),
    open.length === 1
      ? h('p', {}, `It runs in the ${open[0]} lane, the one you both asked for: ${partnerLanes[open[0]].text}`)
      : h('fieldset', { class: 'field', dataset: { field: 'lane' } },
        h('legend', { text: 'Lane' }),
        h('p', { class: 'hint', text: 'You are both open to either lane. A partnership runs in one at a time; moving to the other later is one recorded step.' }),
        h('div', { class: 'lane-options' }, open.map((l) => h('div', { class: 'lane-option' },
          h('input', { type: 'radio', name: 'lane', id: `intro-${i.id}-lane-${l}`, value: l, checked: l === lane }),
          h('label', { for: `intro-${i.id}-lane-${l}` },
            h('span', { class: 'lane-title', text: l === lane ? `${partnerLanes[l].title} (suggested)` : partnerLanes[l].title }),
            h('span', { class: 'lane-text', text: l === 'referral' ? `${partnerLanes[l].text} The lighter commitment.` : partnerLanes[l].text }))))),
        h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Start a partnership' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const chosen = open.length === 1 ? open[0] : form.elements.lane.value;
    try {
      const p = await busy(form.querySelector('button[type=submit]'), 'Starting…',
        () => api.post('/api/v1/partnerships', { introduction_id: i.id, lane: chosen }, { auth: 'member' }));
      toast(`You are now ${p.lane} partners: they are emailed.`);
      ctx.navigate(`/app/partnerships/${p.id}`);
    } catch (err) { showErrors(form, err, { lane: 'Lane' }); }
  });
  box.append(form);
  return box;
}
