// The queue board's icon-only buttons (Redis, full screen, settings, the status list's "more") come from bull-board
// without a name: a screen reader announced them only as "button". This names each one still unnamed, in Vietnamese,
// when the board draws it; a button bull-board names itself keeps its own name.
(function () {
  'use strict';
  var HEADER = ['Thông tin Redis', 'Toàn màn hình', 'Cài đặt'];
  function name(button, text) {
    if (button.getAttribute('aria-label') || button.innerText.trim()) return;
    button.setAttribute('aria-label', text);
    button.setAttribute('title', text);
  }
  function nameAll() {
    var actions = document.querySelector('ul[class^="actions-"]');
    if (actions) {
      var unnamed = Array.prototype.filter.call(actions.querySelectorAll(':scope > li > button'), function (b) {
        return !b.getAttribute('aria-label') && !b.innerText.trim();
      });
      if (unnamed.length === HEADER.length)
        unnamed.forEach(function (b, i) {
          name(b, HEADER[i]);
        });
    }
    document.querySelectorAll('button[aria-haspopup="menu"]').forEach(function (b) {
      name(b, 'Các trạng thái khác');
    });
  }
  new window.MutationObserver(nameAll).observe(document.documentElement, { childList: true, subtree: true });
  nameAll();
})();
