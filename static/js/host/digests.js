// Host: the quarterly digests. Choose the quarter, write the note at the
// top of every digest, preview one member's, try a dry run, then send:
// the run goes on in the background and this page follows its progress
// until it is done, then sums it up.

import { h, replace, field, formError, showErrors, clearErrors, formValues, busy, toast, userText, empty,
  formatDateTime, errorMessage, stat, sleep } from '../dom.js';
import * as api from '../api.js';
import { quarterTools, section, confirmStep, inlineError } from '../partnership/common.js';

const skipReasons = {
  unsubscribed: 'unsubscribed',
  no_new_matches: 'nobody new for them',
  no_active_post: 'no active post any more',
};
const pollEvery = 1000; // ms between looks at a run's progress

export async function render(view, ctx) {
  const quarter = ctx.params.quarter || api.currentQuarter();
  const path = `/api/v1/digests/${quarter}`;
  const d = await api.get(path, { auth: 'host', signal: ctx.signal });
  const status = h('div', { class: 'digest-status' });
  const page = { quarter, path, ctx, status, following: false };
  drawStatus(page, d);
  replace(view,
    h('h1', { tabindex: '-1', text: 'Digests' }),
    h('p', { class: 'lead', text: 'Once a quarter every member gets an email with the partners new to them, your note on top. Preview one, try a dry run, then send.' }),
    quarterTools({ chosen: quarter, hrefFor: (q) => `/app/host/digests/${q}`, navigate: ctx.navigate, id: 'digest-quarter', label: 'Quarter' }),
    section('status', `Digests of ${quarter}`, status),
    noteSection(page, d),
    previewSection(page),
    sendSection(page));
  if (d.running) follow(page);
  return 'Digests';
}

// --- where the quarter's digest stands ---

const count = (d, s) => (d.counts || {})[s] || 0;

function drawStatus(page, d) {
  const box = page.status;
  const total = d.recipients || 0;
  if (!d.running && total === 0 && !d.started_at) {
    replace(box, empty(`Nothing sent for ${page.quarter} yet.`, 'Preview a digest and try a dry run below, then send.'));
    box.dataset.state = 'idle';
    return;
  }
  const left = count(d, 'pending');
  const handled = total - left;
  const outbox = count(d, 'sending');
  const skipped = Object.entries(d.skipped || {}).filter(([, n]) => n > 0);
  const failed = (d.problems || []).filter((x) => x.status === 'failed');
  const unknown = (d.problems || []).filter((x) => x.status === 'unknown');
  box.dataset.state = d.running ? 'running' : 'done';
  replace(box,
    d.running ? h('div', { class: 'progress-box' },
      h('progress', { max: total || null, value: total ? handled : null, 'aria-label': 'Digests handled' }),
      h('p', { class: 'progress-text', role: 'status', text: total
        ? `Sending… ${handled} of ${total} handled: ${count(d, 'sent')} sent, ${outbox} in the outbox, ${count(d, 'skipped')} skipped, ${count(d, 'failed')} failed. You can leave this page; the run goes on.`
        : 'Finding every member’s new partners…' })) : null,
    !d.running ? h('p', { class: 'run-summary', role: 'status' },
      d.finished_at ? `The last run finished ${formatDateTime(d.finished_at)}` : d.started_at ? `The last run started ${formatDateTime(d.started_at)} and was cut short` : 'No run yet',
      `: ${count(d, 'sent')} sent of ${total} ${total === 1 ? 'member' : 'members'}.`) : null,
    h('dl', { class: 'stats digest-counts' },
      stat('Sent', count(d, 'sent')),
      stat('In the outbox', outbox, outbox ? 'on their way: see the Mail page' : null),
      stat('Skipped', count(d, 'skipped'), skipped.length ? skipped.map(([r, n]) => `${n} ${skipReasons[r] || r}`).join(', ') : null),
      stat('Failed', count(d, 'failed'), count(d, 'failed') ? 'tried again by the next run' : null),
      count(d, 'unknown') ? stat('Unknown', count(d, 'unknown'), 'may have theirs: see below') : null,
      stat('Pending', left, left && !d.running ? 'for a later run' : null)),
    failed.length ? h('div', { class: 'problems' },
      h('h3', { text: 'Failed' }),
      h('p', { class: 'hint', text: 'The outbox tried these for a day and gave up (or you cancelled them on the Mail page); the next run tries them again.' }),
      h('ul', {}, failed.map((x) => h('li', {}, userText('strong', x.email), ': ', userText('span', x.error || 'no reason given'),
        h('span', { class: 'muted', text: ` (${x.attempts} ${x.attempts === 1 ? 'try' : 'tries'})` }))))) : null,
    unknown.length ? h('div', { class: 'problems' },
      h('h3', { text: 'Unknown' }),
      h('p', { class: 'hint', text: 'These were being sent when the service stopped, before digests went through the outbox: they may have their digest. Check the mail server’s log; to send them again, tick “Also send to the unknown” below.' }),
      h('ul', {}, unknown.map((x) => h('li', {}, userText('strong', x.email), x.error ? [': ', userText('span', x.error)] : null)))) : null);
}

