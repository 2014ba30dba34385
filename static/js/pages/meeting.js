// Plan a meeting, on an accepted introduction: one member offers a few
// times, the other picks one, and both get the same calendar invitation by
// email. Either may move the meeting (new times, or another of the times on
// offer) or cancel it. Times are entered and shown in the member's own
// time zone: the API writes every time's label ("local") in it, and takes
// the wall times of datetime-local fields with the zone they are in.

import { h, replace, errorMessage, busy, toast, field, formError, showErrors, clearErrors } from '../dom.js';
import * as api from '../api.js';
import { confirmStep, actionButton, once } from '../partnership/common.js';

const MAX_SLOTS = 5;
const LENGTHS = [['30', '30 minutes'], ['45', '45 minutes'], ['60', '1 hour'], ['90', '1½ hours']];

// meetingPart returns the introduction's meeting part; it loads itself.
export function meetingPart(intro, member) {
  const path = `/api/v1/introductions/${intro.id}/meeting`;
  const box = h('section', { class: 'meeting', dataset: { meeting: intro.id }, 'aria-labelledby': `meeting-${intro.id}` });
  const heading = () => h('h4', { id: `meeting-${intro.id}`, tabindex: '-1', text: 'Plan a meeting' });
  const draw = (m, { focus = false } = {}) => {
    replace(box, heading(), meetingBody(m, intro, member, path, draw));
    if (focus) box.querySelector('h4').focus();
  };
  replace(box, heading(), h('p', { class: 'muted', text: 'Loading…' }));
  api.get(path, { auth: 'member' }).then((m) => draw(m), (err) => {
    replace(box, heading(), h('p', { class: 'field-error', role: 'alert', text: errorMessage(err) }));
  });
  return box;
}

function meetingBody(m, intro, member, path, draw) {
  const other = intro.other.post.business;
  const out = [];
  const done = (message) => (updated) => { toast(message); draw(updated, { focus: true }); };
  if (m.event && m.status !== 'cancelled') {
    out.push(h('p', { class: 'meeting-when' },
      h('span', { class: 'said', text: m.status === 'scheduled' ? 'Meeting set: ' : 'Set for now: ' }),
      h('strong', { text: m.event.local })),
    h('p', { class: 'muted' }, 'You both got the calendar invitation by email. ',
      h('a', { href: `${path}.ics`, download: 'meeting.ics', class: 'ics-link', text: 'Download it (.ics)' })));
  }
  if (m.status === 'cancelled') {
    out.push(h('p', { class: 'muted', text: m.event ? `The meeting on ${m.event.local} was cancelled. You can offer new times.` : 'The times offered were withdrawn. You can offer new ones.' }));
  }
  if (m.status === 'proposed' || (m.status === 'scheduled' && m.can_pick && m.slots.length > 1)) {
    out.push(slotList(m, other, path, done, member));
  }
  if (m.status === 'proposed' || m.status === 'scheduled') {
    const offer = offerForm(m, member, path, done(`Times sent: ${other} is emailed to pick one.`), true);
    offer.hidden = true;
    const toggle = h('button', { type: 'button', class: 'secondary small', text: m.status === 'scheduled' ? 'Move it: offer new times' : 'Offer other times' });
    toggle.addEventListener('click', () => { offer.hidden = false; toggle.hidden = true; offer.querySelector('input, select')?.focus(); });
    // Cancelling a meeting, withdrawing one's times and declining the
    // other side's are one step: what it says depends on who and when.
    // Once a time was picked it cancels the event, new times on offer or
    // not.
    const [label, question, yes] = m.event
      ? ['Cancel the meeting', `Cancel the meeting with ${other}? You both get the cancellation.`, 'Yes, cancel it']
      : m.can_pick ? ['Decline these times', `Decline the times ${other} offered? They are told.`, 'Yes, decline them']
        : ['Withdraw the times', `Withdraw the times offered to ${other}? They are told.`, 'Yes, withdraw them'];
    const cancel = confirmStep({
      label, question, yes, no: 'Keep it', busyLabel: 'Cancelling…',
      work: async (key) => done(m.event ? 'Cancelled: you both got the cancellation.' : 'Done: they are told.')(
        await api.post(`${path}/cancel`, {}, { auth: 'member', key })),
    });
    out.push(h('div', { class: 'actions meeting-actions' }, toggle, cancel), offer, zoneChoice(m, member, path, draw));
  } else {
    out.push(h('p', { class: 'muted', text: `Offer ${other} a few times that suit you: they pick one, and you both get a calendar invitation.` }),
      offerForm(m, member, path, done(`Times sent: ${other} is emailed to pick one.`), false));
  }
  return out;
}

