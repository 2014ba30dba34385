// Start: the post form. Members say what they do, whom they look for, who
// their customers are and which lane they want; a post from someone not
// signed in waits for the link we email them.

import { h, replace, field, formError, showErrors, clearErrors, formValues, busy, userText } from '../dom.js';
import * as api from '../api.js';

// lanes explains the two kinds of partnership, so that people choose right.
export const lanes = [
  {
    value: 'referral', title: 'Referral partners',
    text: 'Money for introductions: you send each other customers and pay a commission on the sales (say 10%). '
      + 'Low commitment and no shared work — many partners, each on their own terms.',
  },
  {
    value: 'strategic', title: 'A strategic partner',
    text: 'Real shared work: joint packages, white-labelling, integrating your services, selling together. '
      + 'High commitment — a few partners, shared quarterly goals, planned and worked on together.',
  },
  {
    value: 'either', title: 'Either',
    text: 'Open to both. Every partnership still runs in one lane, and you agree which when you start.',
  },
];

const labels = {
  business: 'Business name', offer: 'What you do', seek: 'Who you are looking for', customers: 'Who your customers are',
  lane: 'Kind of partnership', region: 'Region', industry: 'Industry', website: 'Website', email: 'Email',
};

// postFields are the post form's fields, filled in with values (a post
// being edited); the email field only when email is set (a new post: its
// hint depends on whether the member is signed in).
export function postFields(values = {}, { email = false, member = null } = {}) {
  const v = (name) => (values[name] === undefined || values[name] === null ? '' : String(values[name]));
  return [
    field({ label: labels.business, name: 'business', required: true, value: v('business'), attrs: { autocomplete: 'organization', maxlength: 120 } }),
    field({
      label: labels.offer, name: 'offer', kind: 'textarea', required: true, value: v('offer'),
      hint: 'A sentence or two: your service, and who it is for.',
      attrs: { maxlength: 2000, rows: 4, placeholder: 'e.g. Bookkeeping and payroll for ecommerce businesses' },
    }),
    field({
      label: labels.seek, name: 'seek', kind: 'textarea', required: true, value: v('seek'),
      hint: 'The partner you want: what they do, and what you would do together.',
      attrs: { maxlength: 2000, rows: 4, placeholder: 'e.g. Shopify developers whose clients need an accountant' },
    }),
    field({
      label: labels.customers, name: 'customers', kind: 'textarea', value: v('customers'),
      hint: 'The people you sell to. Partners who serve the same customers make the best matches.',
      attrs: { maxlength: 1000, rows: 2, placeholder: 'e.g. online store owners, dental practices, engaged couples' },
    }),
    laneChoice(v('lane')),
    h('div', { class: 'field-row' },
      field({ label: labels.region, name: 'region', value: v('region'), hint: 'Where you work: a city, a country, or "remote".', attrs: { maxlength: 120, autocomplete: 'address-level1' } }),
      field({ label: labels.industry, name: 'industry', value: v('industry'), hint: 'Your trade in a few words.', attrs: { maxlength: 120 } })),
    field({ label: labels.website, name: 'website', type: 'url', value: v('website'), attrs: { maxlength: 500, placeholder: 'https://', autocomplete: 'url' } }),
    email ? field({
      label: labels.email, name: 'email', type: 'email', required: true, value: member ? member.email : '',
      hint: member
        ? 'You are signed in with this address: a post under it goes live at once.'
        : 'We email you a link to publish your post. Your address stays private: another member sees it only after you both accept an introduction.',
      attrs: { maxlength: 254, autocomplete: 'email', spellcheck: 'false' },
    }) : null,
  ];
}

// postBody is what the post form's values send: the post's fields (the
// address too, for a new post; an edit leaves it as it is).
export function postBody(v) {
  const body = {
    business: v.business, offer: v.offer, seek: v.seek, customers: v.customers, lane: v.lane,
    region: v.region, industry: v.industry, website: v.website,
  };
  if (v.email !== undefined) body.email = v.email;
  return body;
}

