// A field to choose a post by searching for it: the host types part of a
// business's name or what it does, and picks one of the posts found.

import { h, replace, userText, showErrors } from '../dom.js';
import * as api from '../api.js';
import { laneBadge } from '../posts.js';

let seq = 0;

// postPicker returns {element, value()}: value is the chosen post's ID, or
// 0. name is the field's name in error messages from the API.
export function postPicker({ label, name, hint }) {
  const id = `picker-${++seq}`;
  let chosen = 0;
  const input = h('input', { id, type: 'search', autocomplete: 'off', 'aria-describedby': `${id}-hint ${id}-error`, 'aria-controls': `${id}-results` });
  const results = h('ul', { class: 'picker-results', id: `${id}-results`, 'aria-label': `Posts found for ${label}` });
  const chosenBox = h('p', { class: 'picker-chosen', role: 'status' });
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  let timer;
  let ask;
  const search = async () => {
    const q = input.value.trim();
    if (!q) { replace(results); return; }
    const mine = Symbol('search');
    ask = mine;
    let page;
    try {
      page = await api.get(`/api/v1/posts${api.query({ q, status: 'active', limit: 8 })}`, { auth: 'host' });
    } catch {
      if (ask === mine) replace(results, h('li', { class: 'muted', text: 'The search did not work. Try again.' }));
      return;
    }
    if (ask !== mine) return; // a later search is on its way
    replace(results, page.posts.length ? page.posts.map((p) => h('li', {},
      h('button', {
        type: 'button', class: 'link-button',
        on: { click: () => choose(p) },
      }, userText('span', p.business), ' ', h('span', { class: 'muted', text: `#${p.id}` }), ' ', laneBadge(p.lane))))
      : h('li', { class: 'muted', text: 'No live post matches.' }));
  };
  const choose = (p) => {
    chosen = p.id;
    replace(chosenBox, 'Chosen: ', userText('strong', p.business), ` (#${p.id})`);
    replace(results);
    input.value = '';
    input.focus();
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 250); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') { ev.preventDefault(); clearTimeout(timer); search(); }
    if (ev.key === 'ArrowDown') { ev.preventDefault(); results.querySelector('button')?.focus(); }
  });
  const element = h('div', { class: 'field picker', dataset: { field: name } },
    h('label', { for: id, text: label }),
    h('p', { class: 'hint', id: `${id}-hint`, text: hint || 'Type part of a business’s name or what it does, then pick it.' }),
    input, results, chosenBox, error);
  return { element, value: () => chosen };
}

// bothPicked shows "pick one" under each of two pickers left empty and
// reports whether both hold a post: what every pair-two-posts form checks
// before it asks the API.
export function bothPicked(form, a, b) {
  const fields = {};
  if (!a.value()) fields.post_a = 'search for a post and pick one';
  if (!b.value()) fields.post_b = 'search for a post and pick one';
  if (Object.keys(fields).length) {
    showErrors(form, { fields });
    return false;
  }
  return true;
}
