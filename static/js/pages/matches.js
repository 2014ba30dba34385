// My matches: for each of my posts, the partners the engine suggests, with
// the reasons in both members' words, a way to ask for an introduction or
// say no, and a way to tell the matcher whether a partner is a good fit.

import { h, replace, append, empty, errorPanel, errorMessage, userText, busy, toast, badge, formError, formValues,
  showErrors, clearErrors } from '../dom.js';
import * as api from '../api.js';
import { postMeta, postDetails, laneBadge } from '../posts.js';
import { scoreChips, strengthBadge, weak } from '../match-view.js';
import { signInForm } from './signin.js';
import { postFields, postBody, postLabels } from './start.js';
import { confirmStep } from '../partnership/common.js';
import { fitChoice, saidLine, reasonOf, verdictWords } from '../feedback.js';


const statusText = {
  pending: 'Waiting for you to click the link we emailed: it goes live then.',
  paused: 'Paused: it is out of the directory and of new matches until you resume it.',
  hidden: 'Hidden by the host. Ask the host if you think this is a mistake.',
};

export async function render(view, ctx) {
  const m = await api.member();
  if (!m) {
    replace(view,
      h('h1', { tabindex: '-1', text: 'My matches' }),
      signInForm('', 'Sign in to see the partners we suggest for your posts. We email you a link — no password.'));
    return 'My matches';
  }
  const mine = await api.get('/api/v1/me/posts', { auth: 'member', signal: ctx.signal });
  const posts = mine.posts || [];
  if (posts.length === 0) {
    replace(view,
      h('h1', { tabindex: '-1', text: 'My matches' }),
      empty('You have no posts yet.', 'Say what you do and whom you look for, and we will suggest partners: ',
        h('a', { href: '/app/start', text: 'post now' }), '.'));
    return 'My matches';
  }
  const wanted = Number(ctx.query.get('post'));
  const post = posts.find((p) => p.id === wanted) || posts.find((p) => p.status === 'active') || posts[0];

  const section = h('section', { class: 'matches', 'aria-labelledby': 'matches-title' });
  replace(view,
    h('h1', { tabindex: '-1', text: 'My matches' }),
    posts.length > 1 ? postSwitcher(posts, post) : null,
    myPostCard(post, ctx),
    section);

  const list = h('div', { class: 'card-list' });
  if (post.status === 'pending' || post.status === 'hidden') {
    replace(section, h('h2', { id: 'matches-title', text: 'Partners for you' }),
      empty('No matches yet.', 'Partners show up here once your post is live.'));
    return 'My matches';
  }
  replace(section, h('h2', { id: 'matches-title', text: 'Partners for you' }), h('p', { class: 'loading', text: 'Finding partners…' }));
  let res;
  try {
    res = await api.get(`/api/v1/posts/${post.id}/matches?limit=20`, { auth: 'member', signal: ctx.signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    replace(section, h('h2', { id: 'matches-title', text: 'Partners for you' }), errorPanel(err, () => ctx.navigate(location.pathname + location.search, { replace: true })));
    return 'My matches';
  }
  const found = res.matches || [];
  const actions = { post };
  const strong = found.filter((mt) => mt.score >= weak);
  const longShots = found.filter((mt) => mt.score < weak);
  append(list, strong.map((mt) => matchCard(mt, actions)));
  if (longShots.length) {
    list.append(h('details', { class: 'long-shots', open: strong.length === 0 },
      h('summary', { text: `${longShots.length} long ${longShots.length === 1 ? 'shot' : 'shots'}: partners with less in common` }),
      h('div', { class: 'card-list' }, longShots.map((mt) => matchCard(mt, actions)))));
  }
  replace(section,
    h('h2', { id: 'matches-title', text: 'Partners for you' }),
    found.length
      ? h('p', { class: 'muted', text: 'Best first. Each says why, in your words and theirs. The host introduces pairs each quarter; contact details are shared only when you both accept.' })
      : null,
    found.length ? list : empty('No matches yet.',
      post.status === 'active'
        ? 'We look for businesses that offer what you seek, want what you offer and serve your customers. As more people post, partners show up here.'
        : 'Partners show up here once your post is live.'));
  return 'My matches';
}

function postSwitcher(posts, current) {
  return h('nav', { class: 'post-switcher', 'aria-label': 'Your posts' },
    h('ul', {}, posts.map((p) => h('li', {},
      h('a', {
        href: `/app/matches?post=${p.id}`, 'aria-current': p.id === current.id ? 'page' : null,
      }, userText('span', p.business), ' ', p.status !== 'active' ? badge(p.status, `status-${p.status}`) : null)))));
}

// myPostCard shows the post the matches are for, with pause and resume,
// edit and delete (which asks first).
function myPostCard(p, ctx) {
  const note = statusText[p.status];
  let toggle = null;
  if (p.status === 'active' || p.status === 'paused') {
    const next = p.status === 'active' ? 'paused' : 'active';
    toggle = h('button', {
      type: 'button', class: 'secondary small', text: p.status === 'active' ? 'Pause my post' : 'Resume my post',
      on: {
        click: async (ev) => {
          try {
            await busy(ev.currentTarget, 'Saving…', () => api.patch(`/api/v1/posts/${p.id}`, { status: next }, { auth: 'member' }));
            toast(next === 'paused' ? 'Your post is paused.' : 'Your post is live again.');
            ctx.navigate(`/app/matches?post=${p.id}`, { replace: true });
          } catch (err) {
            toast(errorMessage(err));
          }
        },
      },
    });
  }
  return h('details', { class: 'card my-post', open: p.status !== 'active' },
    h('summary', {},
      h('span', { class: 'muted', text: 'Your post: ' }), userText('strong', p.business), ' ',
      p.status === 'active' ? laneBadge(p.lane) : badge(p.status, `status-${p.status}`)),
    note ? h('p', { class: 'notice', text: note }) : null,
    postMeta(p),
    postDetails(p, { offerLabel: 'What you do', seekLabel: 'You look for' }),
    h('div', { class: 'actions' }, toggle, p.status !== 'hidden' ? confirmStep({
      label: 'Delete my post', kind: 'danger small', busyLabel: 'Deleting…', yes: 'Yes, delete it', no: 'Keep it',
      question: `Delete the post of ${p.business} for good? Its matches and the introductions made from it go with it; partnerships you have started stay. This cannot be undone.`,
      work: async (key) => {
        await api.del(`/api/v1/posts/${p.id}`, { auth: 'member', key });
        toast('Your post is deleted.');
        ctx.navigate('/app/matches', { replace: true });
      },
    }) : null),
    p.status !== 'hidden' ? h('details', { class: 'edit-post' }, h('summary', { text: 'Edit my post' }), editForm(p, ctx)) : null);
}

// editForm lets a member change their post: every field but the address
// it is under, checked as a new post is. The matches are found again at
// once, from the new words.
function editForm(p, ctx) {
  const form = h('form', { class: 'post-form edit-post-form stack', novalidate: true },
    formError(),
    postFields(p),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Save my post' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const body = postBody(v);
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…', () => api.patch(`/api/v1/posts/${p.id}`, body, { auth: 'member' }));
      toast('Saved. Your matches are found again from your new words.');
      ctx.navigate(`/app/matches?post=${p.id}`, { replace: true });
    } catch (err) {
      showErrors(form, err, postLabels);
    }
  });
  return form;
}

