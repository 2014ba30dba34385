// How posts are shown across pages.

import { h, userText, websiteLink, badge } from './dom.js';

export const laneNames = { referral: 'Referral', strategic: 'Strategic', either: 'Referral or strategic' };

export function laneBadge(lane) {
  return badge(laneNames[lane] || lane, `lane-${lane}`);
}

// postMeta is the line under a business name: lane, region, industry.
export function postMeta(p) {
  return h('p', { class: 'meta' },
    laneBadge(p.lane),
    p.region ? userText('span', p.region, { class: 'meta-item' }) : null,
    p.industry ? userText('span', p.industry, { class: 'meta-item' }) : null);
}

// postDetails lists what a post says, as a definition list.
export function postDetails(p, { seekLabel = 'Looking for', offerLabel = 'What they do' } = {}) {
  const rows = [
    [offerLabel, p.offer],
    [seekLabel, p.seek],
    ['Customers', p.customers],
  ].filter(([, v]) => v);
  return h('dl', { class: 'post-details' },
    rows.map(([k, v]) => [h('dt', { text: k }), h('dd', {}, userText('span', v))]),
    p.website && websiteLink(p.website) ? [h('dt', { text: 'Website' }), h('dd', {}, websiteLink(p.website))] : null);
}

// postCard is a post in a list.
export function postCard(p, { heading = 'h2', extra = null, actions = null } = {}) {
  return h('article', { class: 'card post-card', dataset: { post: p.id } },
    userText(heading, p.business, { class: 'card-title' }),
    postMeta(p),
    postDetails(p),
    extra,
    actions ? h('div', { class: 'actions' }, actions) : null);
}
