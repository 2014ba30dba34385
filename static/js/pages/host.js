// Host console: the community host signs in with their token (kept in this
// tab's sessionStorage only) and moderates posts, turns comment threads into
// posts, runs the quarter's matchmaking round, sees what the matcher learned
// from answers about matches, watches how strategic partnerships do, sends
// the quarterly digests and sees every email the service owes.

import { h, replace, field, formError, showErrors, clearErrors, formValues, busy, toast } from '../dom.js';
import * as api from '../api.js';
import * as posts from '../host/posts.js';
import * as intake from '../host/intake.js';
import * as rounds from '../host/rounds.js';
import * as learning from '../host/learning.js';
import * as health from '../host/health.js';
import * as digests from '../host/digests.js';
import * as mail from '../host/mail.js';
import * as money from '../host/money.js';

// sections are the console's tabs. One without a page (soon: what to say)
// is the place of a feature whose API is still being built.
const sections = [
  { key: 'posts', title: 'Posts', page: posts },
  { key: 'intake', title: 'Intake', page: intake },
  { key: 'rounds', title: 'Rounds', page: rounds },
  { key: 'learning', title: 'Learning', page: learning },
  { key: 'partnerships', title: 'Partnership health', page: health },
  { key: 'money', title: 'Money', page: money },
  { key: 'digests', title: 'Digests', page: digests },
  { key: 'mail', title: 'Mail', page: mail },
];

export async function render(view, ctx) {
  if (!api.hostToken()) return signIn(view, ctx);
  const section = sections.find((s) => s.key === (ctx.params.section || 'posts'));
  const frame = h('div', { class: 'host' },
    h('div', { class: 'host-head' },
      h('p', { class: 'eyebrow', text: 'Host console' }),
      h('button', {
        type: 'button', class: 'secondary small', text: 'Leave the console',
        on: { click: () => { api.setHostToken(''); toast('You left the host console.'); ctx.navigate('/app/host'); } },
      })),
    h('nav', { class: 'tabs', 'aria-label': 'Host console' }, h('ul', {}, sections.map((s) => h('li', {},
      h('a', { href: `/app/host/${s.key}`, 'aria-current': s === section ? 'page' : null },
        s.title, s.soon ? h('span', { class: 'soon', text: 'soon' }) : null))))));
  const body = h('div', { class: 'host-body' });
  frame.append(body);
  replace(view, frame);
  if (!section) {
    replace(body, h('h1', { tabindex: '-1', text: 'Page not found' }), h('p', { text: 'The console has no such section.' }));
    return 'Host console';
  }
  if (section.soon) {
    replace(body, h('h1', { tabindex: '-1', text: section.title }), h('div', { class: 'notice' }, h('p', { text: section.soon })));
    return `${section.title} · Host`;
  }
  try {
    return `${await section.page.render(body, ctx)} · Host`;
  } catch (err) {
    if (err.status === 401) { // the token changed on the server
      api.setHostToken('');
      return signIn(view, ctx, 'Your host token is no longer valid. Sign in again.');
    }
    throw err;
  }
}

function signIn(view, ctx, problem) {
  const form = h('form', { class: 'stack narrow', novalidate: true, autocomplete: 'off' },
    formError(),
    field({
      label: 'Host token', name: 'token', type: 'password', required: true,
      hint: 'From the MATCHMAKER_HOST_TOKEN setting or the data folder\'s host-token file. It stays in this browser tab only, and goes when you close it.',
      attrs: { autocomplete: 'off', spellcheck: 'false' },
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Open the console' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const { token } = formValues(form);
    if (!token) { showErrors(form, { fields: { token: 'paste the host token' } }); return; }
    api.setHostToken(token);
    try {
      await busy(form.querySelector('button[type=submit]'), 'Checking…', () => api.get('/api/v1/rounds', { auth: 'host' }));
      ctx.navigate(location.pathname === '/app/host' ? '/app/host/posts' : location.pathname + location.search, { replace: true });
    } catch (err) {
      api.setHostToken('');
      showErrors(form, err.status === 401 ? { fields: { token: 'this is not the host token' } } : err);
    }
  });
  replace(view,
    h('h1', { tabindex: '-1', text: 'Host console' }),
    h('p', { class: 'lead', text: 'For the community host: moderate posts, turn comment threads into posts, run each quarter’s matchmaking round, watch partnerships and send the digests.' }),
    problem ? h('p', { class: 'notice error', role: 'alert', text: problem }) : null,
    form);
  return 'Host console';
}