function matchCard(mt, actions) {
  const p = mt.post;
  const reasons = (mt.reasons || []).filter(Boolean);
  const card = h('article', { class: 'card match-card', dataset: { post: p.id } },
    h('header', { class: 'card-head' },
      userText('h3', p.business, { class: 'card-title' }),
      strengthBadge(mt.score)),
    postMeta(p),
    scoreChips(mt.scores),
    reasons.length ? h('div', { class: 'reasons' },
      h('h4', { text: 'Why we suggest them' }),
      h('ul', {}, reasons.map((r) => userText('li', r)))) : null,
    h('details', { class: 'more' },
      h('summary', { text: 'What they do and seek' }),
      postDetails(p)));
  card.append(interestActions(card, mt, actions), fitActions(card, mt, actions));
  return card;
}

// fitActions let a member tell the matcher whether a partner is a good fit
// or not, and why. A good fit can still be changed to "not a fit"; a not a
// fit takes the partner out of the list (on the next visit), so the card
// then only says what was recorded.
function fitActions(card, mt, actions) {
  const box = h('div', { class: 'fit-box' });
  const send = (verdict, reason) => api.post(`/api/v1/posts/${actions.post.id}/matches/${mt.post.id}/feedback`,
    { verdict, reason, source: 'matches' }, { auth: 'member' });
  const draw = (said, text) => replace(box, fitChoice({
    question: 'Is this partner a good fit?', said, text,
    effect: (reason) => reasonOf(reason).member, send,
    done: (answer) => {
      if (answer.verdict === 'not_a_fit') {
        card.classList.add('declined');
        replace(box, saidLine(recordedText(answer), 'muted'));
      } else {
        draw(answer, recordedText(answer));
      }
      box.querySelector('.fit-said').focus();
    },
  }));
  draw(mt.feedback, mt.feedback ? earlierText(mt.feedback) : null);
  return box;
}