// follow looks at a run's progress until it is done, or the page is left.
async function follow(page) {
  if (page.following) return;
  page.following = true;
  const { ctx } = page;
  let last;
  try {
    while (!ctx.signal.aborted) {
      await sleep(pollEvery, ctx.signal);
      if (ctx.signal.aborted) return;
      try {
        last = await api.get(page.path, { auth: 'host', signal: ctx.signal });
      } catch (err) {
        if (err.name === 'AbortError') return;
        inlineError(page.status, `${errorMessage(err)} Still trying…`);
        continue;
      }
      drawStatus(page, last);
      if (!last.running) {
        toast(`Digests of ${page.quarter}: ${count(last, 'sent')} sent.`);
        return;
      }
    }
  } finally {
    page.following = false;
  }
}

// --- the note ---

function noteSection(page, d) {
  const form = h('form', { class: 'stack note-form', novalidate: true },
    formError(),
    field({ label: 'Your note', name: 'note', kind: 'textarea', value: d.note,
      hint: 'At the top of every digest of the quarter: news, a meetup, a welcome. Leave it empty for none.', attrs: { rows: 3, maxlength: 2000 } }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', text: 'Save the note' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      await busy(form.querySelector('button[type=submit]'), 'Saving…', () => api.put(`${page.path}/note`, { note: form.elements.note.value }, { auth: 'host' }));
      toast('Note saved: the digests sent from now on carry it.');
    } catch (err) { showErrors(form, err, { note: 'Your note' }); }
  });
  return section('note', 'The note', form);
}

// --- previewing one member's digest ---

function previewSection(page) {
  const list = h('datalist', { id: 'digest-members' });
  const out = h('div', { class: 'digest-preview', 'aria-live': 'polite' });
  const opened = h('p', { class: 'said html-status', role: 'status' });
  const form = h('form', { class: 'stack preview-form', novalidate: true },
    formError(),
    h('div', { class: 'field-row' },
      field({ label: 'Member’s email', name: 'email', type: 'email', required: true, hint: 'An address with an active post this quarter; start typing to pick one.',
        attrs: { list: 'digest-members', autocomplete: 'off', spellcheck: 'false', maxlength: 254 } }),
      field({ label: 'Partners in the digest', name: 'per_member', type: 'number', hint: 'From 1 to 20; empty for the configured number.', attrs: { min: 1, max: 20, inputmode: 'numeric' } })),
    list,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: 'Show the text version' }),
      h('button', { type: 'button', class: 'secondary html-preview', text: 'Open the HTML version' })),
    opened);
  const target = () => {
    clearErrors(form);
    const v = formValues(form);
    if (!v.email) { showErrors(form, { fields: { email: 'enter a member’s address' } }); return null; }
    return `${page.path}/preview${api.query({ email: v.email, per_member: v.per_member })}`;
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const url = target();
    if (!url) return;
    opened.textContent = '';
    try {
      const f = await busy(form.querySelector('button[type=submit]'), 'Loading…', () => api.file(`${url}&format=text`, { auth: 'host' }));
      const text = await f.blob.text();
      replace(out,
        h('h3', {}, 'Text version for ', userText('span', form.elements.email.value.trim())),
        h('pre', { class: 'user-text email-text', tabindex: '0', text }));
    } catch (err) { showErrors(form, rename(err)); replace(out); }
  });
  form.querySelector('.html-preview').addEventListener('click', async (ev) => {
    const url = target();
    if (!url) return;
    opened.textContent = '';
    // Open the tab now, while the click lets us; fill it once the
    // preview is here.
    const tab = window.open('', '_blank');
    if (!tab) {
      showErrors(form, { message: 'Your browser blocked the new tab. Allow pop-ups for this site, or use the text version.' });
      return;
    }
    try {
      const f = await busy(ev.currentTarget, 'Loading…', () => api.file(url, { auth: 'host' }));
      showPreview(tab, f.blob);
      opened.textContent = 'The HTML version opened in a new tab.';
    } catch (err) {
      tab.close();
      showErrors(form, rename(err));
    }
  });
  // Offer the quarter's members as choices (the host sees addresses).
  api.get(`/api/v1/posts${api.query({ quarter: page.quarter, status: 'active', limit: 100 })}`, { auth: 'host', signal: page.ctx.signal })
    .then((res) => {
      const emails = [...new Set((res.posts || []).map((x) => x.email).filter(Boolean))].sort();
      replace(list, emails.map((e) => h('option', { value: e })));
    })
    .catch(() => { /* the field works without suggestions */ });
  return section('preview', 'Preview a member’s digest',
    h('p', { class: 'hint', text: 'What they would get now, links inactive. Nothing is sent or recorded.' }),
    form, out);
}

// rename puts the preview's "email" error on the field, and a "nobody new"
// answer (404) in words.
function rename(err) {
  if (err && err.status === 404 && !Object.keys(err.fields || {}).length) return { status: 404, message: err.message, fields: { email: err.message } };
  return err;
}

