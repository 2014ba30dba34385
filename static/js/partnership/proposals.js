// Proposals: the referral terms and the lane change only when both sides
// agree. One side (or the host) proposes; the side it waits for accepts,
// declines, or answers with a proposal of its own, which replaces it. Open
// proposals show at the top of the partnership, each with what the
// caller may do; decided ones are kept below as the record of what was
// asked and agreed.

import { h, userText, formatDateTime, toast } from '../dom.js';
import * as api from '../api.js';
import { sideName, actorName, section, disclosure, actionButton, confirmStep } from './common.js';
import { termsText } from './referral.js';

const statusWords = {
  accepted: 'Accepted', declined: 'Declined', withdrawn: 'Withdrawn', countered: 'Answered with a counter-proposal', lapsed: 'Lapsed',
};

// describe says what a proposal would do, in the page's words.
export function describe(p, pr) {
  if (pr.kind === 'lane') return `Move the partnership to the ${pr.lane} lane.`;
  return termsText(p, pr.terms);
}

// proposalsSection is the section of open and past proposals, or nothing
// when there never was one.
export function proposalsSection(p, env, proposals) {
  if (!proposals.length) return null;
  const open = proposals.filter((pr) => pr.status === 'open');
  const past = proposals.filter((pr) => pr.status !== 'open');
  return section('proposals', open.length ? 'Waiting for agreement' : 'Proposals',
    open.length ? h('p', { class: 'hint', text: 'Terms and lane changes bind you both, so they take effect only once both sides accept.' }) : null,
    open.map((pr) => openCard(p, env, pr)),
    past.length ? disclosure(`Earlier proposals (${past.length})`, h('ol', { class: 'proposal-history' }, past.map((pr) => pastItem(p, pr)))) : null);
}

function openCard(p, env, pr) {
  const base = `/api/v1/partnerships/${p.id}/proposals/${pr.id}`;
  const decide = (what, key, body) => api.post(`${base}/${what}`, body, { auth: env.who.auth, key });
  const waiting = pr.waiting_for.map((s) => sideName(p, s)).join(' and ');
  const mine = p.you ? pr.proposed_by === p.you : pr.proposed_by === 'host';
  const mayAnswer = p.you && pr.waiting_for.includes(p.you);
  const done = (message) => { toast(message); env.reload(); };
  const actions = [];
  if (mayAnswer) {
    actions.push(actionButton('Accept', 'Accepting…', async (key) => {
      const after = await decide('accept', key);
      done(after.status === 'accepted' ? 'Accepted: it is in force now.' : 'Accepted. It now waits for the other side.');
    }, { kind: 'primary small' }));
    actions.push(confirmStep({
      label: 'Decline', question: 'Decline this proposal?', yes: 'Yes, decline', no: 'Keep it open', busyLabel: 'Declining…',
      kind: 'secondary small', work: async (key) => { await decide('decline', key); done('Declined.'); },
    }));
  }
  if (mine) {
    actions.push(confirmStep({
      label: 'Withdraw', question: 'Withdraw your proposal?', yes: 'Yes, withdraw', no: 'Keep it', busyLabel: 'Withdrawing…',
      kind: 'secondary small', work: async (key) => { await decide('withdraw', key); done('Withdrawn.'); },
    }));
  }
  const counter = mayAnswer && pr.kind === 'terms' && p.status === 'active'
    ? h('p', { class: 'hint', text: 'To answer with other terms, propose them under Terms below: yours then replaces this one and waits for their answer.' })
    : null;
  return h('div', { class: ['card', 'proposal', `proposal-${pr.kind}`], dataset: { proposal: pr.id } },
    h('p', { class: 'eyebrow', text: `${pr.kind === 'lane' ? 'Lane change' : 'Referral terms'} · waiting for ${waiting}` }),
    userText('p', describe(p, pr), { class: 'proposal-text' }),
    pr.reason ? userText('blockquote', pr.reason) : null,
    h('p', { class: 'muted small', text: `Proposed by ${actorName(p, pr.proposed_by)}${pr.answers ? ' as a counter-proposal' : ''}, ${formatDateTime(pr.created_at)}.` }),
    actions.length ? h('div', { class: 'actions' }, actions) : null,
    counter);
}

function pastItem(p, pr) {
  const by = pr.decided_by ? ` by ${actorName(p, pr.decided_by)}` : '';
  return h('li', { class: `proposal-${pr.status}` },
    h('strong', { text: `${statusWords[pr.status] || pr.status}${by}: ` }),
    userText('span', describe(p, pr)),
    h('span', { class: 'muted', text: ` Proposed by ${actorName(p, pr.proposed_by)}, ${formatDateTime(pr.created_at)}.` }),
    pr.note ? userText('blockquote', pr.note) : null);
}