// earlierText says what the member answered before: a good fit, or a "not
// now" of an earlier quarter (other answers take the partner out).
function earlierText(said) {
  if (said.verdict === 'good_fit') return 'You said it is a good fit.';
  if (said.reason === 'not_now') return 'You said “not now” in an earlier quarter.';
  return `You said: ${verdictWords(said.verdict, said.reason).toLowerCase()}.`;
}

function recordedText(answer) {
  if (answer.verdict === 'good_fit') {
    return 'Noted: you said it is a good fit. We will suggest partners like them more often; it binds you to nothing.';
  }
  const r = reasonOf(answer.reason);
  return `Noted: not a fit (${r ? r.label.toLowerCase() : answer.reason}). ${r ? r.member : ''}`.trim();
}

// interestActions let a member ask for an introduction or turn a match
// down.
function interestActions(card, mt, actions) {
  const box = h('div', { class: 'actions interest' });
  const said = mt.interest;
  if (said === 'yes') return replace(box, h('p', { class: 'said', role: 'status', text: 'You asked for an introduction.' }));
  if (said === 'no') return replace(box, h('p', { class: 'said muted', role: 'status', text: 'You said you are not interested.' }));
  const send = async (interest) => {
    await api.post(`/api/v1/posts/${actions.post.id}/matches/${mt.post.id}/interest`, { interest }, { auth: 'member' });
    replace(box, h('p', { class: ['said', interest === 'no' && 'muted'], role: 'status', tabindex: '-1',
      text: interest === 'yes'
        ? 'Noted: you would like an introduction. The host sees it when pairing partners; you both must accept before contact details are shared.'
        : 'Noted: you are not interested. We will not suggest them to you again.' }));
    if (interest === 'no') card.classList.add('declined');
    box.firstChild.focus();
  };
  const ask = h('button', { type: 'button', class: 'primary', text: 'Ask for an introduction' });
  ask.addEventListener('click', async () => {
    box.querySelector(':scope > .field-error')?.remove();
    try {
      await busy(ask, 'Saving…', () => send('yes'));
    } catch (err) {
      box.append(h('p', { class: 'field-error', role: 'alert', text: errorMessage(err) }));
    }
  });
  // Not interested is for good: it asks first.
  return append(box, [ask, confirmStep({
    label: 'Not interested', question: `Not interested in ${mt.post.business}? They will not be suggested to you again.`,
    yes: 'Yes, not interested', no: 'Keep them', busyLabel: 'Saving…', kind: 'secondary small', work: () => send('no'),
  })]);
}
