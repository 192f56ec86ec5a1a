/* citegraph explorer: the side panel, as prose.
 *
 * A node's substantive relationships come first, grouped as sentences ("Mentioned in",
 * "Interpreted by"); structure (an instrument's articles, a paper's sections) is folded.
 * Each relationship says where it was read: "Seed paper § 3.1.1, sentence: …". Text only.
 */
(function () {
  'use strict';

  var CV = window.CitegraphView;
  var el = CV.el;
  var clear = CV.clear;

  var VERBS = {
    MENTIONS: ['Mentions', 'Mentioned in'], CITES: ['Cites', 'Cited by'],
    REFERS_TO: ['Refers to', 'Referred to by'], SUPPLEMENTS: ['Supplements', 'Supplemented by'],
    AMENDS: ['Amends', 'Amended by'], IMPLEMENTS: ['Implements', 'Implemented by'],
    INTERPRETS: ['Interprets', 'Interpreted by'], SUPERSEDES: ['Supersedes', 'Superseded by'],
    RATIFIED: ['Ratified', 'Ratified by'], SIGNED: ['Signed', 'Signed by'],
    ENACTED: ['Enacted', 'Enacted by'], DEFINES: ['Defines', 'Defined in'],
    ADDRESSES: ['Addresses', 'Addressed in'], HAS_ARTICLE: ['Articles', 'Article of'],
    HAS_SECTION: ['Sections', 'Section of'], PART_OF: ['Part of', 'Subsections']
  };

  function verb(type, direction) {
    var pair = VERBS[type] || [type, type + ' (incoming)'];
    return direction === 'out' ? pair[0] : pair[1];
  }

  /* "art_3__para_1__item_c" -> "art. 3(1)(c)"; other locators (section numbers) as they are */
  function locator(text) {
    var m = /^art_([\w-]+?)(?:__para_(\w+))?(?:__item_(\w+))?$/.exec(text || '');
    if (!m) { return text; }
    return 'art. ' + m[1] + (m[2] ? '(' + m[2] + ')' : '') + (m[3] ? '(' + m[3] + ')' : '');
  }

  function source(r) {
    if (r.method === 'catalog' && (r.document === 'catalog' || !r.document_label)) {
      return 'The curated catalog' + (r.locator ? ' (entry ' + r.locator + ')' : '');
    }
    var text = r.document_label || r.document;
    if (r.locator) {
      var loc = locator(r.locator);
      text += loc === r.locator ? ' \u00a7 ' + loc : ', ' + loc;
    }
    if (r.confidence < 1) { text += ' (found by ' + r.method + ', confidence ' + r.confidence + ')'; }
    return text;
  }

  function relItem(r, actions) {
    var item = el('li', 'cg-rel');
    var other = el('a', 'cg-other', r.other.label);
    other.href = '#';
    other.title = r.other.id;
    other.addEventListener('click', function (ev) { ev.preventDefault(); actions.select(r.other.id); });
    item.appendChild(other);
    if (r.other.unresolved) { item.appendChild(el('span', 'cg-unres', ' (unresolved mention)')); }
    var where = el('div', 'cg-quote-source', source(r) + (r.quote ? ', sentence:' : ''));
    item.appendChild(where);
    if (r.quote) { item.appendChild(el('blockquote', null, r.quote)); }
    return item;
  }

  function groups(detail) {
    var out = [];
    var index = {};
    detail.relationships.forEach(function (r) {
      var key = r.type + ' ' + r.direction;
      if (!index[key]) { index[key] = { type: r.type, direction: r.direction, structure: r.structure, items: [] }; out.push(index[key]); }
      index[key].items.push(r);
    });
    var counts = {};
    (detail.summary || []).forEach(function (g) { counts[g.type + ' ' + g.direction] = g; });
    out.forEach(function (g) { g.total = counts[g.type + ' ' + g.direction]; });
    return out;
  }

  function groupBlock(g, actions) {
    var total = g.total ? g.total.count + (g.total.capped ? '+' : '') : g.items.length;
    var title = verb(g.type, g.direction) + ' (' + total + ')';
    var list = el('ul', 'cg-rel-list');
    g.items.forEach(function (r) { list.appendChild(relItem(r, actions)); });
    if (g.structure) {
      var details = el('details', 'cg-structure');
      details.appendChild(el('summary', null, title));
      details.appendChild(list);
      return details;
    }
    var box = el('section', 'cg-group');
    box.appendChild(el('h3', null, title));
    box.appendChild(list);
    return box;
  }

  function describe(node) {
    var bits = [node.type === 'Instrument' && node.unresolved ? 'Unresolved mention' : node.type];
    if (node.props.kind) { bits.push(String(node.props.kind).replace(/_/g, ' ')); }
    if (node.year) { bits.push(String(node.year)); }
    if (node.jurisdiction) { bits.push(node.jurisdiction); }
    return bits.join(' \u00b7 ');
  }

  var SHOWN = ['official_name', 'name_zh', 'aliases', 'authors', 'venue', 'adopted', 'in_force',
    'date', 'number', 'number_raw', 'notes', 'text', 'citation', 'doi', 'url'];

  function facts(node) {
    var rows = [];
    SHOWN.forEach(function (k) {
      var v = node.props[k];
      if (v === undefined || v === null || v === '') { return; }
      rows.push([k.replace(/_/g, ' '), Array.isArray(v) ? v.join('; ') : String(v)]);
    });
    var rest = Object.keys(node.props).filter(function (k) { return SHOWN.indexOf(k) < 0; }).sort();
    return { main: rows, rest: rest.map(function (k) {
      var v = node.props[k];
      return [k, Array.isArray(v) ? v.join(', ') : String(v)];
    }) };
  }

  function button(text, onClick) {
    var b = el('button', null, text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function actionsRow(node, actions) {
    var row = el('div', 'cg-actions');
    var depth = el('select', 'cg-depth');
    depth.setAttribute('aria-label', 'Depth');
    [1, 2, 3].forEach(function (d) {
      var o = el('option', null, 'depth ' + d);
      o.value = String(d);
      depth.appendChild(o);
    });
    row.appendChild(button('Ego network', function () { actions.open('ego', { id: node.id, depth: depth.value }); }));
    row.appendChild(depth);
    row.appendChild(button('Expand neighbourhood', function () { actions.expand(node.id); }));
    var kids = actions.children(node.id);
    if (kids) {
      row.appendChild(button((actions.folded(node.id) ? 'Show its ' : 'Fold its ') + kids +
        (node.type === 'Work' ? ' sections' : ' parts'), function () { actions.toggle(node.id); }));
    }
    if (node.type === 'Instrument' || node.type === 'Article') {
      row.appendChild(button('Influence trace', function () { actions.open('influence', { id: node.id }); }));
    }
    if (node.type === 'Work') {
      row.appendChild(button('Whole paper', function () { actions.open('paper', { id: node.id }); }));
    }
    row.appendChild(button('Path from here', function () { actions.pathFrom(node); }));
    var json = el('a', null, 'as JSON');
    json.href = '/viz/data/node?id=' + encodeURIComponent(node.id);
    row.appendChild(json);
    return row;
  }

  function render(panel, detail, actions) {
    var node = detail.node;
    clear(panel);
    panel.appendChild(el('h2', 'cg-node-label', node.label || node.id));
    panel.appendChild(el('p', 'cg-node-kind', describe(node)));
    var ident = el('p', 'cg-node-id');
    ident.appendChild(el('code', null, node.id));
    panel.appendChild(ident);
    panel.appendChild(actionsRow(node, actions));
    var f = facts(node);
    if (f.main.length) { panel.appendChild(CV.factsTable(f.main)); }
    var gs = groups(detail);
    gs.filter(function (g) { return !g.structure; }).forEach(function (g) { panel.appendChild(groupBlock(g, actions)); });
    gs.filter(function (g) { return g.structure; }).forEach(function (g) { panel.appendChild(groupBlock(g, actions)); });
    if (!gs.length) { panel.appendChild(el('p', 'cg-hint', 'No relationships.')); }
    if (detail.truncated) { panel.appendChild(el('p', 'cg-hint', 'More relationships exist than are listed.')); }
    if (f.rest.length) {
      var more = el('details', 'cg-props');
      more.appendChild(el('summary', null, 'All properties (' + f.rest.length + ' more)'));
      more.appendChild(CV.factsTable(f.rest));
      panel.appendChild(more);
    }
  }

  window.CGPanel = { render: render, verb: verb, source: source };
}());
