// nnc explain: a click on anything that belongs to a model name (data-stmt, a Java identifier of the model's name
// table) highlights everything else that belongs to it: its statement, its graph nodes, its chain-rule step, its
// trace rows and its lines of Java. Steps whose terms go through the statement (data-via) are marked too.
(function () {
  'use strict';
  function select(article, key) {
    // one selection on the page: what another model's article showed is cleared too
    document.querySelectorAll('.hl, .via').forEach(function (el) {
      el.classList.remove('hl');
      el.classList.remove('via');
    });
    article.querySelectorAll('[data-stmt]').forEach(function (el) {
      if (el.getAttribute('data-stmt') === key) el.classList.add('hl');
    });
    article.querySelectorAll('.step[data-via]').forEach(function (el) {
      var via = el.getAttribute('data-via').split(' ');
      if (via.indexOf(key) >= 0 && el.getAttribute('data-stmt') !== key) el.classList.add('via');
    });
    var java = article.querySelector('pre.java');
    var first = java && java.querySelector('.jl.hl');
    if (first) java.scrollTop = first.offsetTop - java.offsetTop - 40;
  }
  function handle(event) {
    var target = event.target instanceof Element ? event.target.closest('[data-stmt]') : null;
    var article = target ? target.closest('article.model') : null;
    if (!target || !article) return;
    select(article, target.getAttribute('data-stmt'));
  }
  document.addEventListener('click', handle);
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' || event.key === ' ') handle(event);
  });
}());
