/**
 * Focus-out detection for a focused challenge (progressive enhancement): polls document.hasFocus()
 * every second and, the first time the page loses focus, tells the server once (POST focus-out),
 * marks the answer form and shows the notice. The server keeps the first report only.
 */
(function () {
  'use strict';
  var form = document.getElementById('answer-form');
  if (!form) return;
  var url = form.getAttribute('data-focus-url');
  var field = document.getElementById('focused-out');
  var notice = document.getElementById('focus-lost');
  var position = form.querySelector('input[name="position"]');
  if (field && field.value === '1') return;
  var interval = setInterval(function () {
    if (document.hasFocus()) return;
    clearInterval(interval);
    if (field) field.value = '1';
    if (notice) notice.hidden = false;
    var body = new URLSearchParams();
    body.set('position', position ? position.value : '');
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'fetch' },
      body: body.toString(),
    }).catch(function () {
      /* the form's focusedOut field still reports it with the answer */
    });
  }, 1000);
})();
