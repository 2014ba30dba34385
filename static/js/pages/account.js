// My account: who is signed in, everything the service holds about them
// as one file to keep or take elsewhere, personal API keys, and erasing
// the account (GDPR Art. 15, 17 and 20).

import { h, replace, append, field, formError, showErrors, clearErrors, busy, toast, formatDate, saveFile, userText } from '../dom.js';
import * as api from '../api.js';
import { signInForm } from './signin.js';
import { actionButton, confirmStep, once } from '../partnership/common.js';

export async function render(view, ctx) {
  const m = await api.member();
  if (!m) {
    replace(view, h('h1', { tabindex: '-1', text: 'Your account' }), signInForm('', 'Sign in to see your account. We email you a link — no password.'));
    return 'Your account';
  }
  replace(view,
    h('h1', { tabindex: '-1', text: 'Your account' }),
    h('dl', { class: 'facts' },
      h('dt', { text: 'Address' }), h('dd', { dir: 'auto', text: m.email }),
      h('dt', { text: 'Member since' }), h('dd', { text: formatDate(m.member_since) })),
    h('section', { class: 'your-data', 'aria-labelledby': 'data-title' },
      h('h2', { id: 'data-title', text: 'Your data' }),
      h('p', {}, 'Everything Matchmaker holds about you — your posts, matches, introductions, partnerships, referrals, emails and settings — as one JSON file. Each partnership’s ledger is also on its page as CSV.'),
      h('div', { class: 'actions' }, actionButton('Download my data', 'Preparing…', async () => {
        const name = saveFile(await api.file('/api/v1/me/export', { auth: 'member' }), 'matchmaker-data.json');
        toast(`Saved ${name}.`);
      }, { kind: 'secondary' }))),
    await keysSection(ctx),
    eraseSection(m, ctx));
  return 'Your account';
}

// keysSection lists the member's personal API keys (for their site's
// reports of sign-ups and sales, or their own scripts), makes one, shown
// once, and revokes one after asking.
async function keysSection(ctx) {
  const res = await api.get('/api/v1/me/tokens', { auth: 'member', signal: ctx.signal });
  const keys = res.tokens || [];
  const box = h('section', { class: 'api-keys', 'aria-labelledby': 'keys-title' });
  const shown = h('div', { class: 'new-key', role: 'status' });
  const form = h('form', { class: 'stack key-form', novalidate: true },
    formError(),
    field({ label: 'Name of the new key', name: 'name', required: true, hint: 'What uses it, like “shop checkout”.', attrs: { maxlength: 100, autocomplete: 'off' } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', text: 'Make a key' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const made = await busy(form.querySelector('button[type=submit]'), 'Making…',
        () => once(form, (key) => api.post('/api/v1/me/tokens', { name: form.elements.name.value.trim() }, { auth: 'member', key })));
      const list = box.querySelector('.key-list');
      list.append(keyItem(made));
      replace(shown, h('p', { class: 'notice' }, 'Your new key, shown this once: copy it now. ',
        userText('code', made.token, { class: 'link-url' })));
      form.reset();
    } catch (err) { showErrors(form, err, { name: 'Name of the new key' }); }
  });
  return append(box, [
    h('h2', { id: 'keys-title', text: 'Personal API keys' }),
    h('p', {}, 'A key lets your site or your scripts act as you: report the sign-ups and sales your referral partners send you, read your matches. Keep it secret; it is stored only as a hash.'),
    h('ul', { class: 'key-list item-list' }, keys.map(keyItem)),
    shown, form]);
}

function keyItem(k) {
  const li = h('li', { class: 'key-item', dataset: { key: k.id } },
    userText('strong', k.name), ' ',
    h('span', { class: 'muted', text: `made ${formatDate(k.created_at)} · ${k.last_used_at ? `last used ${formatDate(k.last_used_at)}` : 'never used'}` }), ' ',
    confirmStep({
      label: 'Revoke', question: `Revoke “${k.name}”? What uses it stops working.`, yes: 'Yes, revoke', no: 'Keep it', busyLabel: 'Revoking…',
      work: async (key) => { await api.del(`/api/v1/me/tokens/${k.id}`, { auth: 'member', key }); li.remove(); toast('Revoked.'); },
    }));
  return li;
}

// eraseSection erases the account once the member types their address
// again: it cannot be undone, so a click is not enough.
function eraseSection(m, ctx) {
  const form = h('form', { class: 'erase-form stack', novalidate: true },
    formError(),
    field({ label: 'Your address, to confirm', name: 'confirm_email', type: 'email', required: true, hint: `Type ${m.email}.`, attrs: { autocomplete: 'off', spellcheck: 'false' } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', text: 'Erase my account for good' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const confirm = form.elements.confirm_email.value.trim();
    if (confirm.toLowerCase() !== m.email.toLowerCase()) {
      showErrors(form, { fields: { confirm_email: `must be ${m.email}` } }, { confirm_email: 'Your address, to confirm' });
      return;
    }
    try {
      await busy(form.querySelector('button[type=submit]'), 'Erasing…',
        () => once(form, (key) => api.post('/api/v1/me/erase', { confirm_email: confirm }, { auth: 'member', key })));
      api.forgetMember();
      await ctx.refreshAccount();
      toast('Your account is erased. Thank you for being part of the community.');
      ctx.navigate('/', { replace: true });
    } catch (err) {
      showErrors(form, err, { confirm_email: 'Your address, to confirm' });
    }
  });
  return h('section', { class: 'erase', 'aria-labelledby': 'erase-title' },
    h('h2', { id: 'erase-title', text: 'Erase my account' }),
    h('p', {}, 'This deletes your posts with their matches and introductions, your sign-in, your settings and the emails we sent you, and removes your address from everything else. It cannot be undone.'),
    h('p', { class: 'muted' }, 'Partnerships you started stay for your partners, with you shown as a former member. Commissions, payouts and plan history stay as written: bookkeeping records the law requires partners to keep.'),
    form);
}
