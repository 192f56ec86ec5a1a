/* citegraph explorer: search, filter, draw, and inspect a node's provenance.
 *
 * Fetches views from /viz/data/* and node details from /viz/data/node, draws them with
 * graphview.js, and builds the side panel with textContent only: every label, property
 * and quote comes from ingested documents.
 */
(function () {
  'use strict';

  var CV = window.CitegraphView;
  var el = CV.el;
  var clear = CV.clear;
  var state = { view: null, current: null };

  function query(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      if (Array.isArray(value)) {
        value.forEach(function (v) { q.append(key, v); });
      } else if (value !== undefined && value !== null && value !== '') {
        q.append(key, String(value));
      }
    });
    return q.toString();
  }

  function setStatus(text, isError) {
    var s = document.getElementById('cg-status');
    s.textContent = text || '';
    s.className = isError ? 'cg-error' : '';
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (!r.ok) {
          var msg = body && body.error ? body.error.message :
            (body && body.detail ? JSON.stringify(body.detail) : 'HTTP ' + r.status);
          throw new Error(msg);
        }
        return body;
      });
    });
  }

  function formParams() {
    var types = [];
    document.querySelectorAll('#cg-search input[name=types]:checked').forEach(function (b) {
      types.push(b.value);
    });
    return {
      q: document.getElementById('cg-q').value.trim(),
      types: types,
      year_min: document.getElementById('cg-year-min').value,
      year_max: document.getElementById('cg-year-max').value,
      size: document.getElementById('cg-size').value
    };
  }

  function fillForm(params) {
    document.getElementById('cg-q').value = params.get('q') || '';
    var types = params.getAll('types');
    document.querySelectorAll('#cg-search input[name=types]').forEach(function (b) {
      b.checked = types.indexOf(b.value) >= 0;
    });
    document.getElementById('cg-year-min').value = params.get('year_min') || '';
    document.getElementById('cg-year-max').value = params.get('year_max') || '';
    if (params.get('size')) { document.getElementById('cg-size').value = params.get('size'); }
  }

  function setLinks(kind, params) {
    var qs = query(params);
    document.getElementById('cg-json-link').href = '/viz/data/' + kind + '?' + qs;
    document.getElementById('cg-page-link').href = '/viz/' + kind + '?' + qs;
  }

  /* Load one view (ego, path, influence, search, paper) and draw it. */
  function load(kind, params) {
    setStatus('Loading\u2026');
    return fetchJson('/viz/data/' + kind + '?' + query(params)).then(function (data) {
      show(data);
      state.current = { kind: kind, params: params };
      setLinks(kind, params);
      setStatus(data.nodes.length ? '' : 'Nothing found.');
      if (data.highlight) { select(data.highlight); }
    }).catch(function (err) { setStatus(err.message, true); });
  }

  function show(data) {
    if (state.view) { state.view.destroy(); }
    var container = document.getElementById('cg-graph');
    state.view = CV.mount(container, data, { onSelectNode: function (id) { select(id); } });
    document.getElementById('cg-title').textContent = data.title;
  }

  function expand(id) {
    setStatus('Expanding\u2026');
    return fetchJson('/viz/data/ego?' + query({ id: id, depth: 1 })).then(function (data) {
      var added = state.view.merge(data, id);
      setStatus(added + ' node(s) added.');
    }).catch(function (err) { setStatus(err.message, true); });
  }

  function link(text, href) {
    var a = el('a', null, text);
    a.href = href;
    return a;
  }

  function button(text, onClick) {
    var b = el('button', null, text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  /* Show a node's properties and provenance in the side panel. */
  function select(id) {
    state.selected = id;
    if (state.view) {
      state.view.selected = id;
      if (state.view.nodes.get(id)) { state.view.network.selectNodes([id]); }
    }
    return fetchJson('/viz/data/node?' + query({ id: id })).then(function (detail) {
      if (state.selected === id) { renderPanel(detail); }
    }).catch(function (err) { setStatus(err.message, true); });
  }

  function renderPanel(detail) {
    var panel = document.getElementById('cg-panel');
    var node = detail.node;
    clear(panel);
    panel.appendChild(el('h2', 'cg-node-label', node.label || node.id));
    var ident = el('p', 'cg-node-id');
    ident.appendChild(el('span', 'cg-node-type', node.type));
    ident.appendChild(document.createTextNode(' '));
    ident.appendChild(el('code', null, node.id));
    panel.appendChild(ident);

    var actions = el('div', 'cg-actions');
    actions.appendChild(button('Expand neighbourhood', function () { expand(node.id); }));
    var depth = el('select', 'cg-depth');
    [1, 2, 3].forEach(function (d) {
      var o = el('option', null, 'depth ' + d);
      o.value = String(d);
      depth.appendChild(o);
    });
    var egoPage = link('Ego network', '');
    var egoJson = link('as JSON', '');
    function updateEgo() {
      var qs = query({ id: node.id, depth: depth.value });
      egoPage.href = '/viz/ego?' + qs;
      egoJson.href = '/viz/data/ego?' + qs;
    }
    depth.addEventListener('change', updateEgo);
    updateEgo();
    var ego = el('div', 'cg-action-row');
    ego.appendChild(egoPage);
    ego.appendChild(depth);
    ego.appendChild(egoJson);
    actions.appendChild(ego);
    var more = el('div', 'cg-action-row');
    if (node.type === 'Instrument' || node.type === 'Article') {
      more.appendChild(link('Influence trace', '/viz/influence?' + query({ id: node.id })));
    }
    if (node.type === 'Work') {
      more.appendChild(link('Whole paper', '/viz/paper?' + query({ id: node.id })));
    }
    more.appendChild(link('Node as JSON', '/viz/data/node?' + query({ id: node.id })));
    more.appendChild(button('Path from here', function () {
      document.getElementById('cg-path-source').value = node.id;
      document.getElementById('cg-path-target').focus();
    }));
    actions.appendChild(more);
    panel.appendChild(actions);

    panel.appendChild(el('h3', null, 'Properties'));
    var facts = Object.keys(node.props).sort().map(function (k) {
      var v = node.props[k];
      return [k, Array.isArray(v) ? v.join(', ') : String(v)];
    });
    panel.appendChild(facts.length ? CV.factsTable(facts) : el('p', 'cg-hint', 'none'));

    if (detail.summary && detail.summary.length) {
      panel.appendChild(el('h3', null, 'Relationships by type'));
      panel.appendChild(CV.factsTable(detail.summary.map(function (g) {
        return [(g.direction === 'out' ? g.type + ' \u2192' : '\u2190 ' + g.type),
                String(g.count) + (g.capped ? '+' : '')];
      })));
    }
    panel.appendChild(el('h3', null, 'Relationships and provenance (' +
      detail.relationships.length + (detail.truncated ? '+' : '') + ')'));
    var list = el('div', 'cg-rels');
    detail.relationships.forEach(function (r) {
      var item = el('div', 'cg-rel');
      var head = el('div', 'cg-rel-head');
      head.appendChild(document.createTextNode(
        (r.direction === 'out' ? r.type + ' \u2192 ' : '\u2190 ' + r.type + ' ')));
      var other = el('a', 'cg-other', r.other.label);
      other.href = '#';
      other.title = r.other.id;
      other.addEventListener('click', function (ev) { ev.preventDefault(); select(r.other.id); });
      head.appendChild(other);
      item.appendChild(head);
      var where = r.document + (r.locator ? ' \u00a7 ' + r.locator : '') +
        ' (' + r.method + ', ' + r.confidence + ')';
      item.appendChild(el('div', 'cg-quote-source', where));
      if (r.quote) { item.appendChild(el('blockquote', null, r.quote)); }
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  function search(params) {
    history.replaceState(null, '', '/?' + query(params));
    return load('search', params);
  }

  document.getElementById('cg-search').addEventListener('submit', function (ev) {
    ev.preventDefault();
    search(formParams());
  });

  document.getElementById('cg-path').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var source = document.getElementById('cg-path-source').value.trim();
    var target = document.getElementById('cg-path-target').value.trim();
    if (source && target) { load('path', { source: source, target: target }); }
  });

  window.cgExplorer = {
    search: search, load: load, select: select, expand: expand,
    get view() { return state.view; }
  };

  var initial = new URLSearchParams(window.location.search);
  fillForm(initial);
  search(formParams());
}());
