// Building the page. Every piece of text goes in through text nodes
// (textContent), never parsed as HTML, so what members write is always shown
// as the text they wrote. No function here takes HTML.

// h builds an element. attrs may hold: class, text, dir, on (an object of
// event handlers), dataset, and any attribute or property name; a value of
// null, undefined or false leaves the attribute out. Children are nodes,
// strings (shown as text), arrays of them, or null/false (skipped).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    switch (key) {
      case 'class': el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value; break;
      case 'text': el.textContent = value; break;
      case 'on': for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn); break;
      case 'dataset': Object.assign(el.dataset, value); break;
      case 'href': el.setAttribute('href', safeHref(value)); break;
      case 'value': el.value = value; break;
      case 'checked': case 'selected': case 'disabled': case 'hidden': case 'required': case 'multiple': case 'open':
        el[key] = Boolean(value); break;
      default: el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

// append adds children (as h takes them) to el.
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// replace swaps el's children for the given ones.
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// safeHref lets through links within the site and http(s) links; anything
// else (javascript:, data:) becomes a harmless "#".
export function safeHref(value) {
  const s = String(value);
  if (s.startsWith('/') && !s.startsWith('//')) return s;
  if (s.startsWith('#') || s.startsWith('mailto:')) return s;
  try {
    const u = new URL(s);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
  } catch { /* not a URL */ }
  return '#';
}

// userText shows text a member wrote: its direction follows the text (for
// Arabic or Hebrew), line breaks are kept and long words wrap.
export function userText(tag, text, attrs = {}) {
  return h(tag, { ...attrs, class: ['user-text', attrs.class], dir: 'auto', text: text ?? '' });
}

// websiteLink shows a member's website, or nothing when it is empty or not
// a web address.
export function websiteLink(url) {
  if (!url || safeHref(url) === '#') return null;
  let label = url;
  try { label = new URL(url).host + new URL(url).pathname.replace(/\/$/, ''); } catch { /* keep url */ }
  return h('a', { href: url, rel: 'noopener noreferrer nofollow ugc', target: '_blank', class: 'website', dir: 'auto' }, label);
}

let fieldSeq = 0;

// field builds a labelled form control with room for a hint and an error:
// the label names it, the hint and the error describe it.
//   markOptional: false leaves "(optional)" off a field that is not
//     required (a search form's filters, all optional alike)
//   kind: 'input' (default), 'textarea' or 'select'
//   options: for a select, [value, label] pairs
export function field({ label, name, kind = 'input', type = 'text', value = '', hint, required, markOptional = true, options, attrs = {} }) {
  const id = `f-${name}-${++fieldSeq}`;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  const errorEl = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  let control;
  if (kind === 'textarea') {
    control = h('textarea', { id, name, rows: 3, ...attrs });
    control.value = value ?? '';
  } else if (kind === 'select') {
    control = h('select', { id, name, ...attrs },
      (options || []).map(([v, l]) => h('option', { value: v, selected: v === value, text: l })));
  } else {
    control = h('input', { id, name, type, value: value ?? '', ...attrs });
  }
  if (required) control.setAttribute('aria-required', 'true');
  control.setAttribute('aria-describedby', [hintEl && hintEl.id, errorEl.id].filter(Boolean).join(' '));
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label, required || !markOptional ? null : h('span', { class: 'optional', text: ' (optional)' })),
    hintEl, control, errorEl);
}

// formError is the box at the top of a form that lists what went wrong.
export function formError() {
  return h('div', { class: 'form-error', role: 'alert', hidden: true, tabindex: '-1' });
}

// clearErrors removes the errors shown on a form.
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) { el.hidden = true; el.textContent = ''; }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.form-error')) { el.hidden = true; el.replaceChildren(); }
}

