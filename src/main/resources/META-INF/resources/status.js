'use strict';

// The status page: polls the status API every 2 s, keeps the last 5 minutes of samples per pool in
// memory and draws them on canvases. No libraries: the page must work offline.
(() => {
  const POLL_MS = 2000;
  const WINDOW_MS = 5 * 60 * 1000;
  // a longer silence between two samples is a gap in the lines, not a straight ramp across it
  const GAP_MS = 3 * POLL_MS;
  const API = apiUrl();

  const COLUMNS = [
    ['kind', p => p.kind ?? '—'],
    ['total', p => count(p.sizes?.total)],
    ['inUse', p => count(p.sizes?.inUse)],
    ['idle', p => count(p.sizes?.idle)],
    ['connecting', p => count(p.sizes?.connecting)],
    ['target', p => count(p.sizes?.target)],
    ['min', p => count(p.sizes?.min)],
    ['max', p => count(p.sizes?.max)],
    ['waiters', p => count(p.waiters)],
    ['utilization', p => percent(p.utilization)],
    ['reuse', p => percent(p.reuse?.ratio)],
  ];

  const CONNECTION_SERIES = [
    {key: 'waiters', label: 'waiters', color: 'waiters', dash: [5, 4]},
    {key: 'idle', label: 'idle', color: 'idle'},
    {key: 'inUse', label: 'in use', color: 'in-use'},
  ];
  const LATENCY_SERIES = [{key: 'latency', label: 'acquire latency', color: 'latency', unit: ' ms'}];

  // pool name -> {row, card, samples, lastWait, nodesKey}
  const views = new Map();
  let polls = 0;
  let lastSuccess = null;

  // ?api=/some/path points the page at another status URL of the same origin (used by the tests)
  function apiUrl() {
    const override = new URLSearchParams(location.search).get('api');
    if (override) {
      const url = new URL(override, location.href);
      if (url.origin === location.origin) {
        return url.pathname + url.search;
      }
    }
    return new URL('api/v1/pools', location.href).pathname;
  }

  function count(value) {
    return Number.isFinite(value) ? String(value) : '—';
  }

  function percent(fraction) {
    return Number.isFinite(fraction) ? `${+(fraction * 100).toFixed(1)} %` : '—';
  }

  function millis(value) {
    return `${+value.toFixed(value < 10 ? 2 : 1)} ms`;
  }

  async function poll() {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 2 * POLL_MS);
    try {
      const response = await fetch(API, {headers: {Accept: 'application/json'}, cache: 'no-store', signal: abort.signal});
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`);
      }
      const body = await response.json();
      if (!body || !Array.isArray(body.pools)) {
        throw new Error('the answer has no "pools" list');
      }
      lastSuccess = Date.now();
      render(body.pools, lastSuccess);
      polls++;
      document.body.dataset.polls = String(polls);
      hideError();
    } catch (error) {
      showError(error);
    } finally {
      clearTimeout(timer);
      setTimeout(poll, POLL_MS);
    }
  }

  function showError(error) {
    let reason = error.message;
    if (error.name === 'AbortError') {
      reason = `no answer within ${2 * POLL_MS / 1000} s`;
    } else if (error instanceof TypeError) {
      reason = 'network error (is the gateway running?)';
    } else if (error instanceof SyntaxError) {
      reason = 'the answer is not JSON';
    }
    const banner = document.getElementById('error-banner');
    banner.textContent = `Cannot reach the status API (GET ${API}): ${reason}. Retrying every ${POLL_MS / 1000} s.`
        + (lastSuccess ? ` Showing data from ${new Date(lastSuccess).toLocaleTimeString()}.` : '');
    banner.hidden = false;
    document.body.classList.add('stale');
    const placeholder = document.getElementById('pools-placeholder');
    if (placeholder) {
      placeholder.cells[0].textContent = 'No data: the status API is unreachable.';
    }
  }

  function hideError() {
    document.getElementById('error-banner').hidden = true;
    document.body.classList.remove('stale');
  }

  function render(pools, now) {
    document.getElementById('pools-placeholder')?.remove();
    const seen = new Set();
    for (const pool of pools) {
      seen.add(pool.name);
      const view = views.get(pool.name) ?? createView(pool.name);
      updateRow(view.row, pool);
      view.card.querySelector('[data-slot="kind"]').textContent = pool.kind ?? '';
      updateNodes(view, pool.nodes);
      view.decisions = pool.autoscaling?.decisions ?? [];
      record(view, pool, now);
      drawCharts(view, now);
    }
    for (const [name, view] of views) {
      if (!seen.has(name)) {
        view.row.remove();
        view.card.remove();
        views.delete(name);
      }
    }
    const stamp = document.getElementById('last-refresh');
    stamp.textContent = new Date(now).toLocaleTimeString();
    stamp.dateTime = new Date(now).toISOString();
  }

  function createView(name) {
    const row = document.createElement('tr');
    row.id = `row-${name}`;
    row.dataset.pool = name;
    const header = document.createElement('th');
    header.scope = 'row';
    header.dataset.field = 'name';
    const link = document.createElement('a');
    link.href = `#pool-${name}`;
    link.textContent = name;
    header.append(link);
    row.append(header);
    for (const [field] of COLUMNS) {
      const cell = document.createElement('td');
      cell.dataset.field = field;
      if (field !== 'kind') {
        cell.className = 'num';
      }
      row.append(cell);
    }

    const card = document.getElementById('pool-card').content.firstElementChild.cloneNode(true);
    card.id = `pool-${name}`;
    card.dataset.pool = name;
    card.setAttribute('aria-label', `pool ${name}`);
    card.querySelector('[data-slot="name"]').textContent = name;
    // pools in name order, whatever order the API lists them in
    const next = [...views.keys()].sort().find(other => other > name);
    document.getElementById('pools-body').insertBefore(row, next ? views.get(next).row : null);
    document.getElementById('pool-cards').insertBefore(card, next ? views.get(next).card : null);

    const view = {row, card, samples: [], lastWait: null, hasWait: false, nodesKey: null};
    views.set(name, view);
    return view;
  }

  function updateRow(row, pool) {
    for (const [field, format] of COLUMNS) {
      row.querySelector(`[data-field="${field}"]`).textContent = format(pool);
    }
  }

  function updateNodes(view, nodes = []) {
    const key = JSON.stringify(nodes);
    if (key === view.nodesKey) {
      return;
    }
    view.nodesKey = key;
    const body = view.card.querySelector('[data-slot="nodes"]');
    body.replaceChildren(...nodes.map(node => {
      const row = document.createElement('tr');
      row.dataset.node = node.name;
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = node.name;
      const url = document.createElement('code');
      url.textContent = node.url ?? '—';
      const health = document.createElement('span');
      const [state, label] = node.draining ? ['unknown', 'drained']
          : node.healthy === true ? ['up', 'healthy']
          : node.healthy === false ? ['down', 'unhealthy'] : ['unknown', 'unknown'];
      health.className = `health ${state}`;
      health.textContent = label;
      const circuit = document.createElement('span');
      const breaker = node.circuit?.state ?? 'unknown';
      circuit.className = `circuit ${breaker}`;
      circuit.textContent = breaker.replace('_', ' ');
      circuit.title = (node.circuit?.since ? `since ${node.circuit.since}` : '')
          + (node.circuit?.lastError ? `; last error: ${node.circuit.lastError}` : '');
      const load = node.connections ? `${count(node.connections.inUse)} / ${count(node.connections.total)}` : '—';
      row.append(name, cell(node.role ?? '—'), cell(url, 'url'), cell(count(node.weight), 'num'), cell(health, 'health-cell'),
          cell(circuit, 'circuit-cell'), cell(load, 'num'));
      return row;
    }));
  }

  function cell(content, className) {
    const td = document.createElement('td');
    if (className) {
      td.className = className;
    }
    td.append(content);
    return td;
  }

  function record(view, pool, now) {
    view.samples.push({
      t: now,
      inUse: pool.sizes?.inUse,
      idle: pool.sizes?.idle,
      waiters: pool.waiters,
      latency: latency(view, pool.acquireWait),
    });
    while (view.samples.length && view.samples[0].t < now - WINDOW_MS - POLL_MS) {
      view.samples.shift();
    }
  }

  // average wait of the acquisitions since the previous poll: Δ totalMillis / Δ count
  function latency(view, wait) {
    const previous = view.lastWait;
    if (!wait || !Number.isFinite(wait.count) || !Number.isFinite(wait.totalMillis)) {
      view.lastWait = null;
      view.hasWait = false;
      return undefined;
    }
    view.lastWait = wait;
    view.hasWait = true;
    if (!previous || wait.count < previous.count) {
      return undefined;
    }
    const acquisitions = wait.count - previous.count;
    return acquisitions === 0 ? 0 : (wait.totalMillis - previous.totalMillis) / acquisitions;
  }

  function drawCharts(view, now) {
    const latest = view.samples[view.samples.length - 1];
    const connections = view.card.querySelector('[data-chart="connections"]');
    // scaling decisions are marked on the connections chart: ▲ 25 (grew to 25), ▼ 18
    const marks = (view.decisions ?? []).map(d => ({t: Date.parse(d.at), label: `${d.direction === 'up' ? '▲' : '▼'} ${d.to}`,
      title: d.reason})).filter(m => Number.isFinite(m.t) && m.t >= now - WINDOW_MS);
    draw(connections, view.samples, CONNECTION_SERIES, now, 'collecting data…', marks);
    connections.setAttribute('aria-label', `Chart of the last 5 minutes; now in use ${count(latest.inUse)}, `
        + `idle ${count(latest.idle)}, waiters ${count(latest.waiters)}`);

    const latencyChart = view.card.querySelector('[data-chart="latency"]');
    draw(latencyChart, view.samples, LATENCY_SERIES, now,
        view.hasWait ? 'collecting data…' : 'acquire latency is not reported by this gateway');
    latencyChart.setAttribute('aria-label', !view.hasWait ? 'Acquire latency: unknown'
        : Number.isFinite(latest.latency) ? `Chart of the last 5 minutes; latest acquire latency ${millis(latest.latency)}`
            : 'Acquire latency: collecting data');
  }

  function draw(canvas, samples, series, now, emptyText, marks = []) {
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) {
      return;
    }
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const color = name => style.getPropertyValue(`--${name}`).trim();

    const plot = {left: 48, right: width - 12, top: 10, bottom: height - 22};
    const points = samples.filter(s => series.some(d => Number.isFinite(s[d.key])));
    const highest = Math.max(0, ...points.flatMap(s => series.map(d => s[d.key]).filter(Number.isFinite)));
    const top = niceCeiling(highest);
    const x = t => plot.right - (plot.right - plot.left) * (now - t) / WINDOW_MS;
    const y = v => plot.bottom - (plot.bottom - plot.top) * v / top;

    g.font = `11px ${style.fontFamily}`;
    g.lineWidth = 1;
    g.strokeStyle = color('grid');
    g.fillStyle = color('muted');
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    for (const value of [0, top / 2, top]) {
      line(g, plot.left, y(value), plot.right, y(value));
      g.fillText(`${+value.toFixed(2)}${series[0].unit ?? ''}`, plot.left - 6, y(value));
    }
    g.textBaseline = 'top';
    g.textAlign = 'center';
    for (let minute = 5; minute >= 0; minute--) {
      const at = x(now - minute * 60_000);
      line(g, at, plot.top, at, plot.bottom);
      g.fillText(minute === 0 ? 'now' : `−${minute} min`, Math.min(at, plot.right - 10), plot.bottom + 6);
    }

    canvas.dataset.points = String(points.length);
    canvas.dataset.marks = String(marks.length);
    g.save();
    g.strokeStyle = g.fillStyle = color('scaling') || color('muted');
    g.setLineDash([3, 3]);
    g.textBaseline = 'top';
    g.textAlign = 'left';
    for (const mark of marks) {
      const at = x(mark.t);
      line(g, at, plot.top, at, plot.bottom);
      g.fillText(mark.label, Math.min(at + 3, plot.right - 30), plot.top);
    }
    g.restore();
    if (points.length === 0) {
      g.textBaseline = 'middle';
      g.fillText(emptyText, (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2);
      return;
    }
    g.save();
    g.beginPath();
    g.rect(plot.left, 0, plot.right - plot.left + 4, height);
    g.clip();
    g.lineWidth = 2;
    g.lineJoin = 'round';
    for (const d of series) {
      g.strokeStyle = g.fillStyle = color(d.color);
      g.setLineDash(d.dash ?? []);
      g.beginPath();
      let previous = null;
      for (const s of samples) {
        const value = s[d.key];
        if (!Number.isFinite(value)) {
          previous = null;
          continue;
        }
        if (previous && s.t - previous.t <= GAP_MS) {
          g.lineTo(x(s.t), y(value));
        } else {
          g.moveTo(x(s.t), y(value));
        }
        previous = s;
      }
      g.stroke();
      if (previous) {
        g.setLineDash([]);
        g.beginPath();
        g.arc(x(previous.t), y(previous[d.key]), 3, 0, 2 * Math.PI);
        g.fill();
      }
    }
    g.restore();
  }

  function line(g, x1, y1, x2, y2) {
    g.beginPath();
    g.moveTo(Math.round(x1) + 0.5, Math.round(y1) + 0.5);
    g.lineTo(Math.round(x2) + 0.5, Math.round(y2) + 0.5);
    g.stroke();
  }

  // the smallest of 1, 2, 4, 5 × 10^n that is at least value (and at least 1 for a flat zero line)
  function niceCeiling(value) {
    if (!(value > 0)) {
      return 1;
    }
    const magnitude = 10 ** Math.floor(Math.log10(value));
    const step = [1, 2, 4, 5, 10].find(f => f * magnitude >= value);
    return step * magnitude;
  }

  window.addEventListener('resize', () => {
    const now = lastSuccess ?? Date.now();
    for (const view of views.values()) {
      if (view.samples.length) {
        drawCharts(view, now);
      }
    }
  });

  document.getElementById('api-url').textContent = API;
  poll();
})();