// postLabels name the post form's fields, for its errors.
export const postLabels = labels;

export async function render(view, ctx) {
  const m = await api.member();
  const form = h('form', { class: 'post-form stack', novalidate: true },
    formError(),
    postFields({}, { email: true, member: m }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', text: 'Post and find partners' })));
  const paste = pasteComment(form);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const body = postBody(v);
    if (!v.lane) {
      // The API takes a post without a lane (as "either"); the form asks
      // for one. The API checks the rest, so that every mistake shows at
      // once.
      const fields = { lane: 'choose the kind of partnership you want' };
      try {
        await api.post('/api/v1/posts/check', body, { auth: 'member' });
      } catch (err) {
        if (!err.fields) { showErrors(form, err, labels); return; }
        Object.assign(fields, err.fields);
      }
      showErrors(form, { fields }, labels);
      return;
    }
    const button = form.querySelector('button[type=submit]');
    try {
      const res = await busy(button, 'Posting…', () => api.post('/api/v1/posts', body, { auth: 'member' }));
      if (res && res.post) showCheckEmail(view, res.post, body.email, ctx); // 202: waits for the emailed link
      else showLive(view, res);
    } catch (err) {
      showErrors(form, err, labels);
    }
  });

  replace(view,
    h('div', { class: 'page-intro' },
      h('h1', { tabindex: '-1', text: 'Find your partners' }),
      h('p', { class: 'lead', text: 'Tell us what you do and who you are looking for. We suggest businesses that offer what you need, '
        + 'need what you offer and serve the same customers as you — not your competitors — and the host introduces you when you both agree.' })),
    h('ol', { class: 'steps', 'aria-label': 'How it works' },
      h('li', {}, h('strong', { text: 'Post' }), ' what you do and whom you seek.'),
      h('li', {}, h('strong', { text: 'Confirm' }), ' with the link we email you.'),
      h('li', {}, h('strong', { text: 'Meet' }), ' partners: see your matches, and say yes to introductions.')),
    paste, form);
  return 'Find your partners';
}

// pasteComment lets a member who already answered the host's post paste
// that comment: the form is filled in from it for them to check. Fields
// they typed themselves are kept.
function pasteComment(form) {
  const box = h('form', { class: 'paste-comment stack', novalidate: true },
    formError(),
    field({
      label: 'Your comment', name: 'text', kind: 'textarea',
      hint: 'Paste what you wrote in the thread; we fill in the form below from it. Nothing is saved until you post.',
      attrs: { rows: 5, maxlength: 20000 },
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', text: 'Fill in the form' })),
    h('p', { class: 'said', role: 'status', hidden: true }));
  box.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(box);
    const said = box.querySelector('.said');
    said.hidden = true;
    const text = box.elements.text.value;
    if (!text.trim()) { showErrors(box, { fields: { text: 'paste your comment first' } }); return; }
    try {
      const got = await busy(box.querySelector('button[type=submit]'), 'Reading…',
        () => api.post('/api/v1/comments/read', { text }));
      let filled = 0;
      const guesses = [];
      for (const name of ['business', 'offer', 'seek', 'customers', 'region', 'website', 'email']) {
        const el = form.elements[name];
        if (!got[name] || !el || el.value.trim()) continue;
        el.value = got[name];
        filled++;
        if (got.origins[name] && got.origins[name].guess) guesses.push(labels[name]);
      }
      const origin = got.origins.lane;
      if (origin && !origin.guess && !form.querySelector('input[name=lane]:checked')) {
        const radio = form.querySelector(`input[name=lane][value="${CSS.escape(got.lane)}"]`);
        if (radio) { radio.checked = true; filled++; }
      }
      said.textContent = filled
        ? `Filled in ${filled} ${filled === 1 ? 'field' : 'fields'}: check them before you post.`
          + (guesses.length ? ` These are guesses: ${guesses.join(', ')}.` : '')
        : 'We found nothing new to fill in: please fill in the form yourself.';
      said.hidden = false;
      form.elements.business.focus();
    } catch (err) {
      showErrors(box, err);
    }
  });
  return h('details', { class: 'paste-details' },
    h('summary', { text: 'Already answered in the host’s thread? Paste your comment' }), box);
}

