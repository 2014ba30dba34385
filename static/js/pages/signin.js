// Sign in: members get a link by email (no passwords). The link opens the
// /signin page, whose button sets the session and comes back here.

import { h, replace, field, formError, showErrors, clearErrors, formValues, busy } from '../dom.js';
import * as api from '../api.js';

export async function render(view, ctx) {
  const m = await api.member();
  if (m) {
    replace(view,
      h('h1', { tabindex: '-1', text: 'You are signed in' }),
      h('p', {}, 'Signed in as ', h('strong', { dir: 'auto', text: m.email }), '.'),
      h('p', { class: 'actions' },
        h('a', { href: '/app/matches', class: 'button primary', text: 'See your matches' }),
        h('a', { href: '/app/introductions', class: 'button secondary', text: 'Your introductions' })));
    return 'Signed in';
  }
  replace(view,
    h('h1', { tabindex: '-1', text: 'Sign in' }),
    signInForm(ctx.query.get('email') || ''));
  return 'Sign in';
}

// signInForm asks for an address and emails a sign-in link to it. Other
// pages show it to members who are not signed in.
export function signInForm(email = '', intro = 'We email you a link to sign in with — no password. Use the address you posted with.') {
  const form = h('form', { class: 'signin-form stack', novalidate: true },
    h('p', { text: intro }),
    formError(),
    field({ label: 'Email', name: 'email', type: 'email', required: true, value: email, attrs: { autocomplete: 'email', spellcheck: 'false', maxlength: 254 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Email me a sign-in link' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const { email: address } = formValues(form);
    if (!address) {
      showErrors(form, { fields: { email: 'enter the address you posted with' } });
      return;
    }
    try {
      const res = await busy(form.querySelector('button[type=submit]'), 'Sending…',
        () => api.post('/api/v1/auth/sign-in-link', { email: address }));
      const heading = h('h2', { tabindex: '-1', text: 'Check your email' });
      replace(form,
        h('div', { class: 'done-step small', role: 'status' },
          h('div', { class: 'done-icon', 'aria-hidden': 'true', text: '✉' }),
          heading,
          h('p', { text: res && res.message ? res.message : 'If this address has posts here, a sign-in link is on its way.' }),
          h('p', { class: 'muted', text: 'Open the link on this device. Nothing arrived? Look in your spam folder.' })));
      heading.focus();
    } catch (err) {
      showErrors(form, err);
    }
  });
  return form;
}
