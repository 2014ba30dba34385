// Host: comment-thread intake. The host pastes the replies to their "who
// wants a partner?" post (or a spreadsheet of them); each reply becomes a
// draft to check, correct and publish as a post.

import { h, replace, field, formError, showErrors, clearErrors, empty, busy, toast, userText, formValues } from '../dom.js';
import * as api from '../api.js';

const draftFields = [
  ['business', 'Business name'], ['name', 'Person'], ['email', 'Email'], ['website', 'Website'],
  ['offer', 'What they do'], ['seek', 'Who they are looking for'], ['customers', 'Their customers'],
];

export async function render(view, ctx) {
  const pasteForm = h('form', { class: 'stack intake-form', novalidate: true },
    formError(),
    field({
      label: 'Comment thread', name: 'thread', kind: 'textarea', required: true,
      hint: 'Copy the replies from your post and paste them here, names and all. Each reply starts with the commenter’s name on a line of its own; “Like · Reply” lines are ignored.',
      attrs: { rows: 10, spellcheck: 'false' },
    }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: 'Read the replies' }),
      h('label', { class: 'button secondary file-button' }, 'Or upload a spreadsheet (CSV)',
        h('input', { type: 'file', name: 'csv', accept: '.csv,text/csv', class: 'visually-hidden' }))));
  const drafts = h('section', { class: 'drafts', 'aria-labelledby': 'drafts-title' });

  const submit = async (body, contentType, button) => {
    clearErrors(pasteForm);
    try {
      const res = await busy(button, 'Reading…', () => api.send('POST', '/api/v1/drafts', { body, contentType, auth: 'host' }));
      const n = (res.drafts || []).length;
      toast(`${n} ${n === 1 ? 'reply' : 'replies'} read: check the drafts below.`);
      pasteForm.reset();
      await drawDrafts(drafts, ctx);
      drafts.querySelector('h2')?.focus();
    } catch (err) {
      showErrors(pasteForm, err);
    }
  };
  pasteForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = pasteForm.elements.thread.value;
    if (!text.trim()) { showErrors(pasteForm, { fields: { thread: 'paste the replies first' } }); return; }
    submit(text, 'text/plain; charset=utf-8', pasteForm.querySelector('button[type=submit]'));
  });
  pasteForm.elements.csv.addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    submit(await file.text(), 'text/csv; charset=utf-8', pasteForm.querySelector('button[type=submit]'));
  });

  replace(view,
    h('h1', { tabindex: '-1', text: 'Intake' }),
    h('p', { class: 'lead', text: 'Turn the replies to your call for partners into posts: paste them, check what we picked out, and publish.' }),
    pasteForm, drafts);
  await drawDrafts(drafts, ctx);
  return 'Intake';
}

async function drawDrafts(section, ctx) {
  const res = await api.get('/api/v1/drafts?status=draft', { auth: 'host', signal: ctx.signal });
  const list = res.drafts || [];
  const title = h('h2', { id: 'drafts-title', tabindex: '-1' }, 'Drafts to review ', h('span', { class: 'count', text: `(${list.length})` }));
  replace(section, title, list.length
    ? h('div', { class: 'card-list' }, list.map((d) => draftCard(d, () => {
      const left = section.querySelectorAll('.draft-card:not(.done)').length;
      title.lastChild.textContent = `(${left})`;
    })))
    : empty('No drafts waiting.', 'Paste a comment thread above to make some.'));
}

function draftCard(d, changed) {
  const labels = Object.fromEntries(draftFields);
  const form = h('form', { class: 'card draft-card stack', novalidate: true, dataset: { draft: d.id } },
    h('header', { class: 'card-head' },
      userText('h3', d.business || d.name || `Draft ${d.id}`, { class: 'card-title' })),
    d.problems.length ? h('div', { class: 'notice warn' },
      h('p', { text: 'Check before publishing:' }),
      h('ul', {}, d.problems.map((p) => userText('li', p)))) : null,
    formError(),
    h('div', { class: 'field-row' },
      field({ label: labels.business, name: 'business', value: d.business, required: true, attrs: { maxlength: 120 } }),
      field({ label: labels.name, name: 'name', value: d.name, attrs: { maxlength: 120 } })),
    h('div', { class: 'field-row' },
      field({ label: labels.email, name: 'email', type: 'email', value: d.email, required: true, attrs: { maxlength: 254, spellcheck: 'false' } }),
      field({ label: labels.website, name: 'website', type: 'url', value: d.website, attrs: { maxlength: 500 } })),
    field({ label: labels.offer, name: 'offer', kind: 'textarea', value: d.offer, required: true, attrs: { maxlength: 2000 } }),
    field({ label: labels.seek, name: 'seek', kind: 'textarea', value: d.seek, required: true, attrs: { maxlength: 2000 } }),
    field({ label: labels.customers, name: 'customers', kind: 'textarea', value: d.customers, attrs: { maxlength: 1000, rows: 2 } }),
    d.source ? h('details', { class: 'source' }, h('summary', { text: 'Their reply as written' }), userText('blockquote', d.source)) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', name: 'publish', text: 'Publish as a post' }),
      h('button', { type: 'button', class: 'secondary', name: 'save', text: 'Save changes' }),
      h('button', { type: 'button', class: 'danger', name: 'discard', text: 'Discard' })));

  let saved = { ...d };
  const edits = () => {
    const v = formValues(form);
    const out = {};
    for (const [k] of draftFields) if ((v[k] ?? '') !== (saved[k] ?? '')) out[k] = v[k] ?? '';
    return out;
  };
  const save = async () => {
    const patch = edits();
    if (Object.keys(patch).length === 0) return saved;
    saved = await api.patch(`/api/v1/drafts/${d.id}`, patch, { auth: 'host' });
    return saved;
  };
  const finish = (message, ...content) => {
    form.classList.add('done');
    replace(form, h('p', { class: 'said', role: 'status', tabindex: '-1' }, message, ...content));
    form.firstChild.focus();
    changed();
  };
  form.elements.save.addEventListener('click', async (ev) => {
    clearErrors(form);
    try {
      await busy(ev.currentTarget, 'Saving…', save);
      toast('Draft saved.');
    } catch (err) { showErrors(form, err, labels); }
  });
  form.elements.discard.addEventListener('click', async (ev) => {
    clearErrors(form);
    try {
      await busy(ev.currentTarget, 'Discarding…', () => api.del(`/api/v1/drafts/${d.id}`, { auth: 'host' }));
      finish('Discarded ', userText('strong', saved.business || saved.name || `draft ${d.id}`), '.');
    } catch (err) { showErrors(form, err, labels); }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const res = await busy(form.elements.publish, 'Publishing…', async () => {
        await save();
        return api.post(`/api/v1/drafts/${d.id}/publish`, undefined, { auth: 'host' });
      });
      finish('Published ', userText('strong', res.post.business), ` as post #${res.post.id}. `,
        h('a', { href: `/app/host/posts?q=${encodeURIComponent(res.post.business)}`, text: 'See it' }));
    } catch (err) {
      showErrors(form, err, labels);
    }
  });
  return form;
}