function laneChoice(chosen = '') {
  const name = 'lane';
  return h('fieldset', { class: 'field lanes', dataset: { field: name }, 'aria-describedby': 'lane-error' },
    h('legend', { text: 'What kind of partnership do you want?' }),
    h('div', { class: 'lane-options' }, lanes.map((lane) => {
      const id = `lane-${lane.value}`;
      return h('div', { class: 'lane-option' },
        h('input', { type: 'radio', name, id, value: lane.value, checked: lane.value === chosen, 'aria-describedby': `${id}-text` }),
        h('label', { for: id }, h('span', { class: 'lane-title', text: lane.title }),
          h('span', { class: 'lane-text', id: `${id}-text`, text: lane.text })));
    })),
    h('details', { class: 'compare' },
      h('summary', { text: 'Not sure? Compare the two lanes' }),
      compareTable()),
    h('p', { class: 'field-error', id: 'lane-error', hidden: true }));
}

function compareTable() {
  const rows = [
    ['What it is', 'Money for introductions, e.g. 10% of every sale referred', 'Shared work: joint packages, white-labelling, integrations, selling together'],
    ['Commitment', 'Low: each refers on their own terms', 'High: you build and market shared services together'],
    ['Shape', 'Wide, not deep: many partners', 'Deep, not wide: a few partners'],
    ['Measured by', 'Referrals, won sales, commission', 'Quarterly returns against shared goals'],
    ['Customers', 'Anyone', 'A similar customer base is the reason to partner'],
  ];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'compare-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: 'Aspect' })),
      h('th', { scope: 'col', text: 'Referral' }), h('th', { scope: 'col', text: 'Strategic' }))),
    h('tbody', {}, rows.map(([a, b, c]) => h('tr', {}, h('th', { scope: 'row', text: a }), h('td', { text: b }), h('td', { text: c }))))));
}

function showCheckEmail(view, post, email, ctx) {
  const heading = h('h1', { tabindex: '-1', text: 'Check your email' });
  replace(view,
    h('section', { class: 'done-step', 'aria-labelledby': 'check-email-title' },
      h('div', { class: 'done-icon', 'aria-hidden': 'true', text: '✉' }),
      heading,
      h('p', { class: 'lead' }, 'We sent a link to ', h('strong', { dir: 'auto', text: email }),
        '. Click it to publish your post — then we can suggest partners for you.'),
      h('p', { text: 'The link works once. Nothing arrived within a few minutes? Look in your spam folder, or check the address and post again.' }),
      h('div', { class: 'card' },
        h('p', { class: 'muted', text: 'Your post, waiting for you:' }),
        userText('h2', post.business, { class: 'card-title' }),
        userText('p', post.offer)),
      h('p', { class: 'actions' },
        h('a', { href: '/app/start', class: 'button secondary', text: 'Post again' }),
        h('a', { href: '/app/directory', class: 'button secondary', text: 'Browse the directory' }))));
  heading.id = 'check-email-title';
  heading.focus();
  document.title = 'Check your email · Matchmaker';
  ctx.refreshAccount?.();
}

function showLive(view, post) {
  const heading = h('h1', { tabindex: '-1', text: 'Your post is live' });
  replace(view,
    h('section', { class: 'done-step' },
      h('div', { class: 'done-icon', 'aria-hidden': 'true', text: '✓' }),
      heading,
      h('p', { class: 'lead' }, userText('strong', post.business), ' is in the directory now.'),
      h('p', { class: 'actions' },
        h('a', { href: `/app/matches?post=${encodeURIComponent(post.id)}`, class: 'button primary', text: 'See your matches' }),
        h('a', { href: '/app/directory', class: 'button secondary', text: 'Browse the directory' }))));
  heading.focus();
  document.title = 'Your post is live · Matchmaker';
}
