/**
 * Countdown of a timed challenge (progressive enhancement). The server renders the seconds left
 * and enforces the deadline itself; this only updates the display every second and shows the
 * "time is up" notice. No timer is trusted on this side.
 */
(function () {
  'use strict';
  var box = document.getElementById('countdown');
  if (!box) return;
  var value = box.querySelector('.countdown-value');
  var timeUp = document.getElementById('time-up');
  var deadline = Date.now() + Number(box.getAttribute('data-remaining')) * 1000;
  function render() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    var seconds = left % 60;
    value.textContent = Math.floor(left / 60) + ':' + (seconds < 10 ? '0' : '') + seconds;
    if (left === 0) {
      box.classList.add('expired');
      if (timeUp) timeUp.hidden = false;
      return false;
    }
    return true;
  }
  if (!render()) return;
  var interval = setInterval(function () {
    if (!render()) clearInterval(interval);
  }, 1000);
})();
