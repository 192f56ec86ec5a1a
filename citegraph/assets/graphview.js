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
    var note = 'Node size: ' + data.meta.sized_by + '. Dashed border: unresolved mention.';
    if (!data.meta.physics) {
      note += ' Large view: laid out on the server, edges drawn without arrowheads or ' +
        'dashes (select a node for directions and quotes).';
    }
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
      groups[type] = { shape: st.shape, color: { background: st.color, border: '#555555',
        highlight: { background: st.color, border: '#000000' },
        hover: { background: st.color, border: '#000000' } } };
    });
    groups.unresolved = { shape: styles.nodes.Instrument.shape,
      shapeProperties: { borderDashes: [4, 3] },
      color: { background: styles.unresolved, border: '#555555',
        highlight: { background: styles.unresolved, border: '#000000' },
        hover: { background: styles.unresolved, border: '#000000' } } };
    return groups;
  }

  function visNode(n, styles) {
    var v = { id: n.id, label: n.label, group: n.unresolved ? 'unresolved' : n.type,
      size: n.size };
    if (typeof n.x === 'number') { v.x = n.x; v.y = n.y; }
    if (n.highlight) {
      /* a node's own colour replaces its group's whole colour: give all of it */
      var st = styles.nodes[n.type] || { color: '#999999' };
      var fill = n.unresolved ? styles.unresolved : st.color;
      v.borderWidth = 4;
      v.color = { background: fill, border: '#000000',
        highlight: { background: fill, border: '#000000' },
        hover: { background: fill, border: '#000000' } };
    }
    return v;
  }

  /* Large views draw plain lines: dashes and arrowheads cost vis-network most of its
   * drawing time (measured: 10,000 dashed edges with arrows 3 s per frame, plain 0.15 s). */
  function visEdge(e, styles, large) {
    var st = styles.edges[e.type] || { color: '#999999', width: 1, dashes: false };
    var v = { id: e.id, from: e.from, to: e.to,
      width: st.width + Math.min(3, Math.log(e.count)),
      color: { color: st.color, highlight: '#000000', hover: '#000000' } };
    if (!large && st.dashes) { v.dashes = true; }
    return v;
  }

  function networkOptions(data) {
    var physics = data.meta.physics;
    return {
      autoResize: true,
      groups: visGroups(data.styles),
      layout: { improvedLayout: false },
      physics: physics ? {
        enabled: true, solver: 'barnesHut',
        barnesHut: { gravitationalConstant: -4000, springLength: 150, avoidOverlap: 0.3 },
        stabilization: { enabled: true, iterations: data.nodes.length > 100 ? 100 : 200, fit: true }
      } : { enabled: false },
      edges: { smooth: physics ? { type: 'continuous' } : false, selectionWidth: 2,
        arrows: { to: { enabled: physics, scaleFactor: 0.5 } } },
      nodes: { font: { size: 14, face: 'sans-serif' }, borderWidth: 1, borderWidthSelected: 4 },
      interaction: {
        hover: true, tooltipDelay: 200, multiselect: false,
        hideEdgesOnDrag: !physics, hideEdgesOnZoom: !physics
      }
    };
  }

  /* A mounted view: the network, its data sets, the tooltip and the side panel. */
  function View(container, data, opts) {
    this.container = container;
    this.opts = opts || {};
    this.nodeData = {};
    this.edgeData = {};
    this.data = data;
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
    this.add(data);
    var t1 = performance.now();
    this.network = new vis.Network(this.canvasHolder,
      { nodes: this.nodes, edges: this.edges }, networkOptions(data));
    this.timings = { data: t1 - t0, network: performance.now() - t1 };
    this.bind();
  }

  View.prototype.add = function (data) {
    var styles = data.styles;
    var self = this;
    var newNodes = [];
    var newEdges = [];
    data.nodes.forEach(function (n) {
      if (!self.nodeData[n.id]) { self.nodeData[n.id] = n; newNodes.push(visNode(n, styles)); }
    });
    data.edges.forEach(function (e) {
      if (!self.edgeData[e.id]) {
        self.edgeData[e.id] = e;
        newEdges.push(visEdge(e, styles, !self.data.meta.physics));
      }
    });
    this.nodes.add(newNodes);
    this.edges.add(newEdges);
    return newNodes.length;
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
    var added = this.add(data);
    this.refreshLegend();
    if (added && this.nodes.length <= 300) {
      this.stable = false;
      this.network.setOptions({ physics: { enabled: true } });
      this.network.stabilize(120);
    }
    return added;
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
      if (!self.data.meta.physics) { self.stable = true; }
      window.__cgReady = { at: performance.now(), nodes: self.nodes.length };
    });
    net.on('stabilizationIterationsDone', function () {
      net.setOptions({ physics: { enabled: false } });
      self.stable = true;
      window.__cgStabilized = performance.now();
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
    var e = this.edgeData[id];
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
      var e = self.edgeData[edgeId];
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
    var e = this.edgeData[id];
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
    this.network.destroy();
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
    summary: summary, renderLegend: renderLegend };

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