// showPreview shows an email's HTML in a tab the page opened. The tab's
// document comes from a blob: URL of this page, so it runs under this
// page's Content-Security-Policy: no script runs in it, and the email's
// inline style attributes are blocked too. Those are applied through the
// CSSOM, which the policy allows, so that the host sees the email as
// members will. (A frame on the page cannot show it: frame-src is 'self',
// which a blob: URL is not.)
function showPreview(tab, blob) {
  const url = URL.createObjectURL(blob.type.startsWith('text/html') ? blob : new Blob([blob], { type: 'text/html' }));
  tab.location.href = url;
  let tries = 0;
  const restyle = () => {
    if (tab.closed || ++tries > 100) { URL.revokeObjectURL(url); return; }
    let ready = false;
    try { ready = tab.location.href === url && tab.document.readyState !== 'loading'; } catch { ready = false; }
    if (!ready) { setTimeout(restyle, 100); return; }
    for (const el of tab.document.querySelectorAll('[style]')) el.style.cssText = el.getAttribute('style');
    tab.opener = null;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  setTimeout(restyle, 50);
}

// --- dry run and sending ---

function sendSection(page) {
  const report = h('div', { class: 'dry-run-report', 'aria-live': 'polite' });
  const form = h('form', { class: 'stack send-form', novalidate: true },
    formError(),
    h('details', { class: 'send-options' }, h('summary', { text: 'Options' }),
      h('div', { class: 'stack' },
        h('div', { class: 'field-row' },
          field({ label: 'Partners per digest', name: 'per_member', type: 'number', hint: 'From 1 to 20; empty for the configured number.', attrs: { min: 1, max: 20, inputmode: 'numeric' } }),
          field({ label: 'At most this many digests', name: 'limit', type: 'number', hint: 'Empty for all; the rest wait for a later run.', attrs: { min: 1, inputmode: 'numeric' } })),
        h('div', { class: 'radio' },
          h('input', { type: 'checkbox', name: 'resend_unknown', id: 'resend-unknown', value: 'yes' }),
          h('label', { for: 'resend-unknown', text: 'Also send to the unknown (those a stopped run may have reached)' })))),
    h('div', { class: 'actions send-actions' },
      h('button', { type: 'submit', class: 'secondary dry-run', text: 'Dry run' })));
  // An option's mistake shows at its field: open the options first.
  const optionErrors = (err) => {
    if (err && err.fields && (err.fields.per_member || err.fields.limit)) form.querySelector('.send-options').open = true;
    showErrors(form, err, { per_member: 'Partners per digest', limit: 'At most this many digests' });
  };
  const options = () => {
    const v = formValues(form);
    const body = {};
    if (v.per_member) body.per_member = Number(v.per_member);
    if (v.limit) body.limit = Number(v.limit);
    if (v.resend_unknown) body.resend_unknown = true;
    return body;
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const rep = await busy(form.querySelector('.dry-run'), 'Working it out…', () => api.post(`${page.path}/send`, { ...options(), dry_run: true }, { auth: 'host' }));
      drawReport(report, rep);
    } catch (err) { optionErrors(err); }
  });
  form.querySelector('.send-actions').append(confirmStep({
    label: 'Send the digests', question: `Send the digests of ${page.quarter} now? Members get them at once.`,
    yes: 'Yes, send them', no: 'Not yet', kind: 'primary', busyLabel: 'Starting…',
    work: async () => {
      clearErrors(form);
      try {
        const d = await api.post(`${page.path}/send`, options(), { auth: 'host' });
        drawStatus(page, d);
        toast('Sending: the progress shows above.');
      } catch (err) {
        if (err.status !== 409) { optionErrors(err); return; }
        showErrors(form, err); // a run is going on already: follow it
      }
      follow(page);
    },
  }));
  return section('send', 'Send',
    h('p', { class: 'hint', text: 'Members with nobody new for them, and those who unsubscribed, get nothing. Each member gets one digest a quarter: running again sends only to those not sent yet.' }),
    form, report);
}

function drawReport(box, rep) {
  const skipped = Object.entries(rep.skipped || {}).filter(([, n]) => n > 0);
  const skippedTotal = skipped.reduce((s, [, n]) => s + n, 0);
  replace(box,
    h('h3', { text: `Dry run of ${rep.quarter}` }),
    h('p', { class: 'muted', text: `Nothing was sent. Worked out in ${(rep.seconds || 0).toFixed(1)} s.` }),
    h('dl', { class: 'stats dry-run-stats' },
      stat('Members', rep.recipients),
      stat('Would send', rep.sent),
      stat('Skipped', skippedTotal, skipped.map(([r, n]) => `${n} ${skipReasons[r] || r}`).join(', ') || null),
      stat('Sent before', rep.already_sent),
      stat('Unknown', rep.unknown),
      stat('Pending', rep.pending, rep.pending ? 'beyond the limit' : null)),
    (rep.failures || []).length ? h('div', { class: 'problems' },
      h('h4', { text: 'Could not be made' }),
      h('ul', {}, rep.failures.map((f) => h('li', {}, userText('strong', f.email), ': ', userText('span', f.error))))) : null);
}
