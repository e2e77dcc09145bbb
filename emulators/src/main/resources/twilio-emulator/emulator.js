// Twilio emulator page: plain JS, no build step. Polls the emulator's control API once a second.
(function () {
  'use strict';

  var selected = window.location.hash.length > 1 ? window.location.hash.substring(1) : null;
  var latest = [];
  var conferences = [];
  var queues = [];
  var numbers = [];
  var messages = [];

  function $(id) { return document.getElementById(id); }

  function showError(message) { $('error').textContent = message || ''; }

  function request(method, url, form) {
    var options = { method: method, headers: {} };
    if (form) {
      options.headers['Content-Type'] = 'application/x-www-form-urlencoded';
      options.body = new URLSearchParams(form).toString();
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(body.error || ('HTTP ' + response.status)); }
        return body;
      });
    });
  }

  function renderList() {
    var list = $('calls');
    list.textContent = '';
    if (latest.length === 0) {
      var empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'No calls yet';
      list.appendChild(empty);
      return;
    }
    latest.forEach(function (call) {
      var li = document.createElement('li');
      if (call.sid === selected) { li.className = 'selected'; }
      var badge = document.createElement('span');
      badge.className = 'badge ' + call.status;
      badge.textContent = call.status;
      var parties = document.createElement('div');
      parties.textContent = (call.direction === 'inbound' ? 'Inbound ' : '') + call.from + ' → ' + call.to
        + (call.conference ? ' (conference ' + call.conference + ')' : '')
        + (call.queue ? ' (queue ' + call.queue + ')' : '');
      var sid = document.createElement('div');
      sid.className = 'sid';
      sid.textContent = call.sid;
      li.appendChild(badge);
      li.appendChild(parties);
      li.appendChild(sid);
      li.addEventListener('click', function () { select(call.sid); });
      list.appendChild(li);
    });
  }

  function renderConferences() {
    var list = $('conferences');
    list.textContent = '';
    if (conferences.length === 0) {
      var empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'No conferences';
      list.appendChild(empty);
      return;
    }
    conferences.forEach(function (conference) {
      var li = document.createElement('li');
      var name = document.createElement('div');
      name.textContent = conference.name + ' (' + conference.participants.length + ')';
      li.appendChild(name);
      conference.participants.forEach(function (sid) {
        var call = latest.find(function (c) { return c.sid === sid; });
        var who = document.createElement('div');
        who.className = 'sid';
        who.textContent = call ? call.to + ' ' + sid : sid;
        who.addEventListener('click', function () { select(sid); });
        li.appendChild(who);
      });
      list.appendChild(li);
    });
  }

  function renderQueues() {
    var list = $('queues');
    list.textContent = '';
    if (queues.length === 0) {
      var empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'No queues';
      list.appendChild(empty);
      return;
    }
    queues.forEach(function (queue) {
      var li = document.createElement('li');
      var name = document.createElement('div');
      name.textContent = queue.name + ' (' + queue.size + ' of ' + queue.maxSize + ', average wait '
        + queue.averageWaitTime + ' s)';
      li.appendChild(name);
      queue.members.forEach(function (member) {
        var who = document.createElement('div');
        who.className = 'sid';
        who.textContent = member.position + '. ' + member.from + ' ' + member.callSid + ' (' + member.waitTime + ' s)';
        who.addEventListener('click', function () { select(member.callSid); });
        li.appendChild(who);
      });
      list.appendChild(li);
    });
  }

  /** Fills a select with the numbers that have the given URL, keeping the choice. */
  function fillNumbers(select, field) {
    var chosen = select.value;
    select.textContent = '';
    numbers.filter(function (number) { return !!number[field]; }).forEach(function (number) {
      var option = document.createElement('option');
      option.value = number.number;
      option.textContent = number.number;
      select.appendChild(option);
    });
    if (chosen) { select.value = chosen; }
  }

  function renderNumbers() {
    var list = $('numbers');
    list.textContent = '';
    if (numbers.length === 0) {
      var empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'No numbers';
      list.appendChild(empty);
    }
    numbers.forEach(function (number) {
      var li = document.createElement('li');
      li.textContent = number.number + (number.voiceUrl ? ' → calls ' + number.voiceUrl : '')
        + (number.messagingUrl ? ' → messages ' + number.messagingUrl : '');
      list.appendChild(li);
    });
    fillNumbers($('inbound-to'), 'voiceUrl');
    fillNumbers($('message-to'), 'messagingUrl');
  }

  /** Each message sent to the app: its text, its media and what the app sent back. */
  function renderMessages() {
    var list = $('messages');
    list.textContent = '';
    if (messages.length === 0) {
      var empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'No messages';
      list.appendChild(empty);
      return;
    }
    messages.forEach(function (message) {
      var li = document.createElement('li');
      var head = document.createElement('div');
      head.textContent = message.from + ' → ' + message.to + ': “' + message.body + '”'
        + (message.media.length ? ' (' + message.media.length + ' media' + (message.media.some(function (m) {
          return m.deleted; }) ? ', deleted by the app' : '') + ')' : '');
      var status = document.createElement('div');
      status.className = 'sid';
      status.textContent = message.sid + ' · app answered ' + (message.responseStatus || 'nothing');
      li.appendChild(head);
      li.appendChild(status);
      message.replies.forEach(function (reply) {
        var r = document.createElement('div');
        r.className = 'reply';
        r.textContent = 'Reply: “' + reply.body + '”';
        li.appendChild(r);
      });
      list.appendChild(li);
    });
  }

  function renderDetail() {
    var call = latest.find(function (c) { return c.sid === selected; });
    $('no-selection').hidden = !!call;
    $('detail').hidden = !call;
    if (!call) { return; }
    var ended = ['completed', 'canceled', 'failed', 'busy', 'no-answer'].indexOf(call.status) >= 0;
    $('d-sid').textContent = call.sid;
    $('d-parties').textContent = call.from + ' → ' + call.to;
    $('d-status').textContent = call.status;
    $('d-where').textContent = call.conference ? 'in conference ' + call.conference
      : call.queue ? 'waiting in queue ' + call.queue
      : call.bridgedWith ? 'bridged with ' + call.bridgedWith
      : (call.dialed ? 'connected to ' + call.dialed : '—');
    $('d-activity').textContent = call.activity || '';
    $('d-dropped').textContent = String(call.droppedKeys);
    $('gather-box').className = call.gatherOpen ? 'open' : '';
    $('gather-state').textContent = call.gatherOpen ? 'Waiting for your keys' : 'No prompt is collecting keys';
    $('prompt').textContent = call.gatherOpen && call.prompt ? '“' + call.prompt + '”' : '';
    var heard = $('heard');
    heard.textContent = '';
    call.heard.forEach(function (text) {
      var li = document.createElement('li');
      li.textContent = text;
      heard.appendChild(li);
    });
    renderRecordings(call.recordings || []);
    renderVoicemail(call);
    Array.prototype.forEach.call(document.querySelectorAll('#keypad button'), function (b) { b.disabled = ended; });
    $('hangup').disabled = ended || call.ringing;
    $('ring-actions').hidden = !call.ringing;
  }

  /** The voicemail form, while a Record waits for the caller's message. */
  function renderVoicemail(call) {
    var form = $('voicemail');
    var wasHidden = form.hidden;
    form.hidden = !call.recordOpen;
    if (!call.recordOpen) { return; }
    $('record-prompt').textContent = call.record.prompt ? '“' + call.record.prompt + '”' : '';
    if (wasHidden) {
      var select = $('record-key');
      select.textContent = '';
      var none = document.createElement('option');
      none.value = '';
      none.textContent = 'none (fall silent)';
      select.appendChild(none);
      call.record.finishOnKey.split('').forEach(function (key) {
        var option = document.createElement('option');
        option.value = key;
        option.textContent = key;
        select.appendChild(option);
      });
    }
  }

  /** Each recording of the call: its stretches, recorded or paused, and what was heard in each. */
  function renderRecordings(recordings) {
    $('recordings').hidden = recordings.length === 0;
    var list = $('recording-list');
    list.textContent = '';
    recordings.forEach(function (recording) {
      var li = document.createElement('li');
      li.className = 'recording';
      var title = document.createElement('div');
      title.textContent = recording.sid + ' (' + recording.status + ')';
      li.appendChild(title);
      if (recording.source === 'RecordVerb') {
        var message = document.createElement('p');
        message.textContent = 'Voicemail' + (recording.spokenText ? ': “' + recording.spokenText + '”' : '')
          + (recording.durationSeconds ? ', ' + recording.durationSeconds + ' s' : '')
          + (recording.transcription ? '; transcription ' + recording.transcription.status : '');
        li.appendChild(message);
        list.appendChild(li);
        return;
      }
      var parts = document.createElement('ol');
      recording.parts.forEach(function (part) {
        var item = document.createElement('li');
        item.className = part.recorded ? 'recorded' : 'paused';
        var span = new Date(part.from).toLocaleTimeString() + ' to '
          + (part.to ? new Date(part.to).toLocaleTimeString() : 'now');
        item.textContent = (part.recorded ? 'Recorded, ' : 'Paused (' + part.pauseBehavior + '), ') + span;
        parts.appendChild(item);
      });
      li.appendChild(parts);
      li.appendChild(heardLine('Heard while recording', recording.recordedPrompts, recording.recordedKeyCount));
      li.appendChild(heardLine('Heard while paused', recording.pausedPrompts, recording.pausedKeyCount));
      list.appendChild(li);
    });
  }

  function heardLine(label, prompts, keyCount) {
    var p = document.createElement('p');
    p.textContent = label + ': ' + (prompts.length ? prompts.map(function (t) { return '“' + t + '”'; }).join(', ')
      : 'no prompt') + '; ' + keyCount + ' key' + (keyCount === 1 ? '' : 's') + ' pressed';
    return p;
  }

  function render() {
    renderList(); renderConferences(); renderQueues(); renderNumbers(); renderMessages(); renderDetail();
  }

  function select(sid) {
    selected = sid;
    if (window.history && window.history.replaceState) { window.history.replaceState(null, '', '#' + sid); }
    render();
  }

  function poll() {
    request('GET', '/emulator/calls').then(function (calls) {
      latest = calls;
      if (!selected && calls.length > 0) { selected = calls[0].sid; }
      return request('GET', '/emulator/conferences');
    }).then(function (list) {
      conferences = list;
      return request('GET', '/emulator/queues');
    }).then(function (list) {
      queues = list;
      return request('GET', '/emulator/numbers');
    }).then(function (list) {
      numbers = list;
      return request('GET', '/emulator/messages');
    }).then(function (list) {
      messages = list;
      render();
      showError('');
    }).catch(function (e) { showError('Cannot reach the emulator: ' + e.message); });
  }

  // Keys go out one after another, in the order pressed, as on a phone: a fast second click waits for the first.
  var keys = Promise.resolve();

  function press(key) {
    if (!selected) { return; }
    var sid = selected;
    keys = keys.then(function () {
      return request('POST', '/emulator/calls/' + encodeURIComponent(sid) + '/digits', { digits: key });
    }).then(function () { poll(); })
      .catch(function (e) { showError(e.message); });
  }

  $('new-call').addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(event.target);
    request('POST', '/emulator/calls', { from: data.get('from'), to: data.get('to'), conference: data.get('conference') })
      .then(function (body) { select(body.sid); poll(); })
      .catch(function (e) { showError(e.message); });
  });

  $('inbound-call').addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(event.target);
    request('POST', '/emulator/inbound-calls', { from: data.get('from'), to: data.get('to') || '' })
      .then(function (body) { select(body.sid); poll(); })
      .catch(function (e) { showError(e.message); });
  });

  $('number').addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(event.target);
    request('POST', '/emulator/numbers', { number: data.get('number'), voiceUrl: data.get('voiceUrl'),
      statusCallbackUrl: data.get('statusCallbackUrl'), messagingUrl: data.get('messagingUrl') })
      .then(function () { poll(); })
      .catch(function (e) { showError(e.message); });
  });

  /** Reads the chosen picture as base64 (without the data: prefix), or nothing when none was chosen. */
  function readPicture(file) {
    if (!file || !file.size) { return Promise.resolve(null); }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var url = String(reader.result);
        resolve({ type: file.type || 'application/octet-stream', base64: url.substring(url.indexOf(',') + 1) });
      };
      reader.onerror = function () { reject(new Error('cannot read the picture')); };
      reader.readAsDataURL(file);
    });
  }

  $('send-message').addEventListener('submit', function (event) {
    event.preventDefault();
    var form = event.target;
    var data = new FormData(form);
    readPicture(data.get('picture')).then(function (picture) {
      var fields = { from: data.get('from'), to: data.get('to') || '', body: data.get('body') };
      if (picture) {
        fields.mediaContentType = picture.type;
        fields.mediaBase64 = picture.base64;
      }
      return request('POST', '/emulator/messages', fields);
    }).then(function () { form.elements.body.value = ''; form.elements.picture.value = ''; poll(); })
      .catch(function (e) { showError(e.message); });
  });

  $('voicemail').addEventListener('submit', function (event) {
    event.preventDefault();
    if (!selected) { return; }
    var data = new FormData(event.target);
    request('POST', '/emulator/calls/' + encodeURIComponent(selected) + '/message', { words: data.get('words'),
      seconds: data.get('seconds'), key: data.get('key') || '', transcriptionFails: data.get('transcriptionFails') || '' })
      .then(function () { event.target.elements.words.value = ''; poll(); })
      .catch(function (e) { showError(e.message); });
  });

  $('quiet').addEventListener('click', function () { act('quiet'); });

  Array.prototype.forEach.call(document.querySelectorAll('#keypad button'), function (button) {
    button.addEventListener('click', function () { press(button.getAttribute('data-key')); });
  });

  document.addEventListener('keydown', function (event) {
    if (event.target && event.target.tagName === 'INPUT') { return; }
    if (/^[0-9*#]$/.test(event.key)) { press(event.key); }
  });

  function act(action) {
    if (!selected) { return; }
    request('POST', '/emulator/calls/' + encodeURIComponent(selected) + '/' + action)
      .then(function () { poll(); })
      .catch(function (e) { showError(e.message); });
  }

  ['hangup', 'answer', 'busy', 'no-answer', 'fail'].forEach(function (action) {
    $(action).addEventListener('click', function () { act(action); });
  });

  poll();
  setInterval(poll, 1000);
}());
