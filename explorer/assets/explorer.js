/* rukp explorer: filters on the index, the system switch and evidence highlighting on document
   pages. Reads only the page's own DOM and its URL; no network. When done it sets
   <body data-ready="1">. */
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);

  function setParam(key, value) {
    try {
      var url = new URL(window.location.href);
      if (value) { url.searchParams.set(key, value); } else { url.searchParams.delete(key); }
      window.history.replaceState(null, '', url.toString());
    } catch (e) { /* some browsers refuse history changes on file:// pages */ }
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // ---- index: filter documents by language, split and story (?language=fr&split=test)
  var index = document.getElementById('doc-index');
  if (index) {
    var filters = document.querySelectorAll('select.filter');
    var apply = function () {
      var shown = 0;
      each(index.tBodies[0].rows, function (row) {
        var ok = true;
        each(filters, function (sel) {
          var want = sel.value;
          if (want && row.getAttribute('data-' + sel.getAttribute('data-filter')) !== want) {
            ok = false;
          }
        });
        row.classList.toggle('hidden', !ok);
        if (ok) { shown += 1; }
      });
      document.getElementById('shown-count').textContent = String(shown);
      document.body.setAttribute('data-shown', String(shown));
    };
    each(filters, function (sel) {
      var name = sel.getAttribute('data-filter');
      var want = params.get(name);
      if (want !== null) {
        each(sel.options, function (opt) { if (opt.value === want) { sel.value = want; } });
      }
      sel.addEventListener('change', function () { setParam(name, sel.value); apply(); });
    });
    apply();
  }

  // ---- document page: switch between gold only and a system (?system=ner:crf)
  var select = document.getElementById('system-select');
  if (select) {
    var show = function (key) {
      var task = '';
      each(document.querySelectorAll('section.sysview'), function (sec) {
        var on = sec.getAttribute('data-system') === key;
        sec.hidden = !on;
        if (on) { task = sec.getAttribute('data-task'); }
      });
      if (!task) { key = ''; }
      select.value = key;
      document.body.classList.remove('sys-ner', 'sys-stance', 'sys-events');
      if (task) { document.body.classList.add('sys-' + task); }
      document.body.setAttribute('data-system', key);
      return key;
    };
    var initial = params.get('system');
    if (initial) { show(initial); }
    select.addEventListener('change', function () { setParam('system', show(select.value)); });
  }

  // ---- document page: show/hide layers, highlight a stance record's evidence
  var text = document.getElementById('text');
  if (text) {
    each(document.querySelectorAll('input.toggle'), function (box) {
      var layer = box.getAttribute('data-hide');
      var update = function () {
        if (layer === 'evid') {
          text.classList.toggle('show-evid', box.checked);
        } else {
          text.classList.toggle('hide-' + layer, !box.checked);
        }
      };
      box.addEventListener('change', update);
      update();
    });
    var light = function (id, on) {
      each(text.querySelectorAll('.evid'), function (el) {
        if (el.getAttribute('data-st') === id) { el.classList.toggle('on', on); }
      });
    };
    each(document.querySelectorAll('li.stance'), function (li) {
      var id = li.getAttribute('data-st');
      ['mouseenter', 'focus'].forEach(function (ev) {
        li.addEventListener(ev, function () { light(id, true); });
      });
      ['mouseleave', 'blur'].forEach(function (ev) {
        li.addEventListener(ev, function () { light(id, false); });
      });
    });
  }

  document.body.setAttribute('data-ready', '1');
})();
