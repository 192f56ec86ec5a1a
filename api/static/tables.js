/* citegraph explorer: the timeline layout and the matrix and ranking tables.
 *
 * timeline(data) re-lays a view's data on a time axis: years down the page, one column
 * per kind (international instruments, national instruments, ratifications, signatures
 * and enactments as dated events, papers); undated things are left out and counted. matrix() and rankings() build tables with
 * textContent only; a click on a name selects it.
 */
(function () {
  'use strict';

  var CV = window.CitegraphView;
  var el = CV.el;
  var clear = CV.clear;
  /* years run down the page, one column per kind, labels to the right of each node */
  var PER_YEAR = 16;
  var LANE_WIDTH = 420;
  var LANES = ['International', 'National', 'Ratified, signed, enacted', 'Papers'];

  function laneOf(n) {
    if (n.type === 'Instrument') { return n.jurisdiction && n.jurisdiction.indexOf('org/') === 0 ? 0 : 1; }
    if (n.type === 'Work') { return 3; }
    return 3;
  }

  function yearOf(date) {
    var m = /^(\d{4})/.exec(date || '');
    return m ? parseInt(m[1], 10) : null;
  }

  /* Events: each dated RATIFIED / SIGNED / ENACTED edge becomes a node on its own date. */
  function events(data) {
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var out = [];
    data.edges.forEach(function (e) {
      if (!e.date || ['RATIFIED', 'SIGNED', 'ENACTED'].indexOf(e.type) < 0) { return; }
      var who = byId[e.from];
      var what = byId[e.to];
      if (!who || !what) { return; }
      var id = 'event:' + e.id;
      var verb = e.type === 'RATIFIED' ? ' ratifies ' : (e.type === 'SIGNED' ? ' signs ' : ' enacts ');
      out.push({ node: { id: id, label: who.label + verb + what.label + ' (' + e.date + ')', type: 'Jurisdiction',
        size: 6, year: yearOf(e.date), jurisdiction: who.jurisdiction, event: true, target: e.to,
        facts: [['type', 'event'], ['id', id], ['label', who.label + verb + what.label], ['date', e.date]] },
        edge: { id: id + '\u001fe', from: id, to: e.to, type: e.type, count: 1, quotes: e.quotes } });
    });
    return out;
  }

  /* Lay the view out on a time axis. Undated things are left out (the title says how
   * many); an instrument's articles stay folded into it and, unfolded, sit below it. */
  function timeline(data) {
    var evs = events(data);
    evs.forEach(function (ev) { data.nodes.push(ev.node); data.edges.push(ev.edge); });
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var dated = data.nodes.filter(function (n) { return n.year || (n.parent && byId[n.parent] && byId[n.parent].year); });
    var undated = data.nodes.length - dated.length;
    var years = dated.map(function (n) { return n.year; }).filter(function (y) { return y; });
    var lo = years.length ? Math.min.apply(null, years) : 2000;
    var hi = years.length ? Math.max.apply(null, years) : 2000;
    var slots = {};
    var kids = {};
    dated.forEach(function (n) {
      if (n.parent && byId[n.parent]) { return; }
      var l = n.event ? 2 : laneOf(n);
      var key = l + ':' + n.year;
      var k = slots[key] = (slots[key] || 0) + 1;
      n.x = l * LANE_WIDTH;
      n.y = (n.year - lo) * PER_YEAR + (k - 1) * 13;
    });
    dated.forEach(function (n) {
      if (!n.parent || !byId[n.parent]) { return; }
      var p = byId[n.parent];
      var k = kids[p.id] = (kids[p.id] || 0) + 1;
      n.x = p.x + 30 + ((k - 1) % 10) * 14;
      n.y = p.y + 14 + Math.floor((k - 1) / 10) * 14;
    });
    var keep = {};
    dated.forEach(function (n) { keep[n.id] = true; });
    data.nodes = dated;
    data.edges = data.edges.filter(function (e) { return keep[e.from] && keep[e.to]; });
    data.meta.layout = 'timeline';
    data.meta.undated = undated;
    data.meta.axis = { lo: lo, hi: hi, perYear: PER_YEAR, laneWidth: LANE_WIDTH, lanes: LANES };
    return data;
  }

  function nameLink(node, onSelect) {
    var a = el('a', 'cg-other', node.label || node.id);
    a.href = '#';
    a.title = node.id;
    a.addEventListener('click', function (ev) { ev.preventDefault(); onSelect(node.id); });
    return a;
  }

  function matrix(holder, m, onSelect) {
    clear(holder);
    holder.appendChild(el('p', 'cg-hint', 'Which jurisdiction\u2019s binding instruments (ratified, enacted or its own) address which concept. Each cell lists the instruments and, as evidence, the articles; a click opens one.'));
    var table = el('table', 'cg-matrix');
    var head = el('tr');
    head.appendChild(el('th', null, 'Jurisdiction \\ concept'));
    m.concepts.forEach(function (c) { head.appendChild(el('th', null, c.label)); });
    table.appendChild(head);
    var cells = {};
    m.cells.forEach(function (c) { cells[c.jurisdiction + '|' + c.concept] = c; });
    m.jurisdictions.forEach(function (j) {
      var tr = el('tr');
      var th = el('th');
      th.appendChild(nameLink(j, onSelect));
      tr.appendChild(th);
      m.concepts.forEach(function (c) {
        var cell = cells[j.id + '|' + c.id];
        var td = el('td', cell ? 'cg-cell-on' : 'cg-cell-off');
        if (cell) {
          td.appendChild(el('div', 'cg-cell-count', cell.instruments.length + ' instr., ' + cell.evidence.length + ' art.'));
          cell.evidence.slice(0, 4).forEach(function (id) {
            td.appendChild(nameLink({ id: id, label: shortArticle(id) }, onSelect));
            td.appendChild(document.createTextNode(' '));
          });
        }
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    holder.appendChild(table);
  }

  function shortArticle(id) {
    var m = /\/([^/#]+)#art_([\w-]+)/.exec(id);
    return m ? m[1] + ' art. ' + m[2].replace(/__/g, ' ').replace(/_/g, ' ') : id;
  }

  function rankTable(title, rows, onSelect, scoreName) {
    var box = el('section', 'cg-rank-table');
    box.appendChild(el('h3', null, title));
    var table = el('table', 'cg-rows');
    var head = el('tr');
    ['#', 'Name', 'Type', scoreName].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    rows.forEach(function (r, i) {
      var tr = el('tr');
      tr.appendChild(el('td', null, String(i + 1)));
      var td = el('td');
      r.nodes.forEach(function (n, k) {
        if (k) { td.appendChild(document.createTextNode(' + ')); }
        td.appendChild(nameLink(n, onSelect));
      });
      tr.appendChild(td);
      tr.appendChild(el('td', null, r.nodes[0].type));
      tr.appendChild(el('td', null, r.score));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  function rankings(holder, res, onSelect) {
    clear(holder);
    var pr = res[0].items.map(function (r) { return { nodes: [r.node], score: r.score.toFixed(4) }; });
    var deg = res[1].items.map(function (r) { return { nodes: [r.node], score: String(r.in_degree) }; });
    var co = res[2].items.map(function (p) { return { nodes: [p.a, p.b], score: String(p.weight) }; });
    var cm = res[3].items.map(function (p) { return { nodes: [p.a, p.b], score: String(p.weight) }; });
    var grid = el('div', 'cg-rank-grid');
    grid.appendChild(rankTable('PageRank (citations and mentions)', pr, onSelect, 'PageRank'));
    grid.appendChild(rankTable('Most cited or mentioned (in-degree)', deg, onSelect, 'in-degree'));
    grid.appendChild(rankTable('Co-citation (works cited together)', co, onSelect, 'citing works'));
    grid.appendChild(rankTable('Co-mention (instruments in the same section)', cm, onSelect, 'sections'));
    holder.appendChild(grid);
  }

  window.CGTables = { timeline: timeline, matrix: matrix, rankings: rankings };
}());
