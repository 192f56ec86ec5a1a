/* citegraph explorer: autocomplete for the search, path and ego fields.
 *
 * Asks /viz/data/suggest as the user types (debounced; stale answers dropped) and shows
 * a listbox under the field: arrow keys move, Enter or a click picks. A picked name keeps
 * its node id on the field (data-id), so the path form never needs raw ids. Text only.
 */
(function () {
  'use strict';

  var el = window.CitegraphView.el;
  var clear = window.CitegraphView.clear;
  var counter = 0;

  function attach(input, onPick) {
    var box = el('ul', 'cg-suggest');
    box.id = 'cg-suggest-' + (++counter);
    box.setAttribute('role', 'listbox');
    box.hidden = true;
    input.parentNode.insertBefore(box, input.nextSibling);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', box.id);
    input.setAttribute('autocomplete', 'off');
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function show(found) {
      items = found;
      active = -1;
      clear(box);
      found.forEach(function (item, i) {
        var li = el('li', 'cg-suggestion');
        li.setAttribute('role', 'option');
        li.appendChild(el('span', 'cg-s-label', item.label));
        var meta = [item.unresolved ? 'unresolved' : item.type, item.year, item.jurisdiction]
          .filter(function (x) { return x; }).join(' \u00b7 ');
        li.appendChild(el('span', 'cg-s-meta', meta));
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); pick(i); });
        box.appendChild(li);
      });
      box.hidden = !found.length;
    }

    function pick(i) {
      var item = items[i];
      if (!item) { return; }
      input.value = item.label;
      input.setAttribute('data-id', item.id);
      input.setAttribute('data-label', item.label);
      box.hidden = true;
      if (onPick) { onPick(item); }
    }

    function move(step) {
      if (!items.length) { return; }
      active = (active + step + items.length) % items.length;
      Array.prototype.forEach.call(box.children, function (li, i) {
        li.setAttribute('aria-selected', i === active ? 'true' : 'false');
      });
    }

    input.addEventListener('input', function () {
      input.removeAttribute('data-id');
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) { show([]); return; }
      timer = setTimeout(function () {
        var mine = ++asked;
        fetch('/viz/data/suggest?q=' + encodeURIComponent(text))
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (found) { if (mine === asked) { show(found); } })
          .catch(function () { show([]); });
      }, 120);
    });
    input.addEventListener('keydown', function (ev) {
      if (box.hidden) { return; }
      if (ev.key === 'ArrowDown') { ev.preventDefault(); move(1); }
      else if (ev.key === 'ArrowUp') { ev.preventDefault(); move(-1); }
      else if (ev.key === 'Enter' && active >= 0) { ev.preventDefault(); pick(active); }
      else if (ev.key === 'Escape') { hide(); }
    });
    /* hidden for good: an answer still on its way is dropped */
    function hide() {
      asked += 1;
      clearTimeout(timer);
      box.hidden = true;
    }
    input.addEventListener('blur', function () { setTimeout(hide, 150); });
    if (input.form) { input.form.addEventListener('submit', hide); }
  }

  window.CGSuggest = { attach: attach };
}());