// slotList shows the times on offer: buttons to pick one for the member who
// may, the times waiting for the other side's pick otherwise.
function slotList(m, other, path, done, member) {
  const waiting = !m.can_pick;
  const intro = waiting ? `Waiting for ${other} to pick one of the times you offered:`
    : m.status === 'scheduled' ? 'Or move it to another of the times offered:' : `${other} offered these times. Pick the one that suits you:`;
  const list = h('ul', { class: 'slot-list' }, m.slots.map((s) => {
    const chosen = m.event && m.event.id === s.id && m.status === 'scheduled';
    const item = h('li', { class: ['slot', chosen && 'chosen'], dataset: { slot: s.id } }, h('span', { class: 'slot-time', text: s.local }),
      chosen ? h('span', { class: 'said', text: 'Set' }) : null);
    if (!waiting && !chosen) {
      item.append(actionButton('Pick this time', 'Sending invitations…', async (key) => {
        done('Set: you both got the calendar invitation by email.')(await api.post(`${path}/pick`, { slot: s.id }, { auth: 'member', key }));
      }, { kind: 'primary small' }));
    }
    return item;
  }));
  return h('div', { class: 'slots' }, h('p', { text: intro }), list,
    h('p', { class: 'hint', text: member.time_zone ? `Times are in your time zone, ${m.time_zone}.`
      : `Times are in ${m.time_zone}, the zone they were offered in. Offering times saves your own zone.` }));
}

// timeZones lists the IANA zones the browser knows (some 400, read once),
// with zone first when it is not among them.
let knownZones;
function timeZones(zone) {
  knownZones ??= (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []).map((z) => [z, z.replaceAll('_', ' ')]);
  return knownZones.some(([z]) => z === zone) ? knownZones : [[zone, zone.replaceAll('_', ' ')], ...knownZones];
}

// zoneChoice lets a member who picks (and so never fills the offer form)
// set the zone their times are shown and emailed in.
function zoneChoice(m, member, path, draw) {
  const zone = member.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const choice = field({ label: 'Your time zone', name: 'time_zone', kind: 'select', value: zone, required: true, options: timeZones(zone) });
  const save = h('button', { type: 'submit', class: 'secondary small', text: 'Save' });
  const form = h('form', { class: 'zone-choice', novalidate: true }, formError(), choice, h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const updated = await busy(save, 'Saving…', async () => {
        await api.put('/api/v1/me/time-zone', { time_zone: form.elements.time_zone.value }, { auth: 'member' });
        member.time_zone = form.elements.time_zone.value;
        return api.get(path, { auth: 'member' });
      });
      toast(`Times are now shown and emailed to you in ${member.time_zone}.`);
      draw(updated, { focus: true });
    } catch (err) { showErrors(form, err, { time_zone: 'Your time zone' }); }
  });
  return h('details', { class: 'zone' }, h('summary', { text: `Your time zone: ${member.time_zone || 'not set'}` }), form);
}

// offerForm takes up to MAX_SLOTS times, as wall times in the member's
// zone (which it saves as theirs when they change it or had none).
function offerForm(m, member, path, onDone, moving) {
  const zone = member.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const rows = h('div', { class: 'slot-rows' });
  const addRow = () => {
    const n = rows.children.length;
    rows.append(h('div', { class: 'slot-row' },
      field({ label: `Time ${n + 1}`, name: `slots[${n}].start`, type: 'datetime-local', required: n === 0, attrs: { step: 300 } }),
      field({ label: 'Length', name: `slots[${n}].minutes`, kind: 'select', value: '30', required: true, options: LENGTHS })));
    more.hidden = rows.children.length >= MAX_SLOTS;
  };
  const more = h('button', { type: 'button', class: 'secondary small', text: 'Add another time' });
  more.addEventListener('click', () => { addRow(); rows.lastElementChild.querySelector('input').focus(); });
  const form = h('form', { class: ['stack', 'offer-times'], novalidate: true },
    formError(),
    field({ label: 'Your time zone', name: 'time_zone', kind: 'select', value: zone, required: true, options: timeZones(zone),
      hint: 'Times are in this zone. It is saved as yours: the times you are offered are shown and emailed to you in it.' }),
    rows,
    h('div', { class: 'actions' }, more, h('button', { type: 'submit', class: 'primary', text: moving ? 'Send the new times' : 'Offer these times' })));
  addRow();
  addRow();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const chosenZone = form.elements.time_zone.value;
    // Empty rows are left out; used maps a sent slot back to its row, for
    // the API's errors ("slots[0].start") to show on the right one.
    const used = [...rows.children].map((row, n) => n).filter((n) => form.elements[`slots[${n}].start`].value);
    const slots = used.map((n) => ({ start: form.elements[`slots[${n}].start`].value, minutes: Number(form.elements[`slots[${n}].minutes`].value) }));
    if (slots.length === 0) {
      showErrors(form, { fields: { 'slots[0].start': 'pick a day and time' } });
      return;
    }
    try {
      const updated = await busy(form.querySelector('button[type=submit]'), 'Sending…', async () => {
        if (chosenZone !== member.time_zone) {
          await api.put('/api/v1/me/time-zone', { time_zone: chosenZone }, { auth: 'member' });
          member.time_zone = chosenZone;
        }
        return once(form, (key) => api.post(`${path}/times`, { time_zone: chosenZone, slots }, { auth: 'member', key }));
      });
      onDone(updated);
    } catch (err) {
      if (err.fields) {
        err.fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.replace(/^slots\[(\d+)\]/, (_, i) => `slots[${used[i] ?? i}]`), v]));
      }
      showErrors(form, err, { time_zone: 'Your time zone', slots: 'Times' });
    }
  });
  return form;
}
