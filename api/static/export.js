/* citegraph explorer: export of the drawn view.
 *
 * PNG: the canvas as drawn (labels included). SVG: the drawn nodes, edges and the labels
 * that are shown, as vector shapes. CSV and GraphML: the drawn nodes and edges (after
 * folding and filters). Files are built in the page and saved through a download link;
 * nothing is sent anywhere. Labels are escaped as XML text, never markup.
 */
(function () {
  'use strict';

  function save(name, blob) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function xml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c];
    }).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  }

  function csvCell(value) {
    var s = value === undefined || value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }  /* no formulas when opened in a spreadsheet */
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function drawn(view) {
    var nodes = view.nodes.getIds().map(function (id) { return view.nodeData[id]; });
    var edges = Object.keys(view.shownEdges).map(function (k) { return view.shownEdges[k]; });
    return { nodes: nodes, edges: edges };
  }

  function csv(view) {
    var d = drawn(view);
    var lines = [['id', 'label', 'type', 'year', 'jurisdiction', 'unresolved', 'folded_parts'].join(',')];
    d.nodes.forEach(function (n) {
      lines.push([n.id, n.label, n.type, n.year, n.jurisdiction, n.unresolved ? 'yes' : '',
        view.collapsed[n.id] ? (view.children[n.id] || []).length : ''].map(csvCell).join(','));
    });
    lines.push('');
    lines.push(['source', 'type', 'target', 'relationships'].join(','));
    d.edges.forEach(function (e) { lines.push([e.from, e.type, e.to, e.count].map(csvCell).join(',')); });
    return lines.join('\r\n') + '\r\n';
  }

  function graphml(view) {
    var d = drawn(view);
    var out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
      '<key id="label" for="node" attr.name="label" attr.type="string"/>',
      '<key id="type" for="node" attr.name="type" attr.type="string"/>',
      '<key id="year" for="node" attr.name="year" attr.type="int"/>',
      '<key id="jurisdiction" for="node" attr.name="jurisdiction" attr.type="string"/>',
      '<key id="rel" for="edge" attr.name="type" attr.type="string"/>',
      '<key id="count" for="edge" attr.name="count" attr.type="int"/>',
      '<graph id="view" edgedefault="directed">'];
    d.nodes.forEach(function (n) {
      out.push('<node id="' + xml(n.id) + '"><data key="label">' + xml(n.label) + '</data>' +
        '<data key="type">' + xml(n.type) + '</data>' +
        (n.year ? '<data key="year">' + n.year + '</data>' : '') +
        (n.jurisdiction ? '<data key="jurisdiction">' + xml(n.jurisdiction) + '</data>' : '') + '</node>');
    });
    d.edges.forEach(function (e, i) {
      out.push('<edge id="e' + i + '" source="' + xml(e.from) + '" target="' + xml(e.to) + '">' +
        '<data key="rel">' + xml(e.type) + '</data><data key="count">' + e.count + '</data></edge>');
    });
    out.push('</graph>', '</graphml>');
    return out.join('\n') + '\n';
  }

  function colourOf(view, id) {
    var v = view.nodes.get(id);
    if (v && v.color && v.color.background) { return v.color.background; }
    var n = view.nodeData[id];
    var styles = view.data.styles;
    return n.unresolved ? styles.unresolved : (styles.nodes[n.type] || { color: '#999' }).color;
  }

  /* The view as the screen shows it: node discs, edge lines and the shown labels. */
  function svg(view) {
    var net = view.network;
    var w = view.canvasHolder.clientWidth;
    var h = view.canvasHolder.clientHeight;
    var ids = view.nodes.getIds();
    var pos = net.getPositions(ids);
    var dom = {};
    ids.forEach(function (id) { dom[id] = net.canvasToDOM(pos[id]); });
    var scale = net.getScale();
    var out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + ' ' + h + '">',
      '<rect width="100%" height="100%" fill="#ffffff"/>', '<g stroke-opacity="0.7">'];
    Object.keys(view.shownEdges).forEach(function (k) {
      var e = view.shownEdges[k];
      var a = dom[e.from];
      var b = dom[e.to];
      if (!a || !b) { return; }
      var st = view.data.styles.edges[e.type] || { color: '#999', width: 1 };
      out.push('<line x1="' + a.x.toFixed(1) + '" y1="' + a.y.toFixed(1) + '" x2="' + b.x.toFixed(1) +
        '" y2="' + b.y.toFixed(1) + '" stroke="' + xml(st.color) + '" stroke-width="' + st.width + '"/>');
    });
    out.push('</g><g stroke="#555555">');
    ids.forEach(function (id) {
      var p = dom[id];
      out.push('<circle cx="' + p.x.toFixed(1) + '" cy="' + p.y.toFixed(1) + '" r="' +
        Math.max(2, view.sizeOf(id) * scale).toFixed(1) + '" fill="' + xml(colourOf(view, id)) + '"/>');
    });
    out.push('</g><g font-family="' + xml(window.CitegraphView.FONT) + '" font-size="12" text-anchor="middle" fill="#222">');
    (view.placedLabels || []).forEach(function (l) {
      out.push('<text x="' + l.x.toFixed(1) + '" y="' + (l.y + 11).toFixed(1) + '">' + xml(l.text) + '</text>');
    });
    out.push('</g></svg>');
    return out.join('\n') + '\n';
  }

  function png(view, done) {
    var canvas = view.canvasHolder.querySelector('canvas');
    canvas.toBlob(function (blob) { done(blob); }, 'image/png');
  }

  function bind(getView) {
    var menu = document.getElementById('cg-export');
    if (!menu) { return; }
    menu.addEventListener('change', function () {
      var kind = menu.value;
      menu.value = '';
      var view = getView();
      if (!view || !kind) { return; }
      if (kind === 'png') { png(view, function (b) { save('citegraph-view.png', b); }); }
      if (kind === 'svg') { save('citegraph-view.svg', new Blob([svg(view)], { type: 'image/svg+xml' })); }
      if (kind === 'csv') { save('citegraph-view.csv', new Blob([csv(view)], { type: 'text/csv' })); }
      if (kind === 'graphml') { save('citegraph-view.graphml', new Blob([graphml(view)], { type: 'application/xml' })); }
    });
  }

  window.CGExport = { bind: bind, csv: csv, graphml: graphml, svg: svg };
}());
