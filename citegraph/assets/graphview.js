/* citegraph graph view: draws the data of citegraph.viz.to_vis_data with vis-network.
 *
 * Every string in the data comes from ingested documents, so this script only ever puts
 * text into the page with textContent (never innerHTML) and gives vis-network DOM elements,
 * not strings, for anything it shows. Used by the static export (auto-mounts on #cg-data)
 * and by the explorer page (window.CitegraphView.mount).
 */
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function factsTable(facts) {
    var table = el('table', 'cg-facts');
    facts.forEach(function (pair) {
      var tr = el('tr');
      tr.appendChild(el('th', null, pair[0]));
      tr.appendChild(el('td', null, pair[1]));
      table.appendChild(tr);
    });
    return table;
  }

  function quoteList(edge) {
    var list = el('div', 'cg-quotes');
    (edge.quotes || []).forEach(function (q) {
      var item = el('div', 'cg-quote');
      var where = q.document + (q.locator ? ' \u00a7 ' + q.locator : '') +
        ' (' + q.method + ', ' + q.confidence + ')';
      item.appendChild(el('div', 'cg-quote-source', where));
      if (q.quote) { item.appendChild(el('blockquote', null, q.quote)); }
      list.appendChild(item);
    });
    if (edge.count > (edge.quotes || []).length) {
      list.appendChild(el('div', 'cg-more', (edge.count - edge.quotes.length) + ' more'));
    }
    return list;
  }

  function shapeSvg(shape, color, dashed) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('viewBox', '0 0 16 16');
    var s;
    var points = {
      diamond: '8,1 15,8 8,15 1,8',
      triangle: '8,1 15,15 1,15',
      star: '8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6',
      hexagon: '4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8'
    };
    if (shape === 'square') {
      s = document.createElementNS(SVG, 'rect');
      s.setAttribute('x', '2'); s.setAttribute('y', '2');
      s.setAttribute('width', '12'); s.setAttribute('height', '12');
    } else if (points[shape]) {
      s = document.createElementNS(SVG, 'polygon');
      s.setAttribute('points', points[shape]);
    } else {
      s = document.createElementNS(SVG, 'circle');
      s.setAttribute('cx', '8'); s.setAttribute('cy', '8'); s.setAttribute('r', '6');
    }
    s.setAttribute('fill', color);
    s.setAttribute('stroke', '#333');
    if (dashed) { s.setAttribute('stroke-dasharray', '2,2'); }
    svg.appendChild(s);
    return svg;
  }

  function lineSvg(style) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', '28');
    svg.setAttribute('height', '10');
    var line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', '1'); line.setAttribute('y1', '5');
    line.setAttribute('x2', '27'); line.setAttribute('y2', '5');
    line.setAttribute('stroke', style.color);
    line.setAttribute('stroke-width', String(style.width));
    if (style.dashes) { line.setAttribute('stroke-dasharray', '4,3'); }
    svg.appendChild(line);
    return svg;
  }

  function renderLegend(container, data) {
    clear(container);
    var styles = data.styles;
    var nodes = el('div', 'cg-legend-nodes');
    data.legend.nodes.forEach(function (pair) {
      var item = el('span', 'cg-legend-item');
      var st = styles.nodes[pair[0]];
      if (pair[0] === 'unresolved') {
        item.appendChild(shapeSvg(styles.nodes.Instrument.shape, styles.unresolved, true));
        item.appendChild(el('span', null, 'unresolved instrument (' + pair[1] + ')'));
      } else {
        item.appendChild(shapeSvg(st.shape, st.color, false));
        item.appendChild(el('span', null, pair[0] + ' (' + pair[1] + ')'));
      }
      nodes.appendChild(item);
    });
    var edges = el('div', 'cg-legend-edges');
    data.legend.edges.forEach(function (pair) {
      var item = el('span', 'cg-legend-item');
      item.appendChild(lineSvg(styles.edges[pair[0]]));
      item.appendChild(el('span', null, pair[0] + ' (' + pair[1] + ')'));
      edges.appendChild(item);
    });
    container.appendChild(nodes);
    container.appendChild(edges);
    var note = 'Node size: ' + data.meta.sized_by + '. Dashed border: unresolved mention. ' +
      '"(+N)": N articles or sections folded in (double-click to show). Labels that would ' +
      'overlap are left out: zoom in for more.';
    var sized = el('div', 'cg-legend-note', note);
    container.appendChild(sized);
  }

  function summary(meta) {
    var text = meta.nodes_drawn + ' nodes and ' + meta.edges_drawn + ' edges drawn';
    if (meta.nodes_omitted || meta.edges_omitted) {
      text += '; ' + meta.nodes_omitted + ' nodes and ' + meta.edges_omitted +
        ' edges left out (cap)';
    }
    if (meta.store_truncated) { text += '; the query hit its result limit, so more may exist'; }
    return text;
  }

  /* Node colours and shapes live in vis groups (one per type), so each node carries only
   * what differs: cheaper for vis-network to build than per-node option objects. */
  function visGroups(styles) {
    var groups = {};
    Object.keys(styles.nodes).forEach(function (type) {
      var st = styles.nodes[type];
      groups[type] = { shape: st.shape, color: colorSet(st.color) };
    });
    groups.unresolved = { shape: styles.nodes.Instrument.shape,
      shapeProperties: { borderDashes: [4, 3] }, color: colorSet(styles.unresolved) };
    return groups;
  }

  function colorSet(fill, border) {
    var b = border || '#555555';
    return { background: fill, border: b, highlight: { background: fill, border: '#000000' },
      hover: { background: fill, border: '#000000' } };
  }

  var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
    '#b07aa1', '#ff9da7', '#9c755f', '#86bcb6', '#d37295', '#a0cbe8', '#8cd17d', '#b6992d'];
  var NONE = '#d0d0d0';

  /* A colour for each node under a colouring mode: type (the groups), year (a ramp),
   * jurisdiction or cluster (a palette, most frequent first). Returns id -> colour. */
  function colourBy(mode, nodes, clusterOf) {
    var out = {};
    if (mode === 'year') {
      var years = nodes.map(function (n) { return n.year; }).filter(function (y) { return y; });
      var lo = Math.min.apply(null, years.length ? years : [0]);
      var hi = Math.max.apply(null, years.length ? years : [1]);
      nodes.forEach(function (n) {
        if (!n.year) { out[n.id] = NONE; return; }
        var t = hi > lo ? (n.year - lo) / (hi - lo) : 0.5;
        out[n.id] = 'hsl(' + Math.round(220 - 200 * t) + ',70%,' + Math.round(60 - 15 * t) + '%)';
      });
      out.__range = [lo, hi];
      return out;
    }
    var key = mode === 'jurisdiction' ? function (n) { return n.jurisdiction; }
      : function (n) { return clusterOf[n.id]; };
    var freq = {};
    nodes.forEach(function (n) { var k = key(n); if (k) { freq[k] = (freq[k] || 0) + 1; } });
    var ranked = Object.keys(freq).sort(function (a, b) { return freq[b] - freq[a] || (a < b ? -1 : 1); });
    var colour = {};
    ranked.forEach(function (k, i) { colour[k] = i < PALETTE.length ? PALETTE[i] : NONE; });
    nodes.forEach(function (n) { var k = key(n); out[n.id] = k ? colour[k] : NONE; });
    out.__keys = ranked.slice(0, PALETTE.length).map(function (k) { return [k, colour[k]]; });
    return out;
  }

  /* Communities by label propagation over the drawn edges (deterministic order). */
  function clusters(ids, edges) {
    var adj = {};
    var label = {};
    ids.forEach(function (id) { adj[id] = []; label[id] = id; });
    edges.forEach(function (e) {
      if (adj[e.from] && adj[e.to] && e.from !== e.to) { adj[e.from].push(e.to); adj[e.to].push(e.from); }
    });
    var order = ids.slice().sort(function (a, b) { return adj[b].length - adj[a].length; });
    for (var round = 0; round < 8; round++) {
      var changed = false;
      order.forEach(function (id) {
        var count = {};
        var best = label[id];
        var bestCount = 0;
        adj[id].forEach(function (m) {
          var l = label[m];
          count[l] = (count[l] || 0) + 1;
          if (count[l] > bestCount || (count[l] === bestCount && l < best)) { best = l; bestCount = count[l]; }
        });
        if (bestCount && best !== label[id]) { label[id] = best; changed = true; }
      });
      if (!changed) { break; }
    }
    return label;
  }

  /* Large views draw plain lines: dashes and arrowheads cost vis-network most of its
   * drawing time (measured: 10,000 dashed edges with arrows 3 s per frame, plain 0.15 s). */
  function visEdge(e, styles, large) {
    var st = styles.edges[e.type] || { color: '#999999', width: 1, dashes: false };
    var v = { id: e.id, from: e.from, to: e.to,
      width: st.width + Math.min(3, Math.log(e.count)),
      color: { color: st.color, highlight: '#000000', hover: '#000000' } };
    if (!large && st.dashes) { v.dashes = true; }
    if (large) { v.arrows = { to: { enabled: false } }; }
    return v;
  }

  function networkOptions(data) {
    return {
      autoResize: true,
      groups: visGroups(data.styles),
      layout: { improvedLayout: false },
      physics: { enabled: false, solver: 'barnesHut',
        barnesHut: { gravitationalConstant: -4000, springLength: 150, avoidOverlap: 0.3 },
        stabilization: { enabled: false } },
      edges: { smooth: false, selectionWidth: 2, arrows: { to: { enabled: true, scaleFactor: 0.5 } } },
      nodes: { font: { size: 0 }, borderWidth: 1, borderWidthSelected: 4 },
      interaction: { hover: true, tooltipDelay: 200, multiselect: false,
        hideEdgesOnDrag: data.nodes.length > 1500, hideEdgesOnZoom: data.nodes.length > 1500 }
    };
  }

  /* Font stack for labels drawn on the canvas: Latin first, then CJK fonts by name. */
  var FONT = 'system-ui, "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", ' +
    '"Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  var PHYSICS_MAX = 200;

  /* A mounted view: the network, its data, collapsed parents, filters, labels, tooltip. */
  function View(container, data, opts) {
    this.container = container;
    this.opts = opts || {};
    this.data = data;
    this.nodeData = {};
    this.edgeData = {};
    this.children = {};
    this.collapsed = {};
    this.filter = null;
    this.colourMode = this.opts.colour || 'type';
    this.lit = null;
    this.ready = false;
    this.stable = false;
    this.tooltip = el('div', 'cg-tooltip');
    this.tooltip.hidden = true;
    container.appendChild(this.tooltip);
    this.canvasHolder = el('div', 'cg-canvas');
    container.appendChild(this.canvasHolder);
    var t0 = performance.now();
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.index(data);
    this.collapseAll(data);
    this.rebuild();
    this.timings = { data: performance.now() - t0 };
    if (!this.opts.defer) { this.start(); }
  }

  /* Create the drawing. With `defer`, the caller fills the page (the result list) first
   * and starts the drawing afterwards, so the list is not kept waiting by the canvas. */
  View.prototype.start = function () {
    if (this.network || this.destroyed) { return; }
    var t1 = performance.now();
    this.network = new vis.Network(this.canvasHolder,
      { nodes: this.nodes, edges: this.edges }, networkOptions(this.data));
    this.timings.network = performance.now() - t1;
    this.bind();
    this.settle();
    if (this.selected && this.nodes.get(this.selected)) { this.network.selectNodes([this.selected]); }
  };

  View.prototype.index = function (data) {
    var self = this;
    var added = 0;
    data.nodes.forEach(function (n) {
      if (self.nodeData[n.id]) { return; }
      self.nodeData[n.id] = n;
      added += 1;
      if (n.parent) { (self.children[n.parent] = self.children[n.parent] || []).push(n.id); }
    });
    data.edges.forEach(function (e) { if (!self.edgeData[e.id]) { self.edgeData[e.id] = e; } });
    return added;
  };

  /* Every parent starts folded, but for the parents of the highlighted node and the hits. */
  View.prototype.collapseAll = function (data) {
    var self = this;
    var keepOpen = {};
    (data.hits || []).concat(data.highlight ? [data.highlight] : []).forEach(function (id) {
      var n = self.nodeData[id];
      if (n && n.parent) { keepOpen[n.parent] = true; }
    });
    if (data.meta && data.meta.layout === 'outline') {
      Object.keys(this.children).forEach(function (p) { if (self.nodeData[p] && self.nodeData[p].type === 'Work') { keepOpen[p] = true; } });
    }
    Object.keys(this.children).forEach(function (p) { if (!keepOpen[p]) { self.collapsed[p] = true; } });
  };

  /* Where a node is drawn: itself, or its folded parent. */
  View.prototype.rep = function (id) {
    var n = this.nodeData[id];
    return n && n.parent && this.collapsed[n.parent] && this.nodeData[n.parent] ? n.parent : id;
  };

  View.prototype.passes = function (id) {
    return !this.filter || this.filter(this.nodeData[id]);
  };

  /* The nodes drawn now (after folding and filters), in data order. */
  View.prototype.visibleIds = function () {
    var self = this;
    return Object.keys(this.nodeData).filter(function (id) {
      return self.rep(id) === id && self.passes(id);
    });
  };

  /* The drawn edges: every edge between folded representatives, merged by type. */
  View.prototype.visibleEdges = function (shown) {
    var self = this;
    var merged = {};
    /* an outline shows a paper's structure by its layout: no lines needed for it */
    var outline = this.data.meta.layout === 'outline';
    Object.keys(this.edgeData).forEach(function (id) {
      var e = self.edgeData[id];
      if (outline && (e.type === 'HAS_SECTION' || e.type === 'PART_OF')) { return; }
      var a = self.rep(e.from);
      var b = self.rep(e.to);
      if (a === b || !shown[a] || !shown[b]) { return; }
      var key = a === e.from && b === e.to ? e.id : a + '\u001f' + e.type + '\u001f' + b;
      var m = merged[key];
      if (!m) { m = merged[key] = { id: key, from: a, to: b, type: e.type, count: 0, quotes: [], parts: [] }; }
      m.count += e.count;
      m.parts.push(e.id);
      if (m.quotes.length < 3) { m.quotes = m.quotes.concat(e.quotes || []).slice(0, 3); }
    });
    return Object.keys(merged).map(function (k) { return merged[k]; });
  };

  View.prototype.rebuild = function () {
    var self = this;
    var ids = this.visibleIds();
    var shown = {};
    ids.forEach(function (id) { shown[id] = true; });
    var edges = this.visibleEdges(shown);
    this.shownEdges = {};
    edges.forEach(function (e) { self.shownEdges[e.id] = e; });
    this.shown = shown;
    var large = ids.length > PHYSICS_MAX;
    var at = this.network ? this.network.getPositions() : {};
    var clusterOf = this.colourMode === 'cluster' ? clusters(ids, edges) : {};
    var colours = this.colourMode === 'type' ? null
      : colourBy(this.colourMode, ids.map(function (id) { return self.nodeData[id]; }), clusterOf);
    this.colours = colours;
    var vnodes = ids.map(function (id) { return self.visNode(self.nodeData[id], at[id], colours); });
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(vnodes);
    this.edges.add(edges.map(function (e) { return visEdge(e, self.data.styles, large); }));
    this.prioritise();
  };

  View.prototype.visNode = function (n, at, colours) {
    var styles = this.data.styles;
    var kids = this.collapsed[n.id] ? (this.children[n.id] || []).length : 0;
    var v = { id: n.id, group: n.unresolved ? 'unresolved' : n.type,
      size: kids ? Math.min(40, n.size + 3 * Math.sqrt(kids)) : n.size };
    var p = at || n;
    if (typeof p.x === 'number') { v.x = p.x; v.y = p.y; }
    if (colours) { v.color = colorSet(colours[n.id]); }
    if (n.highlight) {
      var st = styles.nodes[n.type] || { color: '#999999' };
      var fill = colours ? colours[n.id] : (n.unresolved ? styles.unresolved : st.color);
      v.borderWidth = 4;
      v.color = colorSet(fill, '#000000');
    }
    if (kids) { v.borderWidth = Math.max(v.borderWidth || 1, 2); v.shapeProperties = { borderDashes: false }; }
    return v;
  };

  /* Label order: the highlighted node, hits, then the biggest (most connected) first. */
  View.prototype.prioritise = function () {
    var self = this;
    var size = {};
    this.nodes.forEach(function (v) { size[v.id] = v.size; });
    var hits = {};
    (this.data.hits || []).forEach(function (id, i) { hits[id] = i + 1; });
    this.labelOrder = this.nodes.getIds().sort(function (a, b) {
      var na = self.nodeData[a];
      var nb = self.nodeData[b];
      var ka = na.highlight ? 0 : (hits[a] ? 1 : 2);
      var kb = nb.highlight ? 0 : (hits[b] ? 1 : 2);
      if (ka !== kb) { return ka - kb; }
      if (ka === 1) { return hits[a] - hits[b]; }
      return (size[b] - size[a]) || (a < b ? -1 : 1);
    });
  };

  View.prototype.sizeOf = function (id) {
    var v = this.nodes.get(id);
    return v ? v.size : 0;
  };

  View.prototype.labelText = function (id) {
    var n = this.nodeData[id];
    var kids = this.collapsed[id] ? (this.children[id] || []).length : 0;
    var text = n.label;
    if (n.parent && this.shown[n.parent]) {
      /* beside its instrument an article needs only its number: "Art. 34", "第三十四条" */
      var m = /^((?:Art\.|Article)\s*[\w-]+|第\S+条(?:之\S)?)/.exec(text);
      if (m) { text = m[1]; }
    }
    return text + (kids ? ' (+' + kids + ')' : '');
  };

  /* Run physics for a small drawing (from the server's positions), then freeze it. */
  View.prototype.settle = function () {
    if (!this.network) { return; }
    var small = this.nodes.length <= PHYSICS_MAX && this.data.meta.layout !== 'outline' &&
      !this.opts.fixed;
    this.physics = small;
    if (!small) { this.stable = true; return; }
    this.stable = false;
    this.network.setOptions({ physics: { enabled: true } });
    this.network.stabilize(this.nodes.length > 80 ? 80 : 150);
  };

  View.prototype.toggle = function (id) {
    if (!this.children[id]) { return false; }
    if (this.collapsed[id]) { delete this.collapsed[id]; } else { this.collapsed[id] = true; }
    this.rebuild();
    this.settle();
    return true;
  };

  View.prototype.setFilter = function (fn) {
    this.filter = fn;
    this.rebuild();
    this.settle();
  };

  View.prototype.setColour = function (mode) {
    this.colourMode = mode;
    this.rebuild();
  };

  /* Add a neighbourhood next to `anchor`: new nodes keep their layout shape around it. */
  View.prototype.merge = function (data, anchor) {
    var at = anchor && this.network.getPositions([anchor])[anchor];
    var origin = null;
    data.nodes.forEach(function (n) { if (n.id === anchor) { origin = n; } });
    if (at && origin) {
      data.nodes.forEach(function (n) {
        n.x = at.x + (n.x - origin.x) * 0.6;
        n.y = at.y + (n.y - origin.y) * 0.6;
      });
    }
    var added = this.index(data);
    if (anchor && this.collapsed[anchor]) { delete this.collapsed[anchor]; }
    this.rebuild();
    this.refreshLegend();
    if (added) { this.settle(); }
    return added;
  };

  /* Labels drawn on the canvas, culled so that none overlaps another: in priority order,
   * a label is drawn only where no earlier one is (a grid of screen cells). */
  View.prototype.drawLabels = function (ctx) {
    var net = this.network;
    var scale = net.getScale();
    var ratio = ctx.canvas.width / Math.max(1, ctx.canvas.clientWidth);
    var w = ctx.canvas.clientWidth;
    var h = ctx.canvas.clientHeight;
    var positions = net.getPositions(this.labelOrder);
    var grid = {};
    var cell = 40;
    var placed = [];
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = '12px ' + FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.fillStyle = '#222';
    var budget = 600;
    var beside = this.data.meta.layout === 'timeline';
    var forced = {};
    if (this.lit) { forced[this.lit] = true; }
    if (this.selected) { forced[this.selected] = true; }
    var order = Object.keys(forced).concat(this.labelOrder);
    var done = {};
    for (var i = 0; i < order.length && placed.length < budget; i++) {
      var id = order[i];
      if (done[id] || !positions[id] && !net.getPositions([id])[id]) { continue; }
      done[id] = true;
      var pos = positions[id] || net.getPositions([id])[id];
      var dom = net.canvasToDOM(pos);
      var r = (this.sizeOf(id) || 10) * scale;
      var y = dom.y + r + 2;
      var x = dom.x;
      if (dom.x < -100 || dom.x > w + 100 || y < -20 || y > h + 20) { continue; }
      var text = this.labelText(id);
      if (text.length > 40) { text = text.slice(0, 39) + '\u2026'; }
      var tw = ctx.measureText(text).width + 4;
      /* below the node, else above, right or left of it: the first free place wins */
      var spots = beside ? [[dom.x + r + 3 + tw / 2, dom.y - 7]]
        : [[x, y], [x, dom.y - r - 17], [dom.x + r + 3 + tw / 2, dom.y - 7],
          [dom.x - r - 3 - tw / 2, dom.y - 7]];
      var box = null;
      for (var k = 0; k < spots.length && !box; k++) {
        var b = [spots[k][0] - tw / 2, spots[k][1], spots[k][0] + tw / 2, spots[k][1] + 15];
        var inside = b[0] >= 0 && b[2] <= w && b[1] >= 0 && b[3] <= h;
        if (forced[id] || (inside && !collides(grid, b, cell))) { box = b; x = spots[k][0]; y = spots[k][1]; }
      }
      if (!box) { continue; }
      mark(grid, box, cell, placed.length);
      placed.push({ id: id, text: text, x: x, y: y, box: box });
      ctx.strokeText(text, x, y);
      ctx.fillText(text, x, y);
    }
    ctx.restore();
    this.placedLabels = placed;
    this.labelStats = { placed: placed.length, drawn: this.nodes.length };
  };

  function cells(box, cell) {
    var out = [];
    for (var cx = Math.floor(box[0] / cell); cx <= Math.floor(box[2] / cell); cx++) {
      for (var cy = Math.floor(box[1] / cell); cy <= Math.floor(box[3] / cell); cy++) { out.push(cx + ',' + cy); }
    }
    return out;
  }

  function collides(grid, box, cell) {
    return cells(box, cell).some(function (k) {
      return (grid[k] || []).some(function (b) {
        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
      });
    });
  }

  function mark(grid, box, cell) {
    cells(box, cell).forEach(function (k) { (grid[k] = grid[k] || []).push(box); });
  }

  /* A ring around the node a list row points at. */
  View.prototype.drawHalo = function (ctx) {
    if (!this.lit || !this.shown[this.lit]) { return; }
    var pos = this.network.getPositions([this.lit])[this.lit];
    if (!pos) { return; }
    ctx.save();
    ctx.beginPath();
    ctx.arc(pos.x, pos.y, (this.sizeOf(this.lit) || 10) + 8 / this.network.getScale(), 0, 2 * Math.PI);
    ctx.lineWidth = 4 / this.network.getScale();
    ctx.strokeStyle = '#d62728';
    ctx.stroke();
    ctx.restore();
  };

  /* The timeline's year lines and column names (in graph coordinates). */
  View.prototype.drawAxis = function (ctx) {
    var axis = this.data.meta.axis;
    if (!axis) { return; }
    var scale = this.network.getScale();
    var left = -axis.laneWidth * 0.25;
    var right = axis.laneWidth * (axis.lanes.length - 0.1);
    var step = Math.max(1, Math.ceil(18 / (axis.perYear * scale)));
    ctx.save();
    ctx.font = (11 / scale) + 'px ' + FONT;
    ctx.fillStyle = '#777';
    ctx.strokeStyle = '#ececec';
    ctx.lineWidth = 1 / scale;
    for (var y = axis.lo - (axis.lo % step); y <= axis.hi; y += step) {
      var py = (y - axis.lo) * axis.perYear;
      ctx.beginPath();
      ctx.moveTo(left + 40 / scale, py);
      ctx.lineTo(right, py);
      ctx.stroke();
      ctx.fillText(String(y), left, py + 4 / scale);
    }
    ctx.font = 'bold ' + (13 / scale) + 'px ' + FONT;
    ctx.fillStyle = '#444';
    axis.lanes.forEach(function (name, i) {
      ctx.fillText(name, i * axis.laneWidth - 10 / scale, -24 / scale);
    });
    ctx.restore();
  };

  View.prototype.light = function (id) {
    this.lit = id;
    if (this.network) { this.network.redraw(); }
  };
  /* After a merge: legend and counts describe what is drawn now. */
  View.prototype.refreshLegend = function () {
    var nodeCounts = {};
    var edgeCounts = {};
    var self = this;
    Object.keys(this.nodeData).forEach(function (id) {
      var n = self.nodeData[id];
      var key = n.unresolved ? 'unresolved' : n.type;
      nodeCounts[key] = (nodeCounts[key] || 0) + 1;
    });
    var relations = 0;
    Object.keys(this.edgeData).forEach(function (id) {
      var e = self.edgeData[id];
      edgeCounts[e.type] = (edgeCounts[e.type] || 0) + e.count;
      relations += e.count;
    });
    var order = Object.keys(this.data.styles.nodes).concat(['unresolved']);
    var legend = {
      nodes: order.filter(function (t) { return nodeCounts[t]; })
        .map(function (t) { return [t, nodeCounts[t]]; }),
      edges: Object.keys(this.data.styles.edges).filter(function (t) { return edgeCounts[t]; })
        .map(function (t) { return [t, edgeCounts[t]]; })
    };
    var data = { styles: this.data.styles, meta: this.data.meta, legend: legend };
    var holder = document.getElementById('cg-legend');
    if (holder) { renderLegend(holder, data); }
    var meta = document.getElementById('cg-meta');
    if (meta) {
      meta.textContent = this.nodes.length + ' nodes and ' + relations +
        ' edges drawn (expanded)';
    }
  };

  View.prototype.bind = function () {
    var self = this;
    var net = this.network;
    /* ready: first frame drawn; stable: positions no longer move (tests click then) */
    net.once('afterDrawing', function () {
      self.ready = true;
      window.__cgReady = { at: performance.now(), nodes: self.nodes.length };
    });
    net.on('beforeDrawing', function (ctx) {
      /* an opaque page, so that a PNG export is not transparent */
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      ctx.restore();
    });
    net.on('afterDrawing', function (ctx) {
      self.drawAxis(ctx);
      self.drawHalo(ctx);
      self.drawLabels(ctx);
    });
    net.on('stabilizationIterationsDone', function () {
      net.setOptions({ physics: { enabled: false } });
      self.stable = true;
      window.__cgStabilized = performance.now();
    });
    /* double-click folds or unfolds a node's parts (vis-network's own doubleClick event
     * loses the node when the first click re-selects it, so the DOM event is used) */
    this.canvasHolder.addEventListener('dblclick', function (ev) {
      var rect = self.canvasHolder.getBoundingClientRect();
      var id = net.getNodeAt({ x: ev.clientX - rect.left, y: ev.clientY - rect.top });
      if (id !== undefined && self.toggle(id) && self.opts.onToggle) { self.opts.onToggle(id, self); }
    });
    net.on('hoverNode', function (p) { self.showTip(self.nodeTip(p.node), p.pointer.DOM); });
    net.on('hoverEdge', function (p) { self.showTip(self.edgeTip(p.edge), p.pointer.DOM); });
    net.on('blurNode', function () { self.tooltip.hidden = true; });
    net.on('blurEdge', function () { self.tooltip.hidden = true; });
    net.on('dragStart', function () { self.tooltip.hidden = true; });
    net.on('click', function (p) {
      self.tooltip.hidden = true;
      if (p.nodes.length) {
        self.selected = p.nodes[0];
        if (self.opts.onSelectNode) { self.opts.onSelectNode(p.nodes[0], self); }
        else { self.showNodePanel(p.nodes[0]); }
      } else if (p.edges.length) {
        self.selected = null;
        if (self.opts.onSelectEdge) { self.opts.onSelectEdge(p.edges[0], self); }
        else { self.showEdgePanel(p.edges[0]); }
      }
    });
  };

  View.prototype.nodeTip = function (id) {
    var n = this.nodeData[id];
    var box = el('div');
    if (!n) { return box; }
    box.appendChild(el('div', 'cg-tip-title', n.facts[2][1]));
    box.appendChild(factsTable(n.facts.slice(0, 8)));
    return box;
  };

  View.prototype.edgeTip = function (id) {
    var e = this.edgeData[id] || this.shownEdges[id];
    var box = el('div');
    if (!e) { return box; }
    box.appendChild(el('div', 'cg-tip-title', e.type + (e.count > 1 ? ' \u00d7' + e.count : '')));
    box.appendChild(quoteList({ quotes: (e.quotes || []).slice(0, 1), count: e.count }));
    return box;
  };

  View.prototype.showTip = function (content, dom) {
    clear(this.tooltip);
    this.tooltip.appendChild(content);
    this.tooltip.hidden = false;
    var maxX = this.container.clientWidth - this.tooltip.offsetWidth - 4;
    this.tooltip.style.left = Math.max(0, Math.min(dom.x + 12, maxX)) + 'px';
    this.tooltip.style.top = Math.max(0, dom.y + 12) + 'px';
  };

  View.prototype.label = function (id) {
    var n = this.nodeData[id];
    return n ? n.facts[2][1] : id;
  };

  /* The side panel of the static export and view pages: facts and the edges with quotes. */
  View.prototype.showNodePanel = function (id) {
    var panel = document.getElementById('cg-panel');
    var n = this.nodeData[id];
    if (!panel || !n) { return; }
    clear(panel);
    panel.appendChild(el('h2', 'cg-node-label', n.facts[2][1]));
    panel.appendChild(factsTable(n.facts));
    var self = this;
    var rels = el('div', 'cg-rels');
    rels.appendChild(el('h3', null, 'Relationships in this view'));
    this.network.getConnectedEdges(id).forEach(function (edgeId) {
      var e = self.edgeData[edgeId] || self.shownEdges[edgeId];
      if (!e) { return; }
      var item = el('div', 'cg-rel');
      var head = e.from === id ? e.type + ' \u2192 ' + self.label(e.to)
        : '\u2190 ' + e.type + ' ' + self.label(e.from);
      item.appendChild(el('div', 'cg-rel-head', head));
      item.appendChild(quoteList(e));
      rels.appendChild(item);
    });
    panel.appendChild(rels);
  };

  View.prototype.showEdgePanel = function (id) {
    var panel = document.getElementById('cg-panel');
    var e = this.edgeData[id] || this.shownEdges[id];
    if (!panel || !e) { return; }
    clear(panel);
    panel.appendChild(el('h2', null, e.type));
    panel.appendChild(el('p', null, this.label(e.from) + ' \u2192 ' + this.label(e.to)));
    panel.appendChild(quoteList(e));
  };

  /* Page coordinates of a node's centre (tests click there). */
  View.prototype.pagePosition = function (id) {
    var pos = this.network.getPositions([id])[id];
    if (!pos) { return null; }
    var dom = this.network.canvasToDOM(pos);
    var rect = this.canvasHolder.getBoundingClientRect();
    return { x: rect.left + dom.x, y: rect.top + dom.y };
  };

  View.prototype.destroy = function () {
    this.destroyed = true;
    if (this.network) { this.network.destroy(); }
    clear(this.container);
  };

  function mount(container, data, opts) {
    clear(container);
    var view = new View(container, data, opts);
    window.cgView = view;
    var legend = document.getElementById('cg-legend');
    if (legend) { renderLegend(legend, data); }
    var meta = document.getElementById('cg-meta');
    if (meta) { meta.textContent = summary(data.meta); }
    return view;
  }

  window.CitegraphView = { mount: mount, el: el, clear: clear, factsTable: factsTable,
    summary: summary, renderLegend: renderLegend, quoteList: quoteList, FONT: FONT };

  function autoMount() {
    var holder = document.getElementById('cg-data');
    var container = document.getElementById('cg-graph');
    if (!holder || !container || container.getAttribute('data-manual') === 'true') { return; }
    var t0 = performance.now();
    var data = JSON.parse(holder.textContent);
    var view = mount(container, data);
    view.timings.parse = performance.now() - t0 - view.timings.data - view.timings.network;
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', autoMount);
  } else {
    autoMount();
  }
}());
