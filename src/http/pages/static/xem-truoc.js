/*
 * Loa, writing page: the four previews follow the text as the officer types. Half a second after the last key,
 * the form is posted to /desk/bai-viet/xem-truoc (same checks as the "Xem trước" button, nothing stored) and the
 * server's rendered previews and warnings are put in place. Without this file the button does the same job.
 */
(function () {
  'use strict';
  var form = document.querySelector('form[data-xem-truoc]');
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var previews = document.getElementById('xem-truoc-noi-dung');
  var warnings = document.getElementById('canh-bao');
  var status = document.getElementById('trang-thai-xem-truoc');
  var timer = null;
  var running = null;
  var sent = '';

  function say(text) {
    if (status) status.textContent = text;
  }

  function refresh() {
    var body = new URLSearchParams(new FormData(form));
    body.delete('action');
    var key = body.toString();
    if (key === sent) return;
    sent = key;
    // Only the newest text matters: an answer still on its way for older text is dropped.
    if (running) running.abort();
    running = window.AbortController ? new AbortController() : null;
    say('Đang cập nhật bản xem trước…');
    fetch(form.getAttribute('data-xem-truoc'), {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': form.elements._csrf.value },
      signal: running ? running.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (answer.error) return say('Chưa xem trước được: ' + answer.error);
        previews.innerHTML = answer.previews;
        warnings.innerHTML = answer.warnings;
        say('Bản xem trước đã cập nhật.');
      })
      .catch(function (error) {
        if (error && error.name === 'AbortError') return;
        sent = '';
        say('Không cập nhật được bản xem trước; bấm nút "Xem trước".');
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.setAttribute('data-xem-truoc-san-sang', '1');
})();
