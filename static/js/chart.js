// Charts, drawn by uPlot (vendored in /vendor/uplot, loaded when a page
// first needs a chart). uPlot draws on a canvas and styles its elements
// through the CSSOM, which the site's Content-Security-Policy allows.

import { h } from './dom.js';

let uPlotModule;

function loadUPlot() {
  if (!uPlotModule) {
    if (!document.querySelector('link[data-uplot]')) {
      document.head.append(h('link', { rel: 'stylesheet', href: '/vendor/uplot/uPlot.min.css', 'data-uplot': '' }));
    }
    uPlotModule = import('/vendor/uplot/uPlot.esm.js').then((m) => m.default);
  }
  return uPlotModule;
}

const palette = ['#2f6fdb', '#1f9d6b', '#c77c02', '#a33ea1'];

// lineChart draws one line per series ({label, values}) over labels (such
// as quarters), with a point at each value; null values leave a gap. The
// figure says in words what it shows (summary); a table on the page should
// hold the same numbers, for those who do not see the chart.
//   format: writes a value of the left axis (default: rounded, with unit)
//   right: {max, format} puts the series marked axis: 'right' on a second
//     scale, from 0 to max, on the right (say, ratings beside shares)
export function lineChart({ caption, summary, labels, series, unit = '', format, right }) {
  const plot = h('div', { class: 'chart-plot', role: 'img', 'aria-label': summary });
  const figure = h('figure', { class: 'chart' }, plot, h('figcaption', { text: caption }));
  loadUPlot().then((uPlot) => {
    const height = 220;
    const width = () => Math.max(260, plot.clientWidth || 600);
    const xs = labels.map((_, i) => i);
    const none = (v) => v === null || v === undefined;
    const fmt = (v) => (none(v) ? '—' : format ? format(v) : `${Math.round(v)}${unit}`);
    const rightFmt = (v) => (none(v) ? '—' : right && right.format ? right.format(v) : String(Math.round(v * 10) / 10));
    const tick = format || ((t) => `${t}${unit}`);
    const onRight = (s) => right && s.axis === 'right';
    const opts = {
      width: width(), height,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] },
        // Some room above (and below) the points, so none sits on the edge.
        y: { range: (u, min, max) => (unit === '%' ? [0, 100] : [Math.min(0, (min ?? 0) * 1.15), Math.max(1, (max ?? 1) * 1.15)]) },
        ...(right ? { r: { range: [0, right.max || 1] } } : {}),
      },
      axes: [
        { stroke: 'currentColor', grid: { show: false }, splits: () => xs, values: (u, ticks) => ticks.map((t) => labels[t] ?? '') },
        { stroke: 'currentColor', grid: { stroke: 'rgba(127,127,127,0.25)' }, size: format ? 70 : 50, values: (u, ticks) => ticks.map(tick) },
        ...(right ? [{ scale: 'r', side: 1, stroke: 'currentColor', grid: { show: false }, values: (u, ticks) => ticks.map(rightFmt) }] : []),
      ],
      series: [
        { label: 'Quarter', value: (u, v) => (v === null ? '' : labels[v] ?? '') },
        ...series.map((s, i) => ({
          label: s.label, stroke: palette[i % palette.length], width: 2, scale: onRight(s) ? 'r' : 'y',
          value: (u, v) => (onRight(s) ? rightFmt(v) : fmt(v)),
          points: { show: true, size: 8, fill: palette[i % palette.length] },
        })),
      ],
    };
    const u = new uPlot(opts, [xs, ...series.map((s) => s.values)], plot);
    new ResizeObserver(() => {
      if (Math.abs(u.width - width()) > 2) u.setSize({ width: width(), height });
    }).observe(plot);
    plot.dataset.drawn = 'true';
  }).catch(() => {
    plot.replaceChildren(h('p', { class: 'muted', text: 'The chart could not be drawn; the table has the same figures.' }));
  });
  return figure;
}