// showErrors shows an API error on a form: each field's message next to it
// (the API names fields as the form does, "tags[2]" being "tags"), the rest
// in the form's error box, and moves the focus to the first problem.
export function showErrors(form, err, labels = {}) {
  clearErrors(form);
  const box = form.querySelector('.form-error');
  const fields = (err && err.fields) || {};
  const unplaced = [];
  const placed = [];
  let first = null;
  // In the form's order, whatever order the answer listed them in: the
  // summary reads top to bottom and focus goes to the first field.
  const entries = Object.entries(fields).map(([key, message]) => {
    const name = key.replace(/\[\d+\]$/, '');
    return { name, message, wrap: form.querySelector(`[data-field="${CSS.escape(name)}"]`) };
  }).sort(({ wrap: x }, { wrap: y }) => {
    if (x === y) return 0;
    if (!x || !y) return x ? -1 : 1;
    return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  for (const { name, message, wrap } of entries) {
    const errorEl = wrap && wrap.querySelector('.field-error');
    if (!errorEl) { unplaced.push(`${labels[name] || name}: ${message}`); continue; }
    errorEl.textContent = sentence(message);
    errorEl.hidden = false;
    const control = wrap.querySelector('input, textarea, select');
    if (control) control.setAttribute('aria-invalid', 'true');
    first = first || control || wrap;
    const label = labels[name] || wrap.querySelector('label, legend')?.firstChild?.textContent || name;
    placed.push(control && control.id
      ? h('li', {}, h('a', { href: `#${control.id}`, on: { click: (ev) => { ev.preventDefault(); control.focus(); } } }, `${label}: ${message}`))
      : h('li', { text: `${label}: ${message}` }));
  }
  const count = Object.keys(fields).length;
  if (box) {
    const summary = count > 0
      ? (count === 1 ? 'One answer needs a change.' : `${count} answers need a change.`)
      : errorMessage(err);
    const items = [...placed, ...unplaced.map((u) => h('li', { text: u }))];
    append(box, [h('p', { text: summary }), items.length ? h('ul', {}, items) : null]);
    box.hidden = false;
  }
  (first || box)?.focus();
}

// sentence makes an API field message ("must be at least 10 characters")
// read as a sentence.
export function sentence(message) {
  const s = String(message || '').trim();
  if (!s) return s;
  return s[0].toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.');
}

// errorMessage is what to tell people about a failed request.
export function errorMessage(err) {
  if (!err) return 'Something went wrong.';
  switch (err.status) {
    case 0: return 'Matchmaker could not be reached. Check your connection and try again.';
    case 429: return 'Too many requests from your address. Please try again in a few minutes.';
    case 500: case 502: case 503: case 504:
      return 'Something went wrong on our side. Please try again; if it keeps happening, tell the host.';
  }
  return sentence(err.message || 'Something went wrong.');
}

// busy disables a button while work runs and says so, then restores it.
export async function busy(button, label, work) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = old;
  }
}

// toast says briefly, to everyone including screen readers, that something
// was done.
let toastTimer;
export function toast(message) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 4000);
}

// empty is what a list shows when it has nothing in it.
export function empty(title, ...body) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title', text: title }), body.length ? h('p', {}, body) : null);
}

// errorPanel replaces a page that could not load, with a way to try again.
export function errorPanel(err, retry) {
  return h('div', { class: 'notice error', role: 'alert' },
    h('p', { text: errorMessage(err) }),
    retry ? h('button', { type: 'button', class: 'secondary', on: { click: retry }, text: 'Try again' }) : null);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateFormat.format(d);
}

export function formatDateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateTimeFormat.format(d);
}

export function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 100)}%`;
}

// formValues reads a form's named controls as strings.
export function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) out[k] = typeof v === 'string' ? v.trim() : v;
  return out;
}

// badge is a small label such as a status or a lane.
export function badge(text, kind = '') {
  return h('span', { class: ['badge', kind && `badge-${kind}`], text });
}

// stat is one figure of a stats list (a <dl class="stats">): a label, the
// value, an optional detail, and an optional kind that styles it.
export function stat(label, value, detail, kind) {
  return h('div', { class: ['stat', kind && `stat-${kind}`], dataset: { stat: label.toLowerCase() } },
    h('dt', { text: label }),
    h('dd', {}, h('span', { class: 'stat-value', text: String(value) }), detail ? h('span', { class: 'stat-detail', text: detail }) : null));
}

// sleep waits ms milliseconds, or until signal aborts: the pause between
// two looks at a long job's progress.
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

// saveFile saves a file fetched with api.file (a CSV for the host, whose
// token lives in this tab) from memory, and returns the name it was
// saved under.
export function saveFile(f, fallbackName) {
  const url = URL.createObjectURL(f.blob);
  const a = document.createElement('a');
  a.href = url; // our own blob: URL, not user text
  a.download = f.name || fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return a.download;
}
