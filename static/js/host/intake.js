// Host: intake. The host pastes the replies to their "tell us what you do
// and whom you'd like to meet" post: a comment thread, an e-mail chain, a
// chat, or a form's spreadsheet. Each business becomes a draft to check,
// correct and publish; the rest is listed as skipped, with why, and any
// of it can be made a draft.

import { h, replace, field, formError, showErrors, clearErrors, empty, busy, toast, userText, formValues, badge } from '../dom.js';
import * as api from '../api.js';
import { confirmStep, actionButton } from '../partnership/common.js';

const draftFields = [
  ['business', 'Business name'], ['name', 'Person'], ['email', 'Email'], ['website', 'Website'],
  ['offer', 'What they do'], ['seek', 'Whom they want to meet'], ['customers', 'Their customers'],
  ['lane', 'Kind of partnership'], ['area', 'Where they work'],
];

const lanes = [['either', 'Either'], ['referral', 'Referral: fees on sales'], ['strategic', 'Strategic: a long-term partner']];

const formatWords = {
  linkedin: 'a LinkedIn thread', facebook: 'a Facebook thread', x: 'an X or Threads thread', slack: 'a Slack channel',
  discord: 'a Discord channel', email: 'an e-mail chain', whatsapp: 'a WhatsApp chat', prose: 'paragraphs of text',
  csv: 'a spreadsheet (CSV)', tsv: 'a spreadsheet (tab-separated)',
};

const reasonWords = {
  original_post: 'Your post', host: 'You, replying', chatter: 'Chatter', tag: 'Only tags others', emoji: 'Only emoji',
  deleted: 'Deleted comment', follow_up: 'Follow-up: added to their draft', duplicate: 'The same offer again',
  empty_row: 'Empty row', test_row: 'A test entry',
};

// The fields a spreadsheet column can fill.
const columnFields = [
  ['', 'Ignore this column'], ['name', 'Person’s name'], ['first_name', 'First name'], ['last_name', 'Last name'],
  ['business', 'Business name'], ['email', 'Email'], ['website', 'Website'], ['offer', 'What they do'],
  ['seek', 'Whom they want to meet'], ['customers', 'Their customers'], ['lane', 'Kind of partnership'],
  ['area', 'Where they work'], ['comment', 'A whole reply (read like a comment)'], ['notes', 'Notes (read for lane and area)'],
];

export async function render(view, ctx) {
  const pasteForm = h('form', { class: 'stack intake-form', novalidate: true },
    formError(),
    field({
      label: 'Replies to your post', name: 'thread', kind: 'textarea', required: true,
      hint: 'Copy the whole thread and paste it here, names and all: LinkedIn, Facebook, X or Threads, Slack, Discord, WhatsApp, an e-mail chain or plain paragraphs. Likes, times and “Reply” links are left out for you.',
      attrs: { rows: 10, spellcheck: 'false' },
    }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: 'Read the replies' }),
      h('label', { class: 'button secondary file-button' }, 'Or upload a file (CSV, TSV, Slack or Discord export)',
        h('input', { type: 'file', name: 'file', accept: '.csv,.tsv,.txt,.json,text/csv,text/tab-separated-values,text/plain,application/json', class: 'visually-hidden' }))));
  const reading = h('section', { class: 'intake-reading', 'aria-label': 'How the paste was read' });
  const drafts = h('section', { class: 'drafts', 'aria-labelledby': 'drafts-title' });
  const skipped = h('section', { class: 'skipped', 'aria-labelledby': 'skipped-title' });
  const redraw = () => drawAll({ reading, drafts, skipped }, ctx);

  const submit = async (body, contentType, button) => {
    clearErrors(pasteForm);
    try {
      const res = await busy(button, 'Reading…', () => api.send('POST', '/api/v1/drafts', { body, contentType, auth: 'host' }));
      const n = res.drafts.length;
      const s = res.skipped.length;
      toast(`${n} ${n === 1 ? 'business' : 'businesses'} found, ${s} ${s === 1 ? 'reply' : 'replies'} skipped: check the drafts below.`);
      pasteForm.reset();
      await redraw();
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
  pasteForm.elements.file.addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    const name = file.name.toLowerCase();
    const type = name.endsWith('.csv') ? 'text/csv' : name.endsWith('.tsv') ? 'text/tab-separated-values'
      : name.endsWith('.json') ? 'application/json' : 'text/plain';
    submit(await file.text(), `${type}; charset=utf-8`, pasteForm.querySelector('button[type=submit]'));
  });

  replace(view,
    h('h1', { tabindex: '-1', text: 'Intake' }),
    h('p', { class: 'lead', text: 'Turn the replies to your call for partners into posts: paste them, check what we picked out, and publish. Members still confirm their post by email.' }),
    pasteForm, reading, drafts, skipped);
  await redraw();
  return 'Intake';
}

