// Host: partnership health. Every strategic partnership that has not
// ended, the ones needing a look first: goals met, deliverables overdue,
// reviews missing (by business), and warnings such as a business holding
// more strategic partnerships than the community advises.

import { h, replace, empty, userText, badge, stat } from '../dom.js';
import * as api from '../api.js';
import { statusBadge, sideName, formatDay } from '../partnership/common.js';

export async function render(view, ctx) {
  const res = await api.get('/api/v1/partnerships/health', { auth: 'host', signal: ctx.signal });
  const list = res.partnerships || [];
  const needing = list.filter((x) => stateBadges[x.state].attention).length;
  replace(view,
    h('h1', { tabindex: '-1', text: 'Partnership health' }),
    h('p', { class: 'lead', text: 'Every strategic partnership that has not ended, those needing a look first. Referral partnerships keep their own books: see them under ' },
      h('a', { href: '/app/partnerships', text: 'all partnerships' }), '.'));
  if (list.length === 0) {
    view.append(empty('No strategic partnerships yet.', 'They show here once members start them (or you pair two posts in ',
      h('a', { href: '/app/partnerships', text: 'Partnerships' }), ').'));
    return 'Partnership health';
  }
  view.append(
    h('p', { class: 'results-status', role: 'status', text: `${list.length} strategic ${list.length === 1 ? 'partnership' : 'partnerships'}; ${needing === 0 ? 'none needs' : `${needing} ${needing === 1 ? 'needs' : 'need'}`} a look.` }),
    h('ul', { class: 'card-list health-list' }, list.map(card)));
  return 'Partnership health';
}

// What the server judged from the partnership's record (see
// app.healthState): never "on track" for want of news.
const stateBadges = {
  no_review_yet: { text: 'No review yet', tone: 'muted' },
  needs_look: { text: 'Needs a look', tone: 'attention', attention: true },
  behind: { text: 'Behind on goals', tone: 'attention', attention: true },
  on_track: { text: 'On track', tone: 'good' },
};

function card(x) {
  const p = x.partnership;
  const cur = x.current || {};
  const state = stateBadges[x.state];
  const trouble = state.attention;
  return h('li', { class: ['card', 'health-card', trouble && 'needs-look'], dataset: { partnership: p.id, state: x.state } },
    h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, h('a', { href: `/app/partnerships/${p.id}`, dir: 'auto' },
        userText('span', sideName(p, 'a')), ' and ', userText('span', sideName(p, 'b')))),
      h('span', { class: 'badges' }, statusBadge(p.status), badge(state.text, state.tone))),
    h('p', { class: 'meta' }, h('span', { class: 'meta-item', text: `Since ${formatDay(p.started_on)}` })),
    h('dl', { class: 'stats' },
      stat('Goals met', x.goals ? `${x.goals_met} of ${x.goals}` : '—', x.goals ? 'all quarters' : 'no goals planned yet'),
      stat(`This quarter (${cur.quarter || api.currentQuarter()})`, cur.goals_measured ? `${cur.goals_met} of ${cur.goals_measured}` : '—',
        cur.goals ? `goals met of those measured; ${cur.goals} planned` : 'nothing planned yet'),
      stat('Deliverables overdue', String(x.deliverables_overdue), null, x.deliverables_overdue ? 'bad' : null),
      stat('Reviews missing', String(x.reviews_missing.length), null, x.reviews_missing.length ? 'bad' : null)),
    x.reviews_missing.length ? h('div', { class: 'missing' },
      h('h3', { text: 'Reviews missing' }),
      h('ul', {}, x.reviews_missing.map((m) => h('li', {}, `${m.quarter}: `, userText('span', m.business), h('span', { class: 'muted', text: ` (side ${m.side.toUpperCase()})` }))))) : null,
    (x.warnings || []).length ? h('div', { class: 'notice warn' },
      h('p', { text: 'Warnings' }),
      h('ul', {}, x.warnings.map((w) => userText('li', w)))) : null);
}
