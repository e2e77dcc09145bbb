/*
 * The agent console: one page over the app's JSON API, signed in with the browser's session.
 *
 * Its requests go through session.js (X-Requested-With, and the session's CSRF token on every change). Nothing here
 * ever holds card data: the donor keys the card into the IVR, and the page only reads the masked outcome.
 */
'use strict';

(function () {

  /** The agent's outcomes of a call, in the order the buttons show them. */
  const CALL_STATUSES = [
    ['NO_ANSWER', 'No answer'],
    ['BUSY', 'Busy'],
    ['ANSWERING_MACHINE', 'Answering machine'],
    ['WRONG_NUMBER', 'Wrong number'],
    ['CALL_BACK', 'Call back'],
    ['NOT_INTERESTED', 'Not interested'],
    ['PLEDGE', 'Pledge'],
    ['COMPLETE', 'Complete'],
    ['REMOVE', 'Remove'],
    ['DO_NOT_CALL', 'Do not call']
  ];
  const STATUS_WORDS = Object.fromEntries(CALL_STATUSES);

  /** Twilio's statuses of a call, as the agent reads them. */
  const CALL_PROGRESS = {
    queued: 'placing the call',
    initiated: 'dialling',
    ringing: 'ringing',
    'in-progress': 'in progress',
    completed: 'ended',
    busy: 'ended: the line was busy',
    'no-answer': 'ended: nobody answered',
    canceled: 'ended before it was answered',
    failed: 'failed'
  };

  /** A card capture's outcome in words, when the pledge does not describe it itself. */
  const CAPTURE_OUTCOMES = {
    IN_PROGRESS: 'The donor is keying in their card.',
    SUCCEEDED: 'The card was taken.',
    DECLINED: 'The card was declined.',
    RETURNED_TO_AGENT: 'The donor came back to you without paying.',
    CANCELLED_BY_AGENT: 'You brought the donor back before they finished.',
    ABANDONED: 'The donor hung up during card capture.',
    FAILED: 'No payment could be taken: nothing was charged.',
    UNKNOWN: 'The payment is not confirmed yet; it is being checked with the gateway.',
    CANCELLED: 'The card capture was stopped before it had an outcome.'
  };

  const DECLINE_REASONS = {
    INSUFFICIENT_FUNDS: 'insufficient funds',
    EXPIRED_CARD: 'the card has expired',
    INCORRECT_DETAILS: 'the details were not right',
    DECLINED_BY_BANK: 'declined by the bank',
    AUTHENTICATION_REQUIRED: 'the bank asks for authentication'
  };

  const HISTORY_WORDS = {
    IMPORTED: 'imported',
    ADDED_TO_LIST: 'added to a call list',
    LOCKED: 'opened',
    LOCK_OVERRIDDEN: 'taken over',
    LOCK_RELEASED: 'let go',
    CALL_PLACED: 'call placed',
    CALL_ENDED: 'call ended',
    CALL_FAILED: 'call failed',
    NUMBER_INVALID: 'number marked invalid',
    STATUS_RECORDED: 'call status',
    STATUS_EDITED: 'call status edited',
    DIAL_REFUSED: 'call refused by the dialling rules',
    OUTCOME_APPLIED: 'what follows',
    OUTCOME_UNDONE: 'what followed, taken back',
    CALLBACK_SCHEDULED: 'callback scheduled',
    CALLBACK_CHANGED: 'callback changed',
    CALLBACK_DUE: 'callback due',
    CALLBACK_OPENED_TO_TEAM: 'callback opened to the team',
    CALLBACK_OFFERED: 'callback offered',
    CALLBACK_CALLED: 'callback being called',
    CALLBACK_DONE: 'callback kept',
    CALLBACK_RETRY: 'callback to try again',
    CALLBACK_FAILED: 'callback failed',
    CALLBACK_NEGLECTED: 'callback no longer needed',
    CALLBACK_CANCELLED: 'callback cancelled',
    CALLED_IN: 'called in',
    CALLBACK_CALL_REFUSED: 'callback call refused'
  };

  /** Who calls back, in the words agents use. */
  const CALLBACK_MODES = { AGENT: 'Call Back Agent', QUEUE: 'Call Back Queue' };

  /** The windows of My callbacks, in the order they are asked for, each with the word its rows show. */
  const CALLBACK_WINDOWS = [['overdue', 'overdue'], ['due', 'due'], ['upcoming', 'upcoming']];

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  const FREQUENCIES = {
    ONE_OFF: 'one-off', WEEKLY: 'weekly', FORTNIGHTLY: 'fortnightly', MONTHLY: 'monthly', QUARTERLY: 'quarterly',
    ANNUALLY: 'annually'
  };

  const ROLES = { AGENT: 'Agent', AGENT_ADMIN: 'Agent admin', ADMIN_OPS: 'Admin Operations' };

  const PHONE_ENDED = new Set(['completed', 'busy', 'no-answer', 'canceled', 'failed']);

  const state = {
    user: null,
    me: null,
    phoneTimer: null,
    lead: null,
    lists: [],
    call: null,
    callTimer: null,
    outcomeRecorded: false,
    pledge: null,
    capture: null,
    pledgeTimer: null,
    countdown: null,
    offered: null,
    callbacksTimer: null,
    inbound: null,
    queue: null,
    inboundTimer: null
  };

  const $ = (id) => document.getElementById(id);

  const { Refusal, request, api } = window.CallCentre;

  // ------------------------------------------------------------------ talking to the app

  /** Runs what the agent asked for, and shows why if the app refused it. */
  async function act(what) {
    hideError();
    try {
      await what();
    } catch (e) {
      if (!e.sessionEnded) {
        showError(e);
      }
    }
  }

  function showError(e) {
    const box = $('error');
    box.textContent = e instanceof Refusal ? e.message : 'Something went wrong on this page: ' + e.message;
    box.hidden = false;
  }

  function hideError() {
    $('error').hidden = true;
    $('error').textContent = '';
  }

  function on(id, event, handler) {
    $(id).addEventListener(event, (e) => {
      if (event === 'submit') {
        e.preventDefault();
      }
      act(() => handler(e));
    });
  }

  // ------------------------------------------------------------------ signing in and out

  async function loadSession() {
    const session = await request('GET', '/console/session');
    if (!session.signedIn) {
      showSignIn();
      return;
    }
    state.user = { id: session.userId, role: session.role };
    await showConsole();
  }

  function showSignIn() {
    $('console').hidden = true;
    $('who').hidden = true;
    $('phone').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    $('username').focus();
  }

  async function signIn() {
    const failure = $('sign-in-error');
    failure.hidden = true;
    try {
      await request('POST', '/console/login', undefined,
        { username: $('username').value.trim(), password: $('password').value });
    } catch (e) {
      $('password').value = '';
      failure.textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
      failure.hidden = false;
      return;
    }
    $('password').value = '';
    // Signing in gave the session a new CSRF token.
    await loadSession();
  }

  async function signOut() {
    stopCountdown();
    if (isAgent() && state.lead && heldByMe(state.lead) && !callLive()) {
      await releaseQuietly(state.lead.id);
    }
    await request('POST', '/console/logout');
    forgetEverything();
    await loadSession();
  }

  function sessionEnded() {
    forgetEverything();
    showSignIn();
    const failure = $('sign-in-error');
    failure.textContent = 'Your session has ended: sign in again.';
    failure.hidden = false;
    request('GET', '/console/session').catch(() => {});
  }

  function forgetEverything() {
    stopCountdown();
    stopTimer('phoneTimer');
    stopTimer('callTimer');
    stopTimer('pledgeTimer');
    stopTimer('callbacksTimer');
    stopTimer('inboundTimer');
    state.user = null;
    state.me = null;
    state.inbound = null;
    state.queue = null;
    renderInbound();
    clearLead();
  }

  function isAgent() {
    return state.user !== null && state.user.role === 'AGENT';
  }

  async function showConsole() {
    $('sign-in').hidden = true;
    $('console').hidden = false;
    $('who').hidden = false;
    $('phone').hidden = false;
    $('sign-out').hidden = false;
    $('user-id').textContent = state.user.id;
    $('user-role').textContent = ROLES[state.user.role] || state.user.role;
    $('next-lead').hidden = !isAgent();
    await refreshMe();
    await loadInbound();
    await loadMyCallbacks();
  }

  // ------------------------------------------------------------------ the agent's phone

  async function refreshMe() {
    state.me = await api('GET', '/api/agents/me');
    renderPhone();
  }

  function phoneRinging() {
    const phone = state.me && state.me.phone;
    return Boolean(phone) && !phone.connected && !PHONE_ENDED.has(phone.status);
  }

  function renderPhone() {
    const phone = state.me && state.me.phone;
    let text = 'Phone not connected';
    if (phone && phone.connected) {
      text = 'Phone connected';
    } else if (phoneRinging()) {
      text = 'Calling your phone: answer it';
    }
    $('phone-state').textContent = text;
    const live = Boolean(phone) && (phone.connected || phoneRinging());
    $('phone-connect').hidden = live;
    $('phone-disconnect').hidden = !live;
    renderSwitch();
    if (!(phone && phone.connected) && state.inbound && state.inbound.available) {
      // The app ends availability with the phone: read it again now rather than at the next poll.
      schedule('inboundTimer', 0, pollInbound);
    }
    // While the phone rings, look every second; once connected, now and then, to notice a hang-up.
    schedule('phoneTimer', live ? (phone.connected ? 10000 : 1000) : null, pollPhone);
  }

  async function pollPhone() {
    try {
      await refreshMe();
    } catch (e) {
      if (!(e instanceof Refusal && e.status === 401)) {
        schedule('phoneTimer', 5000, pollPhone);
      }
    }
  }

  async function connectPhone() {
    await api('POST', '/api/agents/me/phone');
    await refreshMe();
  }

  async function disconnectPhone() {
    await api('DELETE', '/api/agents/me/phone');
    await refreshMe();
  }

  // ------------------------------------------------------------------ finding and opening leads

  function callLive() {
    return state.call !== null && !state.call.final;
  }

  function heldByMe(lead) {
    return Boolean(lead.lock) && state.user !== null && lead.lock.userId === state.user.id;
  }

  /** Whether the phone console is shown: agents once they hold the lead; the other roles work leads unlocked. */
  function workable() {
    return state.lead !== null && (!isAgent() || heldByMe(state.lead));
  }

  async function nextLead() {
    stopCountdown();
    if (callLive()) {
      throw new Refusal(409, 'Hang up first: the call is still live.');
    }
    const answer = await api('POST', '/api/agents/me/next-lead');
    if (!answer.lead) {
      clearLead();
      $('no-lead').textContent = 'No lead now: ' + (answer.detail || 'nothing can be called now.');
      $('no-lead').hidden = false;
      return;
    }
    await showLead(answer.lead, true, answer.callback);
    await loadMyCallbacks();
  }

  async function openLead() {
    const id = $('open-lead-id').value.trim();
    if (!/^[0-9]+$/.test(id)) {
      throw new Refusal(400, 'A lead number is digits only.');
    }
    await openLeadById(id);
  }

  /** Opens the lead (locked to an agent if nobody holds it); {@code callback}: the callback it is opened for. */
  async function openLeadById(id, callback) {
    stopCountdown();
    if (callLive()) {
      throw new Refusal(409, 'Hang up first: the call is still live.');
    }
    const previous = state.lead;
    if (isAgent()) {
      try {
        await api('POST', '/api/leads/' + id + '/lock');
      } catch (e) {
        // Held by another agent: the lead is shown with its holder, and a deliberate take-over.
        if (!(e instanceof Refusal && e.status === 409 && e.problem && e.problem.lockedBy)) {
          throw e;
        }
      }
    }
    const lead = await api('GET', '/api/leads/' + id);
    if (previous && previous.id !== lead.id && isAgent() && heldByMe(previous)) {
      await releaseQuietly(previous.id);
    }
    await showLead(lead, true, callback);
  }

  async function releaseQuietly(leadId) {
    try {
      await api('DELETE', '/api/leads/' + leadId + '/lock');
    } catch (e) {
      // Let go or not, the lock expires on its own when idle.
    }
  }

  async function reloadLead() {
    const lead = await api('GET', '/api/leads/' + state.lead.id);
    await showLead(lead, false);
  }

  /** Shows the lead; a lead newly opened comes with the callback Next Lead offered it for, if any. */
  async function showLead(lead, fresh, callback) {
    if (fresh) {
      resetWork();
      state.offered = callback || null;
    }
    state.lead = lead;
    $('no-lead').hidden = true;
    renderLead();
    await Promise.all([loadCallLists(fresh), loadHistory(), loadRecordings()]);
  }

  function clearLead() {
    resetWork();
    state.lead = null;
    state.offered = null;
    $('lead').hidden = true;
    $('work').hidden = true;
    $('callback-banner').hidden = true;
    $('callback-banner-call').hidden = true;
  }

  /** A lead newly opened: no call, outcome or pledge of the previous one stays on the screen. */
  function resetWork() {
    stopTimer('callTimer');
    stopTimer('pledgeTimer');
    state.call = null;
    state.outcomeRecorded = false;
    state.pledge = null;
    state.capture = null;
    state.lists = [];
    closeCallbackForm();
    $('outcome-note').value = '';
    $('outcome-result').hidden = true;
    $('pledge-form').hidden = false;
    $('pledge-taken').hidden = true;
    $('pledge-amount').value = '';
    $('capture-outcome').hidden = true;
    $('capture-state').textContent = '';
    $('callback-banner-call').hidden = true;
    $('callback-banner-call').textContent = '';
    renderCall();
  }

  function leadName(lead) {
    const name = [lead.firstName, lead.lastName].filter((part) => part && part.trim()).join(' ');
    return name || 'No name';
  }

  function renderLead() {
    const lead = state.lead;
    $('lead').hidden = false;
    $('lead-name').textContent = leadName(lead);
    $('lead-id').textContent = String(lead.id);
    $('lead-ref').textContent = lead.externalRef ? ' · ' + lead.externalRef : '';
    const phones = $('lead-phones');
    phones.replaceChildren();
    for (const phone of lead.phones) {
      const item = document.createElement('li');
      item.append(phone.number);
      if (phone.doNotCall) {
        item.append(' ', badge('on the do-not-call list', 'bad'));
      }
      if (phone.invalid) {
        item.append(' ', badge('invalid number', 'bad'));
      }
      phones.append(item);
    }
    if (lead.phones.length === 0) {
      phones.append(listItem('no number'));
    }
    $('lead-status').textContent = lead.lastCallStatus ? STATUS_WORDS[lead.lastCallStatus] || lead.lastCallStatus
      : 'none yet';
    $('lead-attempts').textContent = String(lead.attempts);
    $('lead-zone').textContent = lead.timeZone || '';
    renderCallbackBanner();
    renderLock();
    renderWork();
  }

  function renderLock() {
    const lead = state.lead;
    const lock = lead.lock;
    let text;
    if (!lock) {
      text = isAgent() ? 'Nobody holds this lead.' : 'Nobody holds this lead (you work it without a lock).';
    } else if (heldByMe(lead)) {
      text = 'You hold this lead since ' + when(lock.since) + '.';
    } else {
      text = 'Locked by ' + lock.userId + ' since ' + when(lock.since) + '.';
    }
    $('lead-lock').textContent = text;
    $('take-over').hidden = !(isAgent() && lock && !heldByMe(lead));
  }

  function renderWork() {
    const lead = state.lead;
    const open = workable();
    $('work').hidden = !open;
    if (!open) {
      return;
    }
    const blocked = $('blocked');
    if (lead.callable) {
      blocked.hidden = true;
      blocked.textContent = '';
    } else {
      // In place of the phone button: why this lead cannot be called (the blocking statuses' sentence, say).
      blocked.textContent = lead.notCallableReason;
      blocked.hidden = false;
    }
    const select = $('dial-number');
    const chosen = select.value;
    select.replaceChildren();
    for (const phone of lead.phones.filter((p) => !p.doNotCall && !p.invalid)) {
      select.append(new Option(phone.number, phone.number, false, phone.number === chosen));
    }
    $('dial').hidden = !lead.callable && !callLive();
    const editable = Boolean(lead.lastCallStatus);
    $('edit-status-form').hidden = !editable;
    const current = lead.id + ':' + lead.lastCallStatus;
    if (editable && $('edit-status').dataset.shows !== current) {
      // Offered as it is, until the agent chooses another.
      $('edit-status').value = lead.lastCallStatus;
      $('edit-status').dataset.shows = current;
    }
    renderCall();
  }

  // ------------------------------------------------------------------ locks: the deliberate take-over

  function askTakeOver() {
    const lead = state.lead;
    $('take-over-question').textContent = 'Lead ' + lead.id + ' (' + leadName(lead) + ') is held by '
      + lead.lock.userId + ' since ' + when(lead.lock.since) + '. If you take it over, they can no longer call it '
      + 'or record its outcome. Take it over only if you must.';
    const dialog = $('take-over-dialog');
    dialog.returnValue = '';
    dialog.showModal();
  }

  async function takeOver() {
    await api('POST', '/api/leads/' + state.lead.id + '/lock?override=true');
    await reloadLead();
  }

  // ------------------------------------------------------------------ the call

  async function placeCall() {
    stopCountdown();
    const number = $('dial-number').value;
    const body = number ? { phone: number } : {};
    const offered = offeredHere();
    if (offered && offered.overrideCallingHours) {
      // The person asked for this time, outside the campaign's calling hours: the callback was scheduled so.
      body.overrideCallingHours = true;
    }
    const placed = await api('POST', '/api/leads/' + state.lead.id + '/calls', body);
    state.call = { id: placed.id, callSid: placed.callSid, to: placed.to, status: placed.status, final: false,
      durationSeconds: null, errorMessage: null };
    state.outcomeRecorded = false;
    $('outcome-result').hidden = true;
    renderCall();
    schedule('callTimer', 1000, pollCall);
  }

  async function pollCall() {
    const call = state.call;
    if (!call) {
      return;
    }
    try {
      const seen = await api('GET', '/api/calls/' + call.id);
      if (state.call !== call) {
        return;
      }
      const moved = seen.status !== call.status || (seen.callSid && !call.callSid);
      Object.assign(call, { callSid: seen.callSid, to: seen.to, status: seen.status, final: seen.final,
        durationSeconds: seen.durationSeconds, errorMessage: seen.errorMessage });
      renderCall();
      if (call.final) {
        await reloadLead();
        maybeStartCountdown();
        return;
      }
      if (moved) {
        // The lead's attempts and history move with the call.
        await reloadLead();
      }
    } catch (e) {
      if (e instanceof Refusal && e.status === 401) {
        return;
      }
    }
    schedule('callTimer', 1000, pollCall);
  }

  async function hangUp() {
    await api('DELETE', '/api/calls/' + state.call.id);
    $('call-detail').textContent = 'hanging up…';
  }

  function renderCall() {
    const call = state.call;
    const live = callLive();
    $('call').hidden = live;
    $('call').disabled = live;
    $('hang-up').hidden = !live;
    $('dial-number').disabled = live;
    if (!call) {
      $('call-status').textContent = 'no call yet';
      $('call-detail').textContent = '';
    } else {
      $('call-status').textContent = CALL_PROGRESS[call.status] || call.status || 'placing the call';
      let detail = '';
      if (call.final && call.durationSeconds !== null && call.durationSeconds !== undefined) {
        detail = 'after ' + call.durationSeconds + ' s';
      }
      if (call.errorMessage) {
        detail = call.errorMessage;
      }
      $('call-detail').textContent = detail;
    }
    $('next-lead').disabled = live;
    $('open-lead').disabled = live;
    renderCaptureButton();
  }

  // ------------------------------------------------------------------ outcomes and the countdown to the next lead

  /**
   * Records the outcome; {@code callback}, if given, is scheduled with it in the same request, and {@code afterwards}
   * is said after it.
   */
  async function recordOutcome(status, afterwards, callback) {
    const body = { status: status };
    if (callback) {
      body.callback = callback;
    }
    if (state.call) {
      body.callId = state.call.id;
    }
    const note = $('outcome-note').value.trim();
    if (note) {
      body.note = note;
    }
    const answer = await api('POST', '/api/leads/' + state.lead.id + '/call-statuses', body);
    state.outcomeRecorded = true;
    $('outcome-note').value = '';
    let text = 'Recorded: ' + STATUS_WORDS[status] + '.';
    if (answer && answer.decision) {
      text += ' What follows: ' + decisionWords(answer.decision) + '.';
    }
    if (afterwards) {
      text += ' ' + afterwards;
    }
    $('outcome-result').textContent = text;
    $('outcome-result').hidden = false;
    await reloadLead();
    maybeStartCountdown();
  }

  function decisionWords(decision) {
    let words = String(decision.action || 'nothing').toLowerCase().replace(/_/g, ' ');
    if (decision.retryAt) {
      words += ', from ' + when(decision.retryAt);
    }
    return words;
  }

  async function editLatestStatus() {
    const lead = await api('PUT', '/api/leads/' + state.lead.id + '/call-statuses/latest',
      { status: $('edit-status').value });
    await showLead(lead, false);
  }

  /** After an outcome, once no call is live, agents get the next lead after the countdown (0: never). */
  function maybeStartCountdown() {
    const seconds = state.me ? state.me.nextLeadCountdownSeconds : 0;
    if (!isAgent() || !state.outcomeRecorded || callLive() || state.countdown || !(seconds > 0)) {
      return;
    }
    state.countdown = { deadline: Date.now() + seconds * 1000, remainingMs: seconds * 1000, paused: false,
      timer: setInterval(tick, 200) };
    renderCountdown();
  }

  function tick() {
    const countdown = state.countdown;
    if (!countdown || countdown.paused) {
      return;
    }
    countdown.remainingMs = Math.max(0, countdown.deadline - Date.now());
    renderCountdown();
    if (countdown.remainingMs === 0) {
      stopCountdown();
      act(nextLead);
    }
  }

  function pauseCountdown() {
    const countdown = state.countdown;
    if (countdown && !countdown.paused) {
      countdown.remainingMs = Math.max(0, countdown.deadline - Date.now());
      countdown.paused = true;
      renderCountdown();
    }
  }

  function resumeCountdown() {
    const countdown = state.countdown;
    if (countdown && countdown.paused) {
      countdown.deadline = Date.now() + countdown.remainingMs;
      countdown.paused = false;
      renderCountdown();
    }
  }

  function stopCountdown() {
    if (state.countdown) {
      clearInterval(state.countdown.timer);
      state.countdown = null;
    }
    $('countdown').hidden = true;
  }

  function renderCountdown() {
    const countdown = state.countdown;
    $('countdown').hidden = !countdown;
    if (!countdown) {
      return;
    }
    $('countdown-seconds').textContent = String(Math.ceil(countdown.remainingMs / 1000));
    $('countdown-paused').hidden = !countdown.paused;
    $('countdown-pause').hidden = countdown.paused;
    $('countdown-resume').hidden = !countdown.paused;
  }

  // ------------------------------------------------------------------ callbacks

  /** The callback Next Lead offered the lead shown for, if any. */
  function offeredHere() {
    const callback = state.offered;
    return callback && state.lead && callback.leadId === state.lead.id ? callback : null;
  }

  /** "Callback due 14:30 Europe/London (Call Back Queue): after the school run", above the lead. */
  function renderCallbackBanner() {
    const callback = offeredHere();
    $('callback-banner').hidden = !callback;
    if (!callback) {
      return;
    }
    $('callback-banner-text').textContent = 'Callback due ' + dueWords(callback.dueAtLocal, callback.timeZone) + ' '
      + callback.timeZone + ' (' + (CALLBACK_MODES[callback.mode] || callback.mode) + '): ' + callback.reason;
    $('callback-banner-detail').textContent = 'Attempts so far: ' + callback.attempts + '.'
      + (callback.overrideCallingHours ? ' The person asked for this time, outside the calling hours: the call '
        + 'may be placed now.' : '');
  }

  /** The Call back button: the form that schedules the callback and records the outcome. */
  async function callBackClicked() {
    if (!$('callback-form').hidden) {
      closeCallbackForm();
      return;
    }
    fillZones(state.lead.timeZone);
    // A Call Back Agent callback is an agent's own: the other roles give theirs to the team's queue.
    $('callback-mode-agent').disabled = !isAgent();
    if (!isAgent()) {
      $('callback-mode-queue').checked = true;
    }
    $('callback-error').hidden = true;
    $('callback-form').hidden = false;
    callBackButton().classList.add('active');
    $('callback-due').focus();
  }

  function callBackButton() {
    return document.querySelector('#outcome-buttons button[data-status="CALL_BACK"]');
  }

  function closeCallbackForm() {
    $('callback-form').hidden = true;
    const button = callBackButton();
    if (button) {
      button.classList.remove('active');
    }
    $('callback-error').hidden = true;
    $('callback-error').textContent = '';
    $('callback-due').value = '';
    $('callback-reason').value = '';
    $('callback-mode-agent').checked = true;
    $('callback-override').checked = false;
  }

  /** The zones offered, the lead's first chosen; each time the form opens. */
  function fillZones(leadZone) {
    const select = $('callback-zone');
    if (select.options.length === 0) {
      let zones = [];
      try {
        zones = Intl.supportedValuesOf('timeZone');
      } catch (e) {
        zones = [];
      }
      for (const zone of zones) {
        select.append(new Option(zone, zone));
      }
    }
    const zone = leadZone || 'UTC';
    if (![...select.options].some((option) => option.value === zone)) {
      select.prepend(new Option(zone, zone));
    }
    select.value = zone;
  }

  /**
   * Records Call back with the callback in one request: both are kept, or neither (a refusal is shown next to the
   * form). When the call's outcome is recorded already, only the callback is scheduled.
   */
  async function scheduleCallback() {
    const failure = $('callback-error');
    failure.hidden = true;
    const lead = state.lead;
    const mode = $('callback-mode-queue').checked ? 'QUEUE' : 'AGENT';
    const callback = {
      dueAt: $('callback-due').value,
      timeZone: $('callback-zone').value,
      reason: $('callback-reason').value.trim(),
      mode: mode,
      overrideCallingHours: $('callback-override').checked
    };
    if (state.call && state.call.to) {
      callback.phone = state.call.to;
    }
    const words = 'Callback scheduled for ' + wallClock(callback.dueAt) + ' ' + callback.timeZone + ' ('
      + CALLBACK_MODES[mode] + ').';
    try {
      if (state.outcomeRecorded) {
        const body = Object.assign({ leadId: lead.id }, callback);
        if (state.call) {
          body.callId = state.call.id;
        }
        await api('POST', '/api/callbacks', body);
        $('outcome-result').textContent += ' ' + words;
      } else {
        await recordOutcome('CALL_BACK', words, callback);
      }
    } catch (e) {
      if (!e.sessionEnded) {
        failure.textContent = e.message;
        failure.hidden = false;
      }
      return;
    }
    closeCallbackForm();
    await loadMyCallbacks();
  }

  /** The agent's own callbacks, overdue, due and upcoming, with each due time in the lead's zone and the agent's. */
  async function loadMyCallbacks() {
    stopTimer('callbacksTimer');
    const section = $('my-callbacks');
    if (!isAgent()) {
      section.hidden = true;
      return;
    }
    const viewer = encodeURIComponent(viewerZone());
    const answers = await Promise.all(CALLBACK_WINDOWS.map(([window]) => api('GET',
      '/api/callbacks?ownerUserId=me&window=' + window + '&viewerTimeZone=' + viewer)));
    const rows = [];
    CALLBACK_WINDOWS.forEach(([, word], i) => answers[i].forEach((callback) => rows.push([callback, word])));
    rows.sort((a, b) => Date.parse(a[0].dueAtUtc) - Date.parse(b[0].dueAtUtc) || a[0].id - b[0].id);
    const list = $('my-callbacks-list');
    list.replaceChildren();
    for (const [callback, word] of rows) {
      const row = document.createElement('tr');
      row.dataset.callback = String(callback.id);
      const status = cell(callbackStatusWords(callback, word));
      if (callback.status === 'DUE') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'call-back-now';
        button.textContent = 'Call back now';
        button.addEventListener('click', () => act(() => callBackNow(callback, button)));
        status.append(button);
      }
      row.append(
        cell((callback.leadName || 'No name') + ' (lead ' + callback.leadId + ')'),
        cell(wallClock(callback.dueAtLeadZone) + ' ' + (callback.leadTimeZone || '')),
        cell(wallClock(callback.dueAtViewer) + ' ' + (callback.viewerTimeZone || '')),
        cell(callback.reason),
        status);
      list.append(row);
    }
    $('my-callbacks-table').hidden = rows.length === 0;
    $('my-callbacks-none').hidden = rows.length > 0;
    section.hidden = false;
    // Callbacks fall due while the page is open: look again now and then.
    schedule('callbacksTimer', 60000, () => act(loadMyCallbacks));
  }

  /**
   * Calls a due callback back agent-first: the agent's phone rings (or, connected, hears "This is the callback
   * call…"), then the person is dialled. The lead opens with the callback's banner, and the call shows once placed.
   * A refusal is shown under My callbacks.
   */
  async function callBackNow(callback, button) {
    const failure = $('my-callbacks-error');
    failure.hidden = true;
    if (callLive()) {
      throw new Refusal(409, 'Hang up first: the call is still live.');
    }
    button.disabled = true;
    let offered;
    try {
      offered = await api('POST', '/api/callbacks/' + callback.id + '/call');
    } catch (e) {
      button.disabled = false;
      if (!e.sessionEnded) {
        failure.textContent = e.message;
        failure.hidden = false;
      }
      return;
    }
    const connected = Boolean(state.me && state.me.phone && state.me.phone.connected);
    await openLeadById(offered.leadId, offered);
    const words = $('callback-banner-call');
    words.textContent = (connected ? 'Your phone will hear "This is the callback call…"' : 'Your phone will ring… '
      + 'answer it: you hear "This is the callback call…"') + ', then ' + offered.phone + ' is dialled.';
    words.hidden = false;
    schedule('callTimer', 1000, () => awaitCallbackCall(offered));
    await Promise.all([refreshMe(), loadMyCallbacks()]);
  }

  /** Once the agent has answered, the person's call serves the callback: the console follows that call. */
  async function awaitCallbackCall(offered) {
    if (!state.lead || state.lead.id !== offered.leadId || state.call) {
      return;
    }
    try {
      const seen = await api('GET', '/api/callbacks/' + offered.id);
      if (seen.servedByCallId) {
        state.call = { id: seen.servedByCallId, callSid: null, to: seen.phone, status: null, final: false,
          durationSeconds: null, errorMessage: null };
        state.outcomeRecorded = false;
        $('callback-banner-call').hidden = true;
        renderCall();
        schedule('callTimer', 0, pollCall);
        return;
      }
      if (seen.status !== 'OFFERED') {
        $('callback-banner-call').textContent = 'The callback call did not start: the callback is '
          + seen.status.toLowerCase().replace(/_/g, ' ') + ' now.';
        return;
      }
    } catch (e) {
      if (e instanceof Refusal && e.status === 401) {
        return;
      }
    }
    schedule('callTimer', 1000, () => awaitCallbackCall(offered));
  }

  function callbackStatusWords(callback, window) {
    if (callback.status === 'OFFERED') {
      return window + ', offered to ' + (callback.offeredTo === state.user.id ? 'you' : callback.offeredTo);
    }
    if (callback.status === 'IN_CALL') {
      return window + ', being called';
    }
    return window;
  }

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  /** The browser's own time zone, in which My callbacks also shows each due time. */
  function viewerZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch (e) {
      return 'UTC';
    }
  }

  /** A date-time as written in its zone ("2027-03-28T14:30:00+01:00", or typed): "28 Mar 2027, 14:30". */
  function wallClock(iso) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso || '');
    if (!parts) {
      return iso || '';
    }
    return Number(parts[3]) + ' ' + MONTHS[Number(parts[2]) - 1] + ' ' + parts[1] + ', ' + parts[4] + ':'
      + parts[5];
  }

  /** The due time in its zone: the time alone when it is today there, else the date too. */
  function dueWords(iso, zone) {
    let today = '';
    try {
      today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
        .format(new Date());
    } catch (e) {
      today = '';
    }
    const text = wallClock(iso);
    return iso && today && iso.startsWith(today) ? text.substring(text.indexOf(', ') + 2) : text;
  }

  // ------------------------------------------------------------------ inbound calls

  /** The agent's availability, the inbound call being put through, and the team's queue; agents only. */
  async function loadInbound() {
    stopTimer('inboundTimer');
    if (!isAgent()) {
      state.inbound = null;
      state.queue = null;
      renderInbound();
      return;
    }
    state.inbound = await api('GET', '/api/agents/me/inbound');
    state.queue = await loadQueue();
    renderInbound();
  }

  /** The team's queue, or null for an agent in no team. */
  async function loadQueue() {
    const teamId = state.inbound && state.inbound.teamId;
    return teamId === null || teamId === undefined ? null : api('GET', '/api/queues/' + teamId);
  }

  /** Read again every 2 seconds while the agent is available or on an inbound call. */
  async function pollInbound() {
    try {
      state.inbound = await api('GET', '/api/agents/me/inbound');
      state.queue = await loadQueue();
    } catch (e) {
      if (e instanceof Refusal && e.status === 401) {
        return;
      }
    }
    renderInbound();
  }

  async function setAvailable() {
    const wanted = $('available').checked;
    try {
      state.inbound = await api('POST', '/api/agents/me/availability', { available: wanted });
      state.queue = await loadQueue();
    } finally {
      // Refused, the switch shows what the app holds.
      renderInbound();
    }
  }

  function renderInbound() {
    const inbound = isAgent() ? state.inbound : null;
    $('available-switch').hidden = !inbound;
    renderSwitch();
    renderQueue();
    renderIncoming();
    const watching = Boolean(inbound) && (inbound.available || Boolean(inbound.call));
    schedule('inboundTimer', watching ? 2000 : null, pollInbound);
  }

  /** The switch works only with the phone connected: callers are put through to it. */
  function renderSwitch() {
    const toggle = $('available');
    const connected = Boolean(state.me && state.me.phone && state.me.phone.connected);
    toggle.checked = Boolean(state.inbound && state.inbound.available);
    toggle.disabled = !connected;
    $('available-switch').title = connected ? 'Callers waiting in your team\'s queue are put through to your phone'
      : 'Connect your phone first: callers are put through to it';
  }

  /** "Queue: 2 waiting, longest 1:05", longest waiting first as the app answers them. */
  function renderQueue() {
    const queue = isAgent() ? state.queue : null;
    $('queue').hidden = !queue;
    if (!queue) {
      return;
    }
    const waiting = queue.waiting.length;
    $('queue').textContent = 'Queue: ' + waiting + ' waiting'
      + (waiting > 0 ? ', longest ' + minutesSeconds(queue.waiting[0].waitingSeconds) : '');
  }

  /** The caller being put through or talked to, and the lead their number matches. */
  function renderIncoming() {
    const call = isAgent() && state.inbound ? state.inbound.call : null;
    $('incoming').hidden = !call;
    if (!call) {
      return;
    }
    $('incoming-from').textContent = call.from;
    const seconds = call.since ? Math.max(0, Math.round((Date.now() - Date.parse(call.since)) / 1000)) : 0;
    $('incoming-since').textContent = call.status === 'ASSIGNED' ? 'put through ' + minutesSeconds(seconds) + ' ago'
      : 'being put through to your phone';
    const matched = call.leadId !== null && call.leadId !== undefined;
    $('incoming-lead').hidden = !matched;
    $('incoming-no-lead').hidden = matched;
    if (matched) {
      $('incoming-lead-name').textContent = (call.leadName || 'No name') + ' (lead ' + call.leadId + ')';
      $('incoming-open-lead').dataset.lead = String(call.leadId);
    }
  }

  async function openIncomingLead() {
    await openLeadById($('incoming-open-lead').dataset.lead);
  }

  function minutesSeconds(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    return Math.floor(whole / 60) + ':' + String(whole % 60).padStart(2, '0');
  }

  // ------------------------------------------------------------------ the pledge and card capture

  /** The campaigns of the lead's call lists: a pledge on the lead belongs to one of them. */
  async function loadCallLists(fresh) {
    const lead = state.lead;
    const lists = await api('GET', '/api/leads/' + lead.id + '/call-lists');
    if (state.lead !== lead) {
      return;
    }
    state.lists = lists;
    $('lead-lists').textContent = lists.length === 0 ? 'none'
      : lists.map((list) => list.name + ' (' + list.campaignName + ')').join(', ');
    const campaigns = new Map();
    for (const list of lists) {
      campaigns.set(list.campaignId, list);
    }
    const select = $('pledge-campaign');
    const chosen = select.value;
    select.replaceChildren();
    for (const [id, list] of campaigns) {
      select.append(new Option(list.campaignName + ' (' + list.currency + ')', String(id), false,
        String(id) === chosen));
    }
    $('pledge-campaign-row').hidden = campaigns.size < 2;
    if (fresh || !$('pledge-currency').value) {
      fillCurrency();
    }
  }

  function fillCurrency() {
    const campaign = state.lists.find((list) => String(list.campaignId) === $('pledge-campaign').value);
    $('pledge-currency').value = campaign ? campaign.currency : '';
  }

  async function takePledge() {
    const campaignId = $('pledge-campaign').value;
    if (!campaignId) {
      throw new Refusal(409, 'This lead is in no call list, so it has no campaign to pledge to.');
    }
    const lead = state.lead;
    const numbers = lead.phones.filter((p) => !p.invalid);
    const donorPhone = (state.call && state.call.to) || $('dial-number').value || (numbers[0] && numbers[0].number);
    const created = await api('POST', '/api/pledges', {
      campaignId: Number(campaignId),
      leadId: lead.id,
      donorName: leadName(lead),
      donorPhone: donorPhone,
      amount: $('pledge-amount').value.trim(),
      currency: $('pledge-currency').value.trim().toUpperCase(),
      frequency: $('pledge-frequency').value
    });
    await loadPledge(created.id);
  }

  async function loadPledge(id) {
    state.pledge = await api('GET', '/api/pledges/' + id);
    renderPledge();
  }

  function renderPledge() {
    const pledge = state.pledge;
    $('pledge-form').hidden = true;
    $('pledge-taken').hidden = false;
    $('pledge-summary').textContent = 'Pledge ' + pledge.id + ': ' + money(pledge.amount, pledge.currency) + ' '
      + (FREQUENCIES[pledge.frequency] || pledge.frequency) + (pledge.paid ? ', paid' : '') + '.';
    renderCaptureButton();
  }

  function renderCaptureButton() {
    const button = $('card-capture');
    const capturing = Boolean(state.capture && state.capture.active);
    const callAnswered = callLive() && state.call.status === 'in-progress' && Boolean(state.call.callSid);
    button.disabled = !state.pledge || !(capturing || callAnswered);
    button.classList.toggle('active', capturing);
    $('card-capture-label').textContent = capturing ? 'Bring the donor back' : 'Take the card';
    button.title = capturing ? 'Bring the donor back to the call'
      : callAnswered ? 'Send the donor to card capture: they key their card in, you stay on the call'
        : 'Card capture needs a pledge and a call the donor has answered';
  }

  async function toggleCardCapture() {
    const pledge = state.pledge;
    if (state.capture && state.capture.active) {
      await api('DELETE', '/api/pledges/' + pledge.id + '/card-capture');
      $('capture-state').textContent = 'Bringing the donor back to you…';
      return;
    }
    const started = await api('POST', '/api/pledges/' + pledge.id + '/card-capture', { callSid: state.call.callSid });
    state.capture = { id: started.captureId, active: true };
    $('capture-outcome').hidden = true;
    $('capture-state').textContent = CAPTURE_OUTCOMES.IN_PROGRESS + ' You stay on the call; click the card again '
      + 'to bring them back.';
    renderCaptureButton();
    schedule('pledgeTimer', 1000, pollPledge);
  }

  async function pollPledge() {
    const capture = state.capture;
    const pledge = state.pledge;
    if (!capture || !pledge) {
      return;
    }
    try {
      const seen = await api('GET', '/api/pledges/' + pledge.id);
      if (state.capture !== capture) {
        return;
      }
      state.pledge = seen;
      const latest = seen.cardCapture;
      if (latest && latest.id === capture.id && latest.status !== 'IN_PROGRESS') {
        capture.active = false;
        renderPledge();
        renderCaptureOutcome(seen);
        return;
      }
    } catch (e) {
      if (e instanceof Refusal && e.status === 401) {
        return;
      }
    }
    schedule('pledgeTimer', 1000, pollPledge);
  }

  function renderCaptureOutcome(pledge) {
    const capture = pledge.cardCapture;
    let description = capture.description || CAPTURE_OUTCOMES[capture.status] || capture.status;
    if (capture.declineReason && !capture.description) {
      description += ' (' + (DECLINE_REASONS[capture.declineReason] || capture.declineReason) + ')';
    }
    $('capture-state').textContent = 'Card capture ended.';
    $('capture-description').textContent = description;
    $('capture-card').textContent = capture.maskedCard || pledge.maskedCard || 'none';
    $('capture-paid').textContent = pledge.paid ? 'yes' : 'no';
    $('capture-token').textContent = pledge.tokenPresent ? 'yes' : 'no';
    $('capture-outcome').hidden = false;
  }

  // ------------------------------------------------------------------ history and recordings

  async function loadHistory() {
    const lead = state.lead;
    const events = await api('GET', '/api/leads/' + lead.id + '/history');
    if (state.lead !== lead) {
      return;
    }
    const list = $('lead-history');
    list.replaceChildren();
    for (const event of events.slice().reverse()) {
      const item = document.createElement('li');
      const at = document.createElement('span');
      at.className = 'when';
      at.textContent = when(event.at);
      item.append(at, ' ' + (event.userId ? event.userId + ': ' : '') + (HISTORY_WORDS[event.kind] || event.kind)
        + (event.detail ? ' (' + statusesInWords(event.detail) + ')' : ''));
      list.append(item);
    }
  }

  /** The lead's call recordings, where the app keeps them and the user may hear them; otherwise no section. */
  async function loadRecordings() {
    const lead = state.lead;
    let recordings;
    try {
      recordings = await request('GET', '/api/leads/' + lead.id + '/recordings');
    } catch (e) {
      recordings = null;
    }
    if (state.lead !== lead) {
      return;
    }
    const section = $('recordings');
    const list = $('recording-list');
    list.replaceChildren();
    if (!Array.isArray(recordings)) {
      section.hidden = true;
      return;
    }
    for (const recording of recordings) {
      const item = document.createElement('li');
      const duration = recording.durationSeconds === null || recording.durationSeconds === undefined ? ''
        : ', ' + recording.durationSeconds + ' s';
      item.append(when(recording.startedAt) + duration + (recording.status ? ', ' + recording.status : ''));
      if (recording.archived) {
        item.append(' ', badge('archived: ask Admin Operations to restore it', 'bad'));
      } else {
        const audio = document.createElement('audio');
        audio.controls = true;
        audio.preload = 'none';
        audio.src = '/api/recordings/' + encodeURIComponent(recording.id) + '/media';
        item.append(audio);
      }
      list.append(item);
    }
    if (recordings.length === 0) {
      list.append(listItem('no recording yet'));
    }
    section.hidden = false;
  }

  // ------------------------------------------------------------------ small helpers

  function schedule(timer, delay, what) {
    stopTimer(timer);
    if (delay !== null) {
      state[timer] = setTimeout(() => {
        state[timer] = null;
        what();
      }, delay);
    }
  }

  function stopTimer(timer) {
    if (state[timer]) {
      clearTimeout(state[timer]);
      state[timer] = null;
    }
  }

  /** A history detail with the call statuses it names in words ("PLEDGE (call 1)": "Pledge (call 1)"). */
  function statusesInWords(detail) {
    return detail.replace(/\b[A-Z]+(?:_[A-Z]+)*\b/g, (code) => STATUS_WORDS[code] || code);
  }

  function badge(text, kind) {
    const span = document.createElement('span');
    span.className = 'badge ' + kind;
    span.textContent = text;
    return span;
  }

  function listItem(text) {
    const item = document.createElement('li');
    item.textContent = text;
    return item;
  }

  function when(iso) {
    if (!iso) {
      return '';
    }
    return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit',
      minute: '2-digit', second: '2-digit' });
  }

  function money(amount, currency) {
    try {
      return new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency }).format(Number(amount));
    } catch (e) {
      return amount + ' ' + currency;
    }
  }

  // ------------------------------------------------------------------ wiring

  function wire() {
    on('sign-in-form', 'submit', signIn);
    on('sign-out', 'click', signOut);
    on('phone-connect', 'click', connectPhone);
    on('phone-disconnect', 'click', disconnectPhone);
    on('available', 'change', setAvailable);
    on('incoming-open-lead', 'click', openIncomingLead);
    on('next-lead', 'click', nextLead);
    on('open-lead-form', 'submit', openLead);
    on('take-over', 'click', askTakeOver);
    $('take-over-dialog').addEventListener('close', () => {
      if ($('take-over-dialog').returnValue === 'confirm') {
        act(takeOver);
      }
    });
    on('call', 'click', placeCall);
    on('hang-up', 'click', hangUp);
    on('edit-status-form', 'submit', editLatestStatus);
    on('pledge-form', 'submit', takePledge);
    on('pledge-campaign', 'change', fillCurrency);
    on('card-capture', 'click', toggleCardCapture);
    on('countdown-pause', 'click', pauseCountdown);
    on('countdown-resume', 'click', resumeCountdown);
    on('countdown-now', 'click', nextLead);
    on('callback-form', 'submit', scheduleCallback);
    on('callback-cancel', 'click', closeCallbackForm);
    on('my-callbacks-refresh', 'click', loadMyCallbacks);
    const buttons = $('outcome-buttons');
    const edit = $('edit-status');
    for (const [status, words] of CALL_STATUSES) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.status = status;
      button.textContent = words;
      button.addEventListener('click', () => act(() => (status === 'CALL_BACK' ? callBackClicked()
        : recordOutcome(status))));
      buttons.append(button);
      edit.append(new Option(words, status));
    }
  }

  window.CallCentre.whenSessionEnds(sessionEnded);

  document.addEventListener('DOMContentLoaded', () => {
    wire();
    act(loadSession);
  });
}());