// drawAll draws the newest paste's reading, the drafts waiting (the most
// uncertain first) and the replies skipped.
async function drawAll(parts, ctx) {
  const [list, intakes] = await Promise.all([
    api.get('/api/v1/drafts?status=draft', { auth: 'host', signal: ctx.signal }),
    api.get('/api/v1/intakes', { auth: 'host', signal: ctx.signal }),
  ]);
  const redraw = () => drawAll(parts, ctx);
  drawReading(parts.reading, intakes.intakes[0], redraw);
  drawDrafts(parts.drafts, list.drafts, redraw);
  drawSkipped(parts.skipped, list.skipped, list.drafts, redraw);
}

// drawReading says what the newest paste was read as, and for a
// spreadsheet shows the column mapping for the host to correct.
function drawReading(section, intake, redraw) {
  if (!intake) { replace(section); return; }
  const read = h('p', { class: 'meta' }, 'Your last paste was read as ', h('strong', { text: formatWords[intake.format] || intake.format }), '.');
  // The paste holds what people wrote in the thread: once its drafts are
  // done, the host can forget it.
  const forget = h('div', { class: 'actions' }, confirmStep({
    label: 'Forget this paste', kind: 'secondary small',
    question: 'Delete the pasted text, its skipped replies and its drafts not yet published? Published posts stay.',
    yes: 'Yes, forget it', no: 'Keep it', busyLabel: 'Forgetting…',
    work: async () => {
      await api.del(`/api/v1/intakes/${intake.id}`, { auth: 'host' });
      toast('The paste is forgotten.');
      await redraw();
    },
  }));
  replace(section, read,
    intake.notice ? h('div', { class: 'notice warn', role: 'status' }, userText('p', intake.notice)) : null,
    intake.columns.length ? columnsForm(intake, redraw) : null,
    forget);
}

function columnsForm(intake, redraw) {
  const form = h('form', { class: 'card stack columns-form', novalidate: true },
    h('h2', { class: 'card-title', text: 'Columns' }),
    h('p', { class: 'hint', text: 'How each column of the spreadsheet was read. Change any that are wrong and read it again.' }),
    formError(),
    h('div', { class: 'column-map' }, intake.columns.map((c, i) => {
      const f = field({ label: c.header || `Column ${i + 1}`, name: `col-${i}`, kind: 'select', value: c.field, options: columnFields });
      if (c.set) f.querySelector('label').append(h('span', { class: 'muted', text: ' (your choice)' }));
      return f;
    })),
    h('div', { class: 'actions' }));
  form.querySelector('.actions').append(confirmStep({
    label: 'Read again with these columns', kind: 'primary',
    question: 'This replaces the drafts of this spreadsheet, with any changes you made to them. Read it again?',
    yes: 'Yes, read it again', no: 'Cancel', busyLabel: 'Reading…',
    work: async () => {
      const columns = {};
      intake.columns.forEach((c, i) => {
        const v = form.elements[`col-${i}`].value;
        if (v !== c.field) columns[c.header] = v;
      });
      try {
        await api.send('PUT', `/api/v1/intakes/${intake.id}/columns`, { body: JSON.stringify({ columns }), contentType: 'application/json', auth: 'host' });
      } catch (err) {
        showErrors(form, err);
        throw err;
      }
      toast('Read again with your columns.');
      await redraw();
    },
  }));
  return form;
}

function drawDrafts(section, list, redraw) {
  const title = h('h2', { id: 'drafts-title', tabindex: '-1' }, 'Drafts to review ', h('span', { class: 'count', text: `(${list.length})` }));
  const changed = () => {
    const left = section.querySelectorAll('.draft-card:not(.done)').length;
    title.lastChild.textContent = `(${left})`;
  };
  // A long thread makes hundreds of drafts: draw them a page at a time so
  // that the page stays quick, the most uncertain first.
  const cards = h('div', { class: 'card-list' });
  const more = h('button', { type: 'button', class: 'secondary show-more', hidden: true });
  let shown = 0;
  const showMore = () => {
    const next = list.slice(shown, shown + pageSize);
    cards.append(...next.map((d) => draftCard(d, changed)));
    shown += next.length;
    more.hidden = shown >= list.length;
    more.textContent = `Show ${Math.min(pageSize, list.length - shown)} more of ${list.length - shown} left`;
  };
  more.addEventListener('click', () => {
    const first = shown;
    showMore();
    cards.children[first]?.querySelector('input, textarea')?.focus();
  });
  replace(section, title,
    list.length ? h('p', { class: 'hint', text: 'The drafts that need the most checking come first. Marked fields are guesses.' }) : null,
    list.length ? cards : empty('No drafts waiting.', 'Paste the replies to your post above to make some.'),
    list.length ? h('div', { class: 'actions' }, more) : null);
  if (list.length) showMore();
}

const pageSize = 50;

// originWords says where a field's value came from.
function originWords(o) {
  if (!o) return '';
  if (o.from === 'default') return 'Nothing said about it: left as the usual choice.';
  const from = o.from.startsWith('column: ') ? `the column “${o.from.slice(8)}”`
    : o.from === 'host' ? 'you' : `the ${o.from}`;
  return o.guess ? `A guess from ${from}: check it.` : `From ${from}.`;
}

