/* citegraph explorer: one page whose state lives in its URL.
 *
 * The URL holds the view (overview, search, ego, path, influence, paper), the view's
 * parameters, the selected node, the filters and the colouring; every change of view or
 * selection is a history entry, so Back and Forward walk them and a link reproduces the
 * view. Views come from /viz/data/*, node details from /viz/data/node, names from
 * /viz/data/suggest. Every string from the store goes into the page with textContent.
 */
(function () {
  'use strict';

  var CV = window.CitegraphView;
  var el = CV.el;
  var clear = CV.clear;
  var VIEWS = ['overview', 'search', 'ego', 'path', 'influence', 'paper', 'timeline',
    'matrix', 'rankings'];
  var GRAPH_VIEWS = { overview: 1, search: 1, ego: 1, path: 1, influence: 1, paper: 1 };
  var VIEW_KEYS = { overview: [], search: ['q', 'types', 'year_min', 'year_max'],
    ego: ['id', 'depth'], path: ['source', 'target'], influence: ['id', 'hops'],
    paper: ['id'] };
  var COLOURS = ['type', 'year', 'jurisdiction', 'cluster'];
  var state = { view: null, key: null, data: null, sel: null, loading: 0 };

  function $(id) { return document.getElementById(id); }

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
    var s = $('cg-status');
    s.textContent = text || '';
    s.className = isError ? 'cg-error' : '';
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (!r.ok) {
          var msg = body && body.error ? body.error.message : 'HTTP ' + r.status;
          if (body && body.error && body.error.detail && body.error.detail.length) {
            msg += ': ' + body.error.detail.map(function (d) {
              return (d.loc ? d.loc[d.loc.length - 1] + ' ' : '') + d.msg;
            }).join('; ');
          }
          throw new Error(msg);
        }
        return body;
      });
    });
  }

  // -- state <-> URL -------------------------------------------------------------------
  /* The state a URL describes; throws on a malformed one (the page says why). */
  function parseState(search) {
    var p = new URLSearchParams(search);
    var view = p.get('view') || (p.get('q') ? 'search' : 'overview');
    if (VIEWS.indexOf(view) < 0) { throw new Error('unknown view "' + view + '" in the address'); }
    var st = { view: view, params: {}, sel: p.get('sel') || null,
      colour: p.get('colour') || 'type', types: p.getAll('types'),
      ymin: p.get('year_min') || '', ymax: p.get('year_max') || '',
      undated: p.get('undated') !== '0', jur: p.get('jur') || '',
      unresolved: p.get('unresolved') === '1', base: p.get('base') || '' };
    if (COLOURS.indexOf(st.colour) < 0) { throw new Error('unknown colouring "' + st.colour + '"'); }
    ['ymin', 'ymax'].forEach(function (k) {
      if (st[k] && !/^\d{1,4}$/.test(st[k])) { throw new Error('the year "' + st[k] + '" is not a year'); }
    });
    (VIEW_KEYS[view] || []).forEach(function (k) {
      if (k === 'types') { st.params.types = st.types; } else if (p.get(k)) { st.params[k] = p.get(k); }
    });
    if (view === 'search' && p.get('q')) { st.params.q = p.get('q'); }
    ['id', 'source', 'target'].forEach(function (k) {
      if ((VIEW_KEYS[view] || []).indexOf(k) >= 0 && !st.params[k]) {
        throw new Error('the ' + view + ' view needs "' + k + '" in the address');
      }
    });
    if (st.params.depth && !/^[123]$/.test(st.params.depth)) {
      throw new Error('depth must be 1, 2 or 3, not "' + st.params.depth + '"');
    }
    return st;
  }

  function stateUrl(st) {
    var p = { view: st.view === 'overview' && !st.sel ? '' : st.view };
    Object.keys(st.params).forEach(function (k) { if (k !== 'types') { p[k] = st.params[k]; } });
    p.types = st.types;
    p.year_min = st.ymin;
    p.year_max = st.ymax;
    p.undated = st.undated ? '' : '0';
    p.jur = st.jur;
    p.unresolved = st.unresolved ? '1' : '';
    p.colour = st.colour === 'type' ? '' : st.colour;
    p.sel = st.sel || '';
    p.base = st.base || '';
    var qs = query(p);
    return '/' + (qs ? '?' + qs : '');
  }

  function current() {
    return { view: state.view, params: state.params || {}, sel: state.sel,
      colour: $('cg-colour').value, types: checkedTypes(), ymin: $('cg-year-min').value,
      ymax: $('cg-year-max').value, undated: $('cg-undated').checked,
      jur: $('cg-jur').value, unresolved: $('cg-unresolved').checked, base: state.base || '' };
  }

  function checkedTypes() {
    var types = [];
    document.querySelectorAll('#cg-filters input[name=types]:checked').forEach(function (b) {
      types.push(b.value);
    });
    return types;
  }

  function fillControls(st) {
    document.querySelectorAll('#cg-filters input[name=types]').forEach(function (b) {
      b.checked = st.types.indexOf(b.value) >= 0;
    });
    $('cg-year-min').value = st.ymin;
    $('cg-year-max').value = st.ymax;
    $('cg-undated').checked = st.undated;
    $('cg-unresolved').checked = st.unresolved;
    $('cg-colour').value = st.colour;
    state.pendingJur = st.jur;
    setJurOptions(state.data, st.jur);
    if (st.view === 'search') { $('cg-q').value = st.params.q || ''; }
    if (st.view === 'path') {
      $('cg-path-source').value = st.params.source || '';
      $('cg-path-target').value = st.params.target || '';
    }
    document.querySelectorAll('.cg-tab').forEach(function (t) {
      t.setAttribute('aria-current', t.getAttribute('data-view') === tabOf(st.view) ? 'page' : 'false');
    });
  }

  function tabOf(view) { return GRAPH_VIEWS[view] ? 'graph' : view; }

  /* Go to a state: push a history entry (or replace the current one), then show it. */
  function go(st, replace) {
    var url = stateUrl(st);
    if (replace) { history.replaceState(null, '', url); } else if (url !== location.pathname + location.search) {
      history.pushState(null, '', url);
    }
    return apply(st);
  }

  function apply(st) {
    fillControls(st);
    var key = st.view + '?' + query(st.params);
    state.params = st.params;
    state.base = st.base;
    if (key === state.key && state.data) {
      refilter();
      return select(st.sel, true);
    }
    state.view = st.view;
    state.key = key;
    if (st.view === 'timeline') { return showTimeline(st); }
    if (st.view === 'matrix') { return showMatrix(st); }
    if (st.view === 'rankings') { return showRankings(st); }
    return loadGraph(st);
  }

  // -- graph views -----------------------------------------------------------------------
  function loadGraph(st) {
    var token = ++state.loading;
    setStatus('Loading\u2026');
    /* the old drawing stops moving at once: its physics must not hold up the new answer */
    if (state.graph && state.graph.network) { state.graph.network.stopSimulation(); }
    showPane('graph');
    var params = Object.assign({}, st.params);
    return fetchJson('/viz/data/' + st.view + '?' + query(params)).then(function (data) {
      window.__cgFetched = performance.now();  /* read by benchmarks/bench_explorer.py */
      if (token !== state.loading) { return; }
      draw(data, st);
      setStatus(data.nodes.length ? '' : 'Nothing found.');
      return select(st.sel || data.highlight, true);
    }).catch(function (err) {
      if (token !== state.loading) { return; }
      fail(err.message);
    });
  }

  /* A view that cannot be shown: say so, and leave nothing that looks like an answer. */
  function fail(message) {
    if (state.graph) { state.graph.destroy(); state.graph = null; window.cgView = null; }
    state.data = null;
    state.key = null;
    clear($('cg-list'));
    $('cg-title').textContent = 'No view';
    $('cg-meta').textContent = '';
    setStatus(message, true);
  }

  function draw(data, st, opts) {
    if (state.graph) { state.graph.destroy(); }
    listAll = false;
    state.data = data;
    var graph = state.graph = CV.mount($('cg-graph'), data, Object.assign({
      colour: st.colour, defer: true,
      onSelectNode: function (id) { navigateSelect(id); },
      onToggle: function () { renderList(); }
    }, opts || {}));
    $('cg-title').textContent = data.title;
    document.title = data.title + ' \u2014 citegraph';
    setJurOptions(data, st.jur);
    refilter();
    /* the list is on screen first; the canvas follows in the next task */
    setTimeout(function () { graph.start(); }, 0);
  }

  function setJurOptions(data, wanted) {
    var select = $('cg-jur');
    var seen = {};
    (data ? data.nodes : []).forEach(function (n) { if (n.jurisdiction) { seen[n.jurisdiction] = true; } });
    if (wanted) { seen[wanted] = true; }
    clear(select);
    var any = el('option', null, 'any');
    any.value = '';
    select.appendChild(any);
    Object.keys(seen).sort().forEach(function (j) {
      var o = el('option', null, j);
      o.value = j;
      select.appendChild(o);
    });
    select.value = wanted || '';
  }

  /* The one filter the graph and the list share. */
  function nodeFilter() {
    var types = checkedTypes();
    var lo = parseInt($('cg-year-min').value, 10);
    var hi = parseInt($('cg-year-max').value, 10);
    var undated = $('cg-undated').checked;
    var jur = $('cg-jur').value;
    var unresolved = $('cg-unresolved').checked;
    var highlight = state.data && state.data.highlight;
    return function (n) {
      if (n.id === highlight) { return true; }
      if (types.length && types.indexOf(n.type) < 0) { return false; }
      if (!n.year) { if (!undated && (lo || hi)) { return false; } } else if ((lo && n.year < lo) || (hi && n.year > hi)) { return false; }
      if (jur && n.jurisdiction !== jur) { return false; }
      if (n.unresolved && !unresolved) { return false; }
      return true;
    };
  }

  function filterSignature() {
    return [checkedTypes().join(','), $('cg-year-min').value, $('cg-year-max').value,
      $('cg-undated').checked, $('cg-jur').value, $('cg-unresolved').checked,
      $('cg-colour').value].join('|');
  }

  /* Apply the filters and colouring to the graph and the list (only when they changed). */
  function refilter(force) {
    if (!state.graph) { return; }
    var sig = filterSignature();
    if (!force && sig === state.graph.filterSig) { return; }
    state.graph.filterSig = sig;
    state.graph.colourMode = $('cg-colour').value;
    state.graph.setFilter(nodeFilter());
    renderColourKey();
    renderList();
  }

  function renderColourKey() {
    var key = $('cg-colour-key');
    clear(key);
    var colours = state.graph && state.graph.colours;
    if (!colours) { return; }
    if (colours.__range) {
      key.appendChild(el('span', null, 'Year: blue ' + colours.__range[0] + ' \u2192 orange ' +
        colours.__range[1] + '; grey undated'));
    } else {
      (colours.__keys || []).forEach(function (pair) {
        var item = el('span', 'cg-key');
        var swatch = el('span', 'cg-swatch');
        swatch.style.background = pair[1];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode($('cg-colour').value === 'cluster' ?
          (state.graph.nodeData[pair[0]] ? state.graph.nodeData[pair[0]].label : pair[0]) : pair[0]));
        key.appendChild(item);
      });
    }
  }

  // -- the result list -------------------------------------------------------------------
  var LIST_MAX = 200;
  var listAll = false;

  function renderList() {
    var list = $('cg-list');
    clear(list);
    var g = state.graph;
    if (!g) { return; }
    var hits = {};
    (state.data.hits || []).forEach(function (id, i) { hits[id] = i + 1; });
    var pass = nodeFilter();
    var rows = Object.keys(g.nodeData).filter(function (id) { return pass(g.nodeData[id]); });
    var order = { Instrument: 0, Work: 1, Article: 2, Concept: 3, Jurisdiction: 4, Section: 5 };
    rows.sort(function (a, b) {
      var na = g.nodeData[a];
      var nb = g.nodeData[b];
      var ha = hits[a] || (na.highlight ? 0.5 : 1e9);
      var hb = hits[b] || (nb.highlight ? 0.5 : 1e9);
      if (ha !== hb) { return ha - hb; }
      if (!!na.parent !== !!nb.parent) { return na.parent ? 1 : -1; }
      return (order[na.type] - order[nb.type]) || (nb.size - na.size) ||
        (na.label < nb.label ? -1 : na.label > nb.label ? 1 : 0);
    });
    var max = listAll ? rows.length : LIST_MAX;
    var head = el('p', 'cg-list-head', rows.length + ' of ' + Object.keys(g.nodeData).length +
      ' nodes pass the filters' + (rows.length > max ? ' (first ' + max + ' listed) ' : ''));
    if (rows.length > max) {
      var more = el('button', null, 'list all');
      more.type = 'button';
      more.addEventListener('click', function () { listAll = true; renderList(); });
      head.appendChild(more);
    }
    list.appendChild(head);
    var table = el('table', 'cg-rows');
    var thead = el('tr');
    ['', 'Name', 'Type', 'Year', 'Juris.'].forEach(function (h) { thead.appendChild(el('th', null, h)); });
    table.appendChild(thead);
    rows.slice(0, max).forEach(function (id) { table.appendChild(listRow(g, id, hits[id])); });
    list.appendChild(table);
    window.__cgListed = { at: performance.now(), rows: rows.length, key: state.key };
  }

  function listRow(g, id, hit) {
    var n = g.nodeData[id];
    var tr = el('tr', 'cg-row' + (hit ? ' cg-hit' : '') + (id === state.sel ? ' cg-row-selected' : ''));
    tr.setAttribute('data-id', id);
    tr.tabIndex = 0;
    tr.appendChild(el('td', 'cg-rank', hit ? String(hit) : ''));
    var name = el('td', 'cg-name', n.label);
    name.title = id;
    if (n.parent && g.collapsed[n.parent]) { name.appendChild(el('span', 'cg-folded', ' (in ' + g.nodeData[n.parent].label + ')')); }
    tr.appendChild(name);
    tr.appendChild(el('td', 'cg-type-' + n.type, n.unresolved ? 'unresolved' : n.type));
    tr.appendChild(el('td', null, n.year || ''));
    tr.appendChild(el('td', null, n.jurisdiction || ''));
    tr.addEventListener('mouseenter', function () { g.light(g.rep(id)); });
    tr.addEventListener('mouseleave', function () { g.light(null); });
    tr.addEventListener('click', function () { navigateSelect(id); });
    tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { navigateSelect(id); } });
    return tr;
  }

  // -- selection and the side panel --------------------------------------------------------
  function navigateSelect(id) {
    var n = state.graph && state.graph.nodeData[id];
    if (n && n.event) { id = n.target; }
    var st = current();
    st.sel = id;
    return go(st, false);
  }

  function select(id, quiet) {
    state.sel = id || null;
    var g = state.graph;
    if (g) {
      g.selected = id;
      if (id && g.nodeData[id] && g.nodeData[id].parent && g.collapsed[g.nodeData[id].parent]) {
        g.toggle(g.nodeData[id].parent);
        renderList();
      }
      if (g.network) {
        if (id && g.nodes.get(id)) { g.network.selectNodes([id]); } else { g.network.unselectAll(); }
      }
      document.querySelectorAll('.cg-row-selected').forEach(function (r) { r.classList.remove('cg-row-selected'); });
      var row = id && document.querySelector('#cg-list tr[data-id="' + CSS.escape(id) + '"]');
      if (row) { row.classList.add('cg-row-selected'); }
    }
    if (!id) { return Promise.resolve(); }
    return fetchJson('/viz/data/node?' + query({ id: id })).then(function (detail) {
      if (state.sel === id) { CGPanel.render($('cg-panel'), detail, panelActions()); }
    }).catch(function (err) {
      if (!quiet || state.sel === id) { setStatus('Selection: ' + err.message, true); }
    });
  }

  function panelActions() {
    return {
      open: function (view, params) {
        var st = current();
        st.view = view;
        st.params = params;
        st.sel = params.id || null;
        return go(st, false);
      },
      select: navigateSelect,
      expand: expand,
      toggle: function (id) { if (state.graph && state.graph.toggle(id)) { renderList(); } },
      children: function (id) { return state.graph && state.graph.children[id] ? state.graph.children[id].length : 0; },
      folded: function (id) { return !!(state.graph && state.graph.collapsed[id]); },
      pathFrom: function (node) {
        $('cg-path-source').value = node.label;
        $('cg-path-source').setAttribute('data-id', node.id);
        $('cg-path-target').focus();
      }
    };
  }

  function expand(id) {
    setStatus('Expanding\u2026');
    return fetchJson('/viz/data/ego?' + query({ id: id, depth: 1 })).then(function (data) {
      var added = state.graph.merge(data, id);
      refilter(true);
      setStatus(added + ' node(s) added.');
    }).catch(function (err) { setStatus(err.message, true); });
  }

  // -- tables: matrix, rankings; the timeline -------------------------------------------
  function showPane(which) {
    $('cg-graph').hidden = which !== 'graph';
    $('cg-list').hidden = which !== 'graph';
    $('cg-table').hidden = which !== 'table';
    if (which === 'table') {
      if (state.graph) { state.graph.destroy(); state.graph = null; window.cgView = null; }
      state.data = null;
      $('cg-meta').textContent = '';
      clear($('cg-legend'));
      clear($('cg-colour-key'));
    }
  }

  // -- saved views (kept in this browser; the address itself is the shareable form) -------
  var SAVED = 'citegraph.savedViews';

  function savedViews() {
    try { return JSON.parse(localStorage.getItem(SAVED) || '{}') || {}; } catch (e) { return {}; }
  }

  function renderSaved() {
    var select = $('cg-saved');
    var views = savedViews();
    clear(select);
    var head = el('option', null, Object.keys(views).length ? 'Saved views\u2026' : 'No saved views');
    head.value = '';
    select.appendChild(head);
    Object.keys(views).sort().forEach(function (name) {
      var o = el('option', null, name);
      o.value = name;
      select.appendChild(o);
    });
  }

  function saveView(ev) {
    ev.preventDefault();
    var name = $('cg-save-name').value.trim();
    if (!name) { setStatus('Name the view to save it.', true); return; }
    var views = savedViews();
    views[name] = location.pathname + location.search;
    localStorage.setItem(SAVED, JSON.stringify(views));
    $('cg-save-name').value = '';
    renderSaved();
    setStatus('Saved \u201c' + name + '\u201d.');
  }

  function openSaved() {
    var name = $('cg-saved').value;
    var url = savedViews()[name];
    if (!url) { return; }
    history.pushState(null, '', url);
    start();
  }

  function showTimeline(st) {
    var base = st.base ? parseState(st.base) : { view: 'overview', params: {} };
    setStatus('Loading\u2026');
    showPane('graph');
    return fetchJson('/viz/data/' + base.view + '?' + query(base.params)).then(function (data) {
      CGTables.timeline(data);
      draw(data, st, { fixed: true });
      $('cg-title').textContent = 'Timeline: ' + data.title +
        (data.meta.undated ? ' (' + data.meta.undated + ' undated not placed)' : '');
      setStatus('');
      return select(st.sel, true);
    }).catch(function (err) { fail(err.message); });
  }

  function showMatrix(st) {
    showPane('table');
    setStatus('Loading\u2026');
    return fetchJson('/analytics/jurisdiction-concept').then(function (m) {
      $('cg-title').textContent = 'Jurisdictions \u00d7 concepts';
      CGTables.matrix($('cg-table'), m, navigateSelect);
      setStatus('');
      clear($('cg-list'));
    }).catch(function (err) { fail(err.message); });
  }

  function showRankings(st) {
    showPane('table');
    setStatus('Loading\u2026');
    var keep = st.unresolved ? 'true' : 'false';
    return Promise.all([
      fetchJson('/analytics/ranking?' + query({ by: 'pagerank', limit: 25, unresolved: keep })),
      fetchJson('/analytics/ranking?' + query({ by: 'in_degree', limit: 25, unresolved: keep })),
      fetchJson('/analytics/co-citation?' + query({ limit: 25, unresolved: keep })),
      fetchJson('/analytics/co-mention?' + query({ limit: 25, unresolved: keep }))
    ]).then(function (res) {
      $('cg-title').textContent = 'Rankings' + (st.unresolved ? '' : ' (unresolved placeholders left out)');
      CGTables.rankings($('cg-table'), res, navigateSelect);
      setStatus('');
      clear($('cg-list'));
    }).catch(function (err) { fail(err.message); });
  }

  // -- forms -------------------------------------------------------------------------------
  function submitSearch(ev) {
    ev.preventDefault();
    var st = current();
    var q = $('cg-q').value.trim();
    st.view = q ? 'search' : 'overview';
    st.params = q ? { q: q, types: st.types, year_min: st.ymin, year_max: st.ymax } : {};
    st.sel = null;
    go(st, false);
  }

  function submitPath(ev) {
    ev.preventDefault();
    Promise.all([resolveField($('cg-path-source')), resolveField($('cg-path-target'))])
      .then(function (ends) {
        if (!ends[0] || !ends[1]) {
          setStatus('Choose both ends of the path: type a name and pick it from the list.', true);
          return;
        }
        var st = current();
        st.view = 'path';
        st.params = { source: ends[0], target: ends[1] };
        st.sel = null;
        go(st, false);
      }).catch(function (err) { setStatus(err.message, true); });
  }

  /* A field's node id: the suggestion picked; else an id typed as such; else the best
   * match for the name typed (so "China" works without picking it). */
  function resolveField(input) {
    var picked = input.getAttribute('data-id');
    var text = input.value.trim();
    if (picked && input.getAttribute('data-label') === text) { return Promise.resolve(picked); }
    if (!text) { return Promise.resolve(null); }
    if (/^[a-z]+:\S+$/.test(text)) { return Promise.resolve(text); }
    return fetchJson('/viz/data/suggest?' + query({ q: text, limit: 1 })).then(function (found) {
      if (!found.length) { throw new Error('Nothing is called \u201c' + text + '\u201d.'); }
      return found[0].id;
    });
  }

  function onFilterChange() {
    var st = current();
    go(st, true);
  }

  function tab(ev) {
    var view = ev.target.getAttribute('data-view');
    var st = current();
    if (view === 'graph') {
      var back = st.base ? parseState(st.base) : { view: 'overview', params: {} };
      st.view = back.view;
      st.params = back.params;
      st.base = '';
    } else {
      if (GRAPH_VIEWS[st.view]) { st.base = query(Object.assign({ view: st.view }, st.params)); }
      st.view = view;
      st.params = {};
    }
    go(st, false);
  }

  function bindControls() {
    $('cg-search').addEventListener('submit', submitSearch);
    $('cg-path').addEventListener('submit', submitPath);
    document.querySelectorAll('#cg-filters input, #cg-filters select').forEach(function (c) {
      c.addEventListener('change', onFilterChange);
    });
    document.querySelectorAll('.cg-tab').forEach(function (t) { t.addEventListener('click', tab); });
    CGSuggest.attach($('cg-q'), function (item) {
      var st = current();
      st.view = 'ego';
      st.params = { id: item.id, depth: '1' };
      st.sel = item.id;
      go(st, false);
    });
    CGSuggest.attach($('cg-path-source'));
    CGSuggest.attach($('cg-path-target'));
    CGExport.bind(function () { return state.graph; });
    $('cg-save').addEventListener('submit', saveView);
    $('cg-saved').addEventListener('change', openSaved);
    renderSaved();
    window.addEventListener('popstate', function () { start(true); });
  }

  function start() {
    var st;
    try {
      st = parseState(location.search);
    } catch (err) {
      fail('This address cannot be shown: ' + err.message + '.');
      return Promise.resolve();
    }
    return apply(st);
  }

  window.cgExplorer = {
    go: go, select: select, expand: expand, current: current, parseState: parseState,
    get view() { return state.graph; }, get data() { return state.data; }
  };

  bindControls();
  start();
}());
