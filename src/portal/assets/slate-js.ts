// Slate's one script, served at /assets/slate.js: copy buttons, confirmations and live updates (EventSource on
// /api/v1/events; regions marked data-live-src are re-fetched as server-rendered HTML, so escaping stays on the server).
export const slateJs = String.raw`
(function () {
  'use strict';

  function announce(text) {
    var region = document.getElementById('announcer');
    if (region) { region.textContent = ''; setTimeout(function () { region.textContent = text; }, 30); }
  }

  // Copy buttons: <button data-copy="element-id">.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text; area.setAttribute('readonly', ''); area.className = 'sr-only';
      document.body.appendChild(area); area.select();
      try { document.execCommand('copy') ? resolve() : reject(new Error('copy refused')); } catch (e) { reject(e); }
      document.body.removeChild(area);
    });
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-copy]');
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) return;
    var label = button.textContent;
    copyText(source.textContent).then(function () {
      button.textContent = 'Copied';
      button.classList.add('copied');
      announce('Copied to the clipboard');
      setTimeout(function () { button.textContent = label; button.classList.remove('copied'); }, 1600);
    }, function () { announce('Copy failed: select the text and copy it by hand'); });
  });

  // Confirmations: <form data-confirm="Delete this user?">.
  document.addEventListener('submit', function (event) {
    var message = event.target.getAttribute && event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Live updates.
  var regions = function () { return Array.prototype.slice.call(document.querySelectorAll('[data-live-src]')); };
  if (!document.body.hasAttribute('data-live') || !window.EventSource) return;
  // Throttled, not debounced: during a bulk delivery events never pause, and the table must still move.
  var refreshIntervalMs = 750;
  var pending = new WeakSet();
  var busy = new WeakSet();

  function rowStates(root) {
    var states = {};
    Array.prototype.forEach.call(root.querySelectorAll('tr[data-id]'), function (row) { states[row.getAttribute('data-id')] = row.getAttribute('data-status'); });
    return states;
  }

  function refresh(region) {
    // A region replaced since this refresh was scheduled: refresh its successor (same id) instead.
    if (!region.isConnected) {
      region = region.id ? document.getElementById(region.id) : null;
      if (!region) return;
    }
    if (busy.has(region)) { schedule(region); return; }
    busy.add(region);
    var before = rowStates(region);
    var previousMessage = region.getAttribute('data-live-announce');
    fetch(region.getAttribute('data-live-src'), { credentials: 'same-origin', headers: { 'x-slate-fragment': '1' } })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); throw new Error('signed out'); }
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (markup) {
        var template = document.createElement('template');
        template.innerHTML = markup.trim();
        var next = template.content.firstElementChild;
        if (!next) return;
        var focusedId = document.activeElement && document.activeElement.id;
        region.replaceWith(next);
        Array.prototype.forEach.call(next.querySelectorAll('tr[data-id]'), function (row) {
          var id = row.getAttribute('data-id');
          if (before[id] !== row.getAttribute('data-status')) row.classList.add('flash');
        });
        if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
        var message = next.getAttribute('data-live-announce');
        if (message && message !== previousMessage) announce(message);
      })
      .catch(function () { /* the next event or reconnect refreshes again */ })
      .then(function () { busy.delete(region); });
  }

  function schedule(region) {
    if (pending.has(region)) return;
    pending.add(region);
    setTimeout(function () { pending.delete(region); refresh(region); }, refreshIntervalMs);
  }

  function wants(region, delivery) {
    var ids = region.getAttribute('data-live-ids');
    if (!ids) return true;
    return ids.split(' ').indexOf(delivery.id) >= 0 || ids.split(' ').indexOf('key:' + delivery.key) >= 0;
  }

  var status = document.getElementById('live-status');
  function setStatus(live) {
    if (!status) return;
    status.className = 'badge ' + (live ? 'live' : 'offline');
    status.lastChild.textContent = live ? 'Live' : 'Reconnecting…';
    status.setAttribute('title', live ? 'New deliveries and status changes appear without reloading' : 'The live feed is reconnecting');
  }

  var source = new EventSource('/api/v1/events');
  var opened = false;
  source.addEventListener('open', function () {
    setStatus(true);
    // After a reconnect, catch up on anything missed while offline.
    if (opened) regions().forEach(schedule);
    opened = true;
  });
  source.addEventListener('error', function () { setStatus(false); });
  source.addEventListener('session-ended', function () { source.close(); window.location.reload(); });
  source.addEventListener('delivery', function (event) {
    var delivery;
    try { delivery = JSON.parse(event.data); } catch (e) { return; }
    regions().forEach(function (region) { if (wants(region, delivery)) schedule(region); });
  });
})();
`;