function draftField(d, name, label, opts) {
  const o = d.origins[name];
  const f = field({ label, name, value: d[name], hint: originWords(o) || undefined, ...opts });
  if (o && o.guess && o.from !== 'default') f.classList.add('guess');
  return f;
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
      draftField(d, 'business', labels.business, { required: true, attrs: { maxlength: 120 } }),
      draftField(d, 'name', labels.name, { attrs: { maxlength: 120 } })),
    h('div', { class: 'field-row' },
      draftField(d, 'email', labels.email, { type: 'email', required: true, attrs: { maxlength: 254, spellcheck: 'false' } }),
      draftField(d, 'website', labels.website, { type: 'url', attrs: { maxlength: 500 } })),
    draftField(d, 'offer', labels.offer, { kind: 'textarea', required: true, attrs: { maxlength: 2000 } }),
    draftField(d, 'seek', labels.seek, { kind: 'textarea', required: true, attrs: { maxlength: 2000 } }),
    draftField(d, 'customers', labels.customers, { kind: 'textarea', attrs: { maxlength: 1000, rows: 2 } }),
    h('div', { class: 'field-row' },
      draftField(d, 'lane', labels.lane, { kind: 'select', options: lanes }),
      draftField(d, 'area', labels.area, { attrs: { maxlength: 120, placeholder: 'e.g. Leeds, or remote' } })),
    d.source ? h('details', { class: 'source' }, h('summary', { text: 'Their reply as written' }), userText('blockquote', d.source)) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', name: 'publish', text: 'Publish as a post' }),
      h('button', { type: 'button', class: 'secondary', name: 'save', text: 'Save changes' })));

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
  // Discarding loses the host's corrections: it asks first.
  form.querySelector('.actions').append(confirmStep({
    label: 'Discard', kind: 'danger', question: 'Discard this draft? Your changes to it are lost.',
    yes: 'Yes, discard it', no: 'Keep it', busyLabel: 'Discarding…',
    work: async () => {
      await api.del(`/api/v1/drafts/${d.id}`, { auth: 'host' });
      finish('Discarded ', userText('strong', saved.business || saved.name || `draft ${d.id}`), '.');
    },
  }));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const res = await busy(form.elements.publish, 'Publishing…', async () => {
        await save();
        return api.post(`/api/v1/drafts/${d.id}/publish`, undefined, { auth: 'host' });
      });
      finish('Published ', userText('strong', res.post.business), ` as post #${res.post.id}. `,
        res.post.status === 'pending' ? 'We emailed them a link: it goes live when they confirm. ' : '',
        h('a', { href: `/app/host/posts?q=${encodeURIComponent(res.post.business)}`, text: 'See it' }));
    } catch (err) {
      showErrors(form, err, { ...labels, region: labels.area });
    }
  });
  return form;
}

// drawSkipped lists the replies that are not drafts, with why; the host
// can make a draft of any of them, or dismiss a paste's leftovers.
function drawSkipped(section, list, drafts, redraw) {
  const title = h('h2', { id: 'skipped-title', tabindex: '-1' }, 'Skipped replies ', h('span', { class: 'count', text: `(${list.length})` }));
  if (!list.length) { replace(section); return; }
  const names = Object.fromEntries(drafts.map((d) => [d.id, d.business || d.name]));
  const intakes = [...new Set(list.map((s) => s.intake_id))];
  replace(section, title,
    h('p', { class: 'hint', text: 'Replies that are not an offer of their own. If one is, make a draft of it.' }),
    h('ul', { class: 'skipped-list' }, list.map((s) => {
      const item = h('li', { class: 'skipped-item', dataset: { skipped: s.id } },
        h('p', { class: 'skipped-head' }, userText('strong', s.name || 'No name'), ' ', badge(reasonWords[s.reason] || s.reason),
          s.into_draft_id && names[s.into_draft_id] ? h('span', { class: 'muted' }, ' → ', userText('span', names[s.into_draft_id])) : null),
        s.text ? userText('p', s.text, { class: 'skipped-text' }) : null);
      item.append(h('div', { class: 'item-actions' }, actionButton('Make a draft', 'Making…', async () => {
        const d = await api.post(`/api/v1/skipped/${s.id}/draft`, undefined, { auth: 'host' });
        toast(`Draft made of ${d.name || 'the reply'}'s reply.`);
        await redraw();
      })));
      return item;
    })),
    h('div', { class: 'actions' }, intakes.map((id) => confirmStep({
      label: intakes.length > 1 ? `Dismiss the skipped replies of paste #${id}` : 'Dismiss the skipped replies',
      question: 'Dismiss them? You will not be able to make drafts of them afterwards.',
      yes: 'Yes, dismiss them', no: 'Keep them', busyLabel: 'Dismissing…', kind: 'secondary',
      work: async () => {
        await api.del(`/api/v1/intakes/${id}/skipped`, { auth: 'host' });
        await redraw();
      },
    }))));
}
