/*
 * The Call Center pages: the groups, their open tickets, a ticket, and mail to the end-user or the owner. One page
 * over the app's JSON API, signed in with the same session as the agent console; the address after '#' names the
 * view (#/, #/settings, #/group/KEY, #/group/KEY/closed, #/group/KEY/new, #/ticket/N, #/ticket/N/reply,
 * #/ticket/N/owner), so the browser's Back button and links work.
 *
 * Everything an end-user wrote is put in the page as text (textContent, never innerHTML). An email's HTML is shown
 * only inside an iframe with an empty sandbox (no scripts, no forms, a unique origin), and the page's own
 * Content-Security-Policy allows no inline script either.
 */
'use strict';

(function () {

  const STATUSES = {
    NEED_TO_CONTACT: 'Need to contact the end-user',
    WAITING_ON_END_USER: 'Waiting on the end-user',
    WAITING_FOR_EVENT: 'Waiting for an event',
    COMPLETED: 'Completed',
    CLOSED: 'Closed'
  };

  const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

  const CHANNELS = { EMAIL: 'Email', WEB_FORM: 'Web form', VOICEMAIL: 'Voicemail', MESSAGE: 'Text message' };

  const SVG = 'http://www.w3.org/2000/svg';

  const state = {
    user: null,
    groups: null,
    sort: '-updated',
    mineOnly: false,
    lastGroup: sessionStorage.getItem('tickets.lastGroup'),
    ticket: null,
    canned: [],
    mail: null,
    pendingNotice: null
  };

  const $ = (id) => document.getElementById(id);

  const { Refusal, request, api } = window.CallCentre;

  // ------------------------------------------------------------------ talking to the app

  /** Runs what the user asked for, and shows why if the app refused it. */
  async function act(what) {
    hideMessages();
    try {
      await what();
    } catch (e) {
      if (!e.sessionEnded) {
        showError(e);
      }
    }
  }

  function showError(e) {
    $('error').textContent = e instanceof Refusal ? e.message : 'Something went wrong on this page: ' + e.message;
    $('error').hidden = false;
    window.scrollTo(0, 0);
  }

  function notice(text) {
    $('notice').textContent = text;
    $('notice').hidden = false;
  }

  function hideMessages() {
    $('error').hidden = true;
    $('notice').hidden = true;
  }

  function on(id, event, handler) {
    $(id).addEventListener(event, (e) => {
      if (event === 'submit') {
        e.preventDefault();
      }
      act(() => handler(e));
    });
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(name, value === true ? '' : value);
      }
    });
    children.flat().forEach((child) => {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    });
    return node;
  }

  function when(instant) {
    return instant ? new Date(instant).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' }) : '';
  }

  // ------------------------------------------------------------------ signing in and out

  async function loadSession() {
    const session = await request('GET', '/console/session');
    if (!session.signedIn) {
      showSignIn();
      return;
    }
    state.user = { id: session.userId, role: session.role };
    $('user-id').textContent = session.userId;
    $('who').hidden = false;
    $('sign-in').hidden = true;
    await route();
  }

  function showSignIn() {
    showPage(null);
    $('who').hidden = true;
    $('sign-in').hidden = false;
    $('username').focus();
  }

  async function signIn() {
    $('sign-in-error').hidden = true;
    try {
      await request('POST', '/console/login', undefined,
        { username: $('username').value.trim(), password: $('password').value });
    } catch (e) {
      $('password').value = '';
      $('sign-in-error').textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
      $('sign-in-error').hidden = false;
      return;
    }
    $('password').value = '';
    await loadSession();
  }

  async function signOut() {
    await request('POST', '/console/logout');
    state.user = null;
    state.groups = null;
    await loadSession();
  }

  function sessionEnded() {
    state.user = null;
    state.groups = null;
    showSignIn();
    $('sign-in-error').textContent = 'Your session has ended: sign in again.';
    $('sign-in-error').hidden = false;
    request('GET', '/console/session').catch(() => {});
  }

  // ------------------------------------------------------------------ pages

  function showPage(id) {
    document.querySelectorAll('.page').forEach((page) => { page.hidden = page.id !== id; });
  }

  /** Shows the view the address names. */
  async function route() {
    if (!state.user) {
      return;
    }
    const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    const [kind, key, sub] = parts;
    if (kind === 'group' && key) {
      rememberGroup(key);
      if (sub === 'new') {
        await showNewTicket(key);
      } else {
        await showGroup(key, sub === 'closed');
      }
    } else if (kind === 'ticket' && /^[0-9]+$/.test(key || '')) {
      if (sub === 'reply' || sub === 'owner') {
        await showMail(Number(key), sub);
      } else {
        await showTicket(Number(key));
      }
    } else if (kind === 'settings') {
      await showSettings();
    } else {
      await showHome();
    }
    if (state.pendingNotice) {
      notice(state.pendingNotice);
      state.pendingNotice = null;
    }
  }

  /** Shows another view, and then the notice, if any (showing a view clears the last one's messages). */
  function go(hash, message) {
    state.pendingNotice = message || null;
    if (location.hash === hash) {
      act(route);
    } else {
      location.hash = hash;
    }
  }

  function rememberGroup(key) {
    state.lastGroup = key;
    sessionStorage.setItem('tickets.lastGroup', key);
    $('menu-tickets').setAttribute('href', '#/group/' + encodeURIComponent(key));
  }

  function groupHash(key) {
    return '#/group/' + encodeURIComponent(key);
  }

  async function allGroups() {
    if (!state.groups) {
      state.groups = await api('GET', '/api/groups');
    }
    return state.groups;
  }

  async function groupName(key) {
    const group = (await allGroups()).find((g) => g.key === key);
    return group ? group.name : key;
  }

  // ------------------------------------------------------------------ Call Center home and settings

  async function showHome() {
    const mine = await api('GET', '/api/users/me/ticket-groups');
    const list = $('groups');
    list.replaceChildren(...mine.map((g) => el('a', { class: 'group-button', href: groupHash(g.key),
      'data-group': g.key },
    el('strong', null, g.name),
    el('span', { class: 'counts' },
      el('span', { class: 'count', 'data-count': 'calls', title: 'Open phone calls' },
        icon('PHONE_CALL'), ' ', el('b', null, g.openPhoneCalls), ' phone calls'),
      el('span', { class: 'count', 'data-count': 'messages', title: 'Messages needing action' },
        icon('MESSAGE'), ' ', el('b', null, g.messagesNeedingAction), ' messages'),
      el('span', { class: 'count', 'data-count': 'tickets', title: 'Open tickets' },
        icon('TICKET'), ' ', el('b', null, g.openTickets), ' open tickets')))));
    $('no-groups').hidden = mine.length > 0;
    showPage('page-home');
    document.title = 'Call Center';
  }

  async function showSettings() {
    const settings = await api('GET', '/api/users/me/settings');
    $('initials').value = settings.initials || '';
    const chosen = new Set(settings.donationsNotificationDays || []);
    $('days').replaceChildren(...DAYS.map((day) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', value: day, checked: chosen.has(day) }),
      ' ' + day.charAt(0) + day.slice(1).toLowerCase())));
    showPage('page-settings');
    document.title = 'Account information';
  }

  async function saveSettings() {
    const days = [...$('days').querySelectorAll('input:checked')].map((box) => box.value);
    await api('PUT', '/api/users/me/settings', { initials: $('initials').value.trim(), donationsNotificationDays: days });
    go('#/', 'Your account information is saved.');
  }

  // ------------------------------------------------------------------ open and closed tickets

  async function showGroup(key, closed) {
    const name = await groupName(key);
    $('group-name').textContent = name;
    $('group-heading').textContent = closed ? 'Closed Tickets' : 'Open Tickets';
    $('open-actions').hidden = closed;
    $('closed-form').hidden = !closed;
    $('create-ticket').setAttribute('href', groupHash(key) + '/new');
    $('find-closed').setAttribute('href', groupHash(key) + '/closed');
    $('back-to-open').setAttribute('href', groupHash(key));
    $('mine-only').checked = state.mineOnly;
    let tickets;
    if (closed) {
      const query = new URLSearchParams();
      if ($('closed-from').value) {
        query.set('from', new Date($('closed-from').value + 'T00:00:00').toISOString());
      }
      if ($('closed-to').value) {
        const to = new Date($('closed-to').value + 'T00:00:00');
        to.setDate(to.getDate() + 1);
        query.set('to', to.toISOString());
      }
      tickets = await api('GET', '/api/groups/' + encodeURIComponent(key) + '/tickets/closed?' + query);
    } else {
      const query = new URLSearchParams({ sort: state.sort, mineAndUnassigned: state.mineOnly });
      tickets = await api('GET', '/api/groups/' + encodeURIComponent(key) + '/tickets?' + query);
    }
    renderTickets(tickets, closed);
    showPage('page-group');
    document.title = name + ': ' + (closed ? 'closed tickets' : 'open tickets');
  }

  function renderTickets(tickets, closed) {
    document.querySelectorAll('#tickets th').forEach((th) => {
      const key = th.dataset.sort;
      th.setAttribute('aria-sort', closed ? 'none' : state.sort === key ? 'ascending'
        : state.sort === '-' + key ? 'descending' : 'none');
      th.querySelector('button').disabled = closed;
    });
    $('tickets').querySelector('tbody').replaceChildren(...tickets.map((t) => el('tr', { 'data-number': t.number },
      el('td', null, el('a', { href: '#/ticket/' + t.number }, t.number)),
      el('td', { class: 'sts' }, statusIcon(t.status)),
      el('td', null, when(t.createdAt)),
      el('td', null, when(closed ? t.closedAt : t.updatedAt)),
      el('td', { title: t.ownerUserId || '' }, t.ownerInitials || ''),
      el('td', null, t.endUser.name || t.endUser.email || t.endUser.phone || ''),
      el('td', null, t.title))));
    $('no-tickets').hidden = tickets.length > 0;
  }

  function sortBy(key) {
    state.sort = state.sort === key ? '-' + key : key;
    act(route);
  }

  async function closeCompleted() {
    const key = state.lastGroup;
    if (!confirm('Close every completed ticket of this group? Their photos are deleted.')) {
      return;
    }
    const result = await api('POST', '/api/groups/' + encodeURIComponent(key) + '/tickets/close-completed');
    await route();
    notice(result.closed.length === 0 ? 'There were no completed tickets to close.'
      : 'Closed ' + result.closed.length + ' completed ticket' + (result.closed.length === 1 ? '' : 's') + ': '
        + result.closed.map((n) => '#' + n).join(', ') + '.');
  }

  async function showNewTicket(key) {
    $('new-group-name').textContent = await groupName(key);
    $('new-form').reset();
    showPage('page-new');
    document.title = 'New ticket';
  }

  async function createTicket() {
    const created = await api('POST', '/api/tickets', {
      group: state.lastGroup, title: $('new-title').value,
      endUser: { name: $('new-name').value, email: $('new-email').value, phone: $('new-phone').value }
    });
    go('#/ticket/' + created.number, 'Ticket ' + created.number + ' created.');
  }

  // ------------------------------------------------------------------ a ticket

  async function showTicket(number) {
    const detail = await api('GET', '/api/tickets/' + number);
    const t = detail.ticket;
    state.ticket = detail;
    rememberGroup(t.group);
    const open = t.status !== 'CLOSED';
    $('t-number').textContent = '#' + t.number;
    $('t-status-icon').replaceChildren(statusIcon(t.status));
    $('t-closed').hidden = open;
    $('t-closed').textContent = open ? '' : 'Closed ' + when(t.closedAt)
      + (t.mergedInto ? ': merged into ticket #' + t.mergedInto : '') + '.';
    $('t-group').textContent = await groupName(t.group);
    $('t-title').value = t.title;
    $('t-next').value = t.nextAction || '';
    $('t-status').value = open ? t.status : 'NEED_TO_CONTACT';
    $('t-wait').value = t.waitUntil ? localInput(t.waitUntil) : '';
    $('t-wait-field').hidden = $('t-status').value !== 'WAITING_FOR_EVENT';
    $('t-end-user').textContent = t.endUser.name || '';
    $('t-email').textContent = t.endUser.email || '';
    $('t-phone').textContent = t.endUser.phone || '';
    $('t-created').textContent = when(t.createdAt);
    $('t-reply').setAttribute('href', '#/ticket/' + t.number + '/reply');
    $('t-email-owner').setAttribute('href', '#/ticket/' + t.number + '/owner');
    $('t-email-owner').hidden = !t.ownerUserId;
    $('t-reply').hidden = !t.endUser.email;
    $('ticket-form').querySelectorAll('input, select, button').forEach((control) => {
      if (!['t-history-button', 't-note-button'].includes(control.id)) {
        control.disabled = !open;
      }
    });
    await renderOwners(t);
    await renderAssign(t);
    renderEntries(detail);
    renderPhotos(detail);
    $('t-history').hidden = true;
    $('t-history-button').setAttribute('aria-expanded', 'false');
    $('t-note-form').hidden = true;
    showPage('page-ticket');
    document.title = 'Ticket ' + t.number + ': ' + t.title;
  }

  function localInput(instant) {
    const d = new Date(instant);
    const pad = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':'
      + pad(d.getMinutes());
  }

  async function renderOwners(t) {
    let members = [];
    try {
      members = (await api('GET', '/api/groups/' + encodeURIComponent(t.group))).members || [];
    } catch (e) {
      if (e.sessionEnded) {
        throw e;
      }
    }
    const ids = [...new Set([...(t.ownerUserId ? [t.ownerUserId] : []), ...members])].sort();
    $('t-owner').replaceChildren(el('option', { value: '' }, '(nobody)'),
      ...ids.map((id) => el('option', { value: id }, id === state.user.id ? id + ' (me)' : id)));
    $('t-owner').value = t.ownerUserId || '';
  }

  async function renderAssign(t) {
    const groups = (await allGroups()).filter((g) => g.key !== t.group);
    let others = [];
    if (t.status !== 'CLOSED') {
      others = (await api('GET', '/api/groups/' + encodeURIComponent(t.group) + '/tickets?sort=number'))
        .filter((o) => o.number !== t.number);
    }
    $('t-assign').replaceChildren(el('option', { value: '' }, 'Choose a group or a ticket'),
      el('optgroup', { label: 'Move to a group' },
        groups.map((g) => el('option', { value: 'group:' + g.key }, 'Group: ' + g.name))),
      el('optgroup', { label: 'Merge into a ticket' },
        others.map((o) => el('option', { value: 'ticket:' + o.number },
          'Ticket #' + o.number + ': ' + (o.endUser.name || o.endUser.email || o.endUser.phone || '') + ', '
            + o.title))));
  }

  function renderEntries(detail) {
    const number = detail.ticket.number;
    const entries = [
      ...detail.correspondence.map((c) => ({ at: c.createdAt, node: correspondence(number, c) })),
      ...detail.notes.map((n) => ({ at: n.createdAt, node: note(n) }))
    ].sort((a, b) => new Date(a.at) - new Date(b.at));
    $('t-entries').replaceChildren(...entries.map((e) => e.node));
    $('t-no-entries').hidden = entries.length > 0;
  }

  function correspondence(number, c) {
    const from = c.direction === 'IN' ? 'From ' + (c.fromAddress || 'the end-user')
      : c.direction === 'OWNER' ? 'To the owner ' + (c.toAddress || '') : 'To ' + (c.toAddress || 'the end-user');
    const body = el('div', { class: 'body' });
    if (c.bodyText) {
      body.append(el('p', { class: 'text' }, c.bodyText));
    }
    if (c.channel === 'VOICEMAIL' && c.recordingUrl) {
      body.append(el('audio', { controls: true, preload: 'none',
        src: '/api/tickets/' + number + '/messages/' + c.id + '/recording' }));
    }
    if (c.bodyHtml) {
      const show = el('button', { type: 'button', class: 'link' }, 'Show the email as sent');
      show.addEventListener('click', () => {
        const frame = el('iframe', { sandbox: '', class: 'mail-frame', title: 'The email as sent' });
        frame.srcdoc = c.bodyHtml;
        show.replaceWith(frame);
      });
      body.append(show);
    }
    return el('li', { class: 'entry ' + c.direction.toLowerCase(), 'data-message': c.id },
      el('div', { class: 'entry-head' },
        el('span', { class: 'kind' }, CHANNELS[c.channel] || c.channel),
        el('span', null, from),
        c.authorUserId ? el('span', null, 'by ' + c.authorUserId) : null,
        el('time', { datetime: c.createdAt }, when(c.createdAt))),
      c.subject ? el('p', { class: 'subject' }, c.subject) : null,
      body);
  }

  function note(n) {
    return el('li', { class: 'entry note', 'data-note': n.id },
      el('div', { class: 'entry-head' },
        el('span', { class: 'kind' }, 'Note'),
        el('span', null, 'by ' + n.authorUserId),
        el('time', { datetime: n.createdAt }, when(n.createdAt))),
      el('p', { class: 'text' }, n.text));
  }

  function renderPhotos(detail) {
    const number = detail.ticket.number;
    const photos = detail.attachments.filter((a) => !a.deleted && /^image\//.test(a.contentType));
    $('t-photos').replaceChildren(...photos.map((a) => {
      const url = '/api/tickets/' + number + '/attachments/' + a.id;
      const img = el('img', { src: url, alt: a.fileName, loading: 'lazy', 'data-attachment': a.id });
      const details = a.fileName + ', ' + a.contentType + ', ' + kilobytes(a.sizeBytes) + ', received '
        + when(a.createdAt);
      img.addEventListener('mouseenter', () => zoom(url, details));
      img.addEventListener('mousemove', (e) => zoomAt(img, e));
      img.addEventListener('mouseleave', () => { $('t-zoom').hidden = true; });
      return el('figure', { class: 'photo' },
        el('figcaption', null, el('a', { href: url, target: '_blank', rel: 'noopener' }, a.fileName)),
        img);
    }));
    $('t-photos-section').hidden = photos.length === 0;
    $('t-zoom').hidden = true;
  }

  function kilobytes(bytes) {
    return bytes < 1024 ? bytes + ' bytes' : Math.round(bytes / 1024) + ' KB';
  }

  function zoom(url, details) {
    $('t-zoom-view').style.backgroundImage = 'url("' + url + '")';
    $('t-zoom-details').textContent = details;
    $('t-zoom').hidden = false;
  }

  function zoomAt(img, e) {
    const box = img.getBoundingClientRect();
    const x = Math.min(100, Math.max(0, ((e.clientX - box.left) / box.width) * 100));
    const y = Math.min(100, Math.max(0, ((e.clientY - box.top) / box.height) * 100));
    $('t-zoom-view').style.backgroundPosition = x + '% ' + y + '%';
  }

  async function update() {
    const t = state.ticket.ticket;
    const body = {};
    const owner = $('t-owner').value || null;
    if (owner !== (t.ownerUserId || null)) {
      body.ownerUserId = owner;
    }
    if ($('t-title').value.trim() !== t.title) {
      body.title = $('t-title').value;
    }
    if ($('t-next').value.trim() !== (t.nextAction || '')) {
      body.nextAction = $('t-next').value;
    }
    const status = $('t-status').value;
    if (status === 'WAITING_FOR_EVENT') {
      if (!$('t-wait').value) {
        throw new Refusal(422, 'Say until when the ticket waits for the event.');
      }
      const until = new Date($('t-wait').value).toISOString();
      if (status !== t.status || until !== new Date(t.waitUntil).toISOString()) {
        body.status = status;
        body.waitUntil = until;
      }
    } else if (status !== t.status) {
      body.status = status;
    }
    if (Object.keys(body).length === 0) {
      notice('Nothing to update.');
      return;
    }
    await api('PATCH', '/api/tickets/' + t.number, body);
    await showTicket(t.number);
    notice('Ticket ' + t.number + ' updated.');
  }

  async function closeTicket() {
    const t = state.ticket.ticket;
    if (!confirm('Close ticket #' + t.number + '? Its photos are deleted.')) {
      return;
    }
    await api('POST', '/api/tickets/' + t.number + '/close');
    go(groupHash(t.group), 'Ticket ' + t.number + ' closed.');
  }

  async function assign() {
    const t = state.ticket.ticket;
    const choice = $('t-assign').value;
    if (!choice) {
      throw new Refusal(422, 'Choose a group to move the ticket to, or a ticket to merge it into.');
    }
    if (choice.startsWith('group:')) {
      const key = choice.slice('group:'.length);
      await api('POST', '/api/tickets/' + t.number + '/move', { group: key });
      await showTicket(t.number);
      notice('Ticket ' + t.number + ' moved to ' + await groupName(key) + '.');
    } else {
      const into = Number(choice.slice('ticket:'.length));
      if (!confirm('Merge ticket #' + t.number + ' into ticket #' + into + '? Its correspondence, notes and photos '
        + 'move there, and this ticket closes.')) {
        return;
      }
      await api('POST', '/api/tickets/' + t.number + '/merge', { intoNumber: into });
      go('#/ticket/' + into, 'Ticket ' + t.number + ' merged into this ticket.');
    }
  }

  async function toggleHistory() {
    const section = $('t-history');
    if (!section.hidden) {
      section.hidden = true;
      $('t-history-button').setAttribute('aria-expanded', 'false');
      return;
    }
    const history = await api('GET', '/api/tickets/' + state.ticket.ticket.number + '/history');
    $('t-history-list').replaceChildren(...history.map((h) => el('li', null,
      el('time', { datetime: h.at }, when(h.at)), ' ', el('strong', null, h.actor || 'system'), ' ',
      el('span', { class: 'kind' }, h.kind), h.detail ? ' ' + h.detail : '')));
    section.hidden = false;
    $('t-history-button').setAttribute('aria-expanded', 'true');
  }

  function showNoteForm() {
    $('t-note-form').hidden = false;
    $('t-note-text').focus();
  }

  async function saveNote() {
    const number = state.ticket.ticket.number;
    await api('POST', '/api/tickets/' + number + '/notes', { text: $('t-note-text').value });
    $('t-note-text').value = '';
    await showTicket(number);
    notice('Note added.');
  }

  // ------------------------------------------------------------------ mail to the end-user or the owner

  async function showMail(number, kind) {
    const detail = await api('GET', '/api/tickets/' + number);
    const t = detail.ticket;
    state.ticket = detail;
    state.mail = { kind: kind, number: number, viewing: false, sent: false };
    rememberGroup(t.group);
    const reply = kind === 'reply';
    $('mail-heading').textContent = (reply ? 'Reply to Email' : 'Email ticket owner') + ': ticket #' + number;
    $('mail-to').textContent = reply ? (t.endUser.name ? t.endUser.name + ' <' + t.endUser.email + '>'
      : t.endUser.email || '(no email address)') : (t.ownerUserId || '(no owner)');
    $('mail-subject').value = reply ? 'Re: ' + t.title : 'Ticket #' + number + ': ' + t.title;
    $('mail-html').value = '';
    $('mail-canned-field').hidden = !reply;
    state.canned = reply ? await api('GET', '/api/groups/' + encodeURIComponent(t.group) + '/canned-responses') : [];
    $('mail-canned').replaceChildren(el('option', { value: '' }, '(write your own)'),
      ...state.canned.map((c) => el('option', { value: c.id }, c.title)));
    $('mail-return').setAttribute('href', groupHash(t.group));
    $('mail-ticket').setAttribute('href', '#/ticket/' + number);
    $('mail-toggle').hidden = !reply;
    setViewing(false);
    $('mail-placeholders').hidden = true;
    $('mail-send').disabled = false;
    showPage('page-mail');
    document.title = reply ? 'Reply to Email' : 'Email ticket owner';
  }

  function pickCanned() {
    const chosen = state.canned.find((c) => String(c.id) === $('mail-canned').value);
    if (chosen) {
      $('mail-subject').value = chosen.subject;
      $('mail-html').value = chosen.html;
    }
    setViewing(false);
  }

  function draft() {
    const canned = $('mail-canned').value;
    return { cannedResponseId: canned ? Number(canned) : null, subject: $('mail-subject').value,
      html: $('mail-html').value };
  }

  function setViewing(viewing) {
    state.mail.viewing = viewing;
    $('mail-edit').hidden = viewing;
    $('mail-view').hidden = !viewing;
    $('mail-subject').readOnly = viewing;
    $('mail-toggle').setAttribute('aria-pressed', String(viewing));
    $('mail-toggle').textContent = viewing ? 'Edit' : 'Email View';
  }

  async function preview() {
    const shown = await api('POST', '/api/tickets/' + state.mail.number + '/replies/preview', draft());
    const left = shown.placeholders || [];
    $('mail-placeholders').textContent = left.length === 0 ? ''
      : 'Replace ' + left.join(', ') + ' before sending.';
    $('mail-placeholders').hidden = left.length === 0;
    return shown;
  }

  async function toggleView() {
    if (state.mail.viewing) {
      setViewing(false);
      return;
    }
    const shown = await preview();
    $('mail-view-to').textContent = shown.to;
    $('mail-view-subject').textContent = shown.subject;
    $('mail-view-frame').srcdoc = shown.html;
    setViewing(true);
  }

  async function send() {
    const number = state.mail.number;
    if (state.mail.kind === 'reply') {
      const shown = await preview();
      if ((shown.placeholders || []).length > 0) {
        $('mail-html').focus();
        return;
      }
      const sent = await api('POST', '/api/tickets/' + number + '/replies', draft());
      notice('Sent to ' + sent.to + '. The ticket now waits on the end-user.');
    } else {
      const sent = await api('POST', '/api/tickets/' + number + '/owner-emails',
        { subject: $('mail-subject').value, html: $('mail-html').value });
      notice('Sent to the ticket owner (' + sent.to + ').');
    }
    state.mail.sent = true;
    $('mail-send').disabled = true;
  }

  // ------------------------------------------------------------------ status icons

  /** A status icon: a picture with its meaning as its accessible name and tooltip. */
  function statusIcon(status) {
    const label = STATUSES[status] || status;
    const svg = icon(status);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    svg.setAttribute('data-status', status);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = label;
    svg.prepend(title);
    return svg;
  }

  const PHONE = 'M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 '
    + '.6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z';

  function icon(kind) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'icon icon-' + kind.toLowerCase().replace(/_/g, '-'));
    const shape = (tag, attributes) => {
      const node = document.createElementNS(SVG, tag);
      Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
      svg.append(node);
    };
    switch (kind) {
      case 'NEED_TO_CONTACT':
        shape('path', { d: PHONE, fill: '#e2b100', stroke: '#7a5f00', 'stroke-width': '0.8' });
        break;
      case 'WAITING_ON_END_USER':
      case 'PHONE_CALL':
        shape('path', { d: PHONE, fill: '#1e9b46', stroke: '#0e5226', 'stroke-width': '0.8' });
        break;
      case 'WAITING_FOR_EVENT':
        shape('path', { d: 'M6 2h12v2c0 3-2.5 5-4.5 8 2 3 4.5 5 4.5 8v2H6v-2c0-3 2.5-5 4.5-8C8.5 9 6 7 6 4z',
          fill: '#f3e3b5', stroke: '#6b4e16', 'stroke-width': '1.4' });
        shape('path', { d: 'M8.5 20c0-2 2-3.5 3.5-5 1.5 1.5 3.5 3 3.5 5z', fill: '#c48a1c' });
        break;
      case 'COMPLETED':
        shape('circle', { cx: '12', cy: '12', r: '10', fill: '#1e9b46' });
        shape('path', { d: 'M7 12.5l3.2 3.2L17.5 8.4', fill: 'none', stroke: '#fff', 'stroke-width': '2.6',
          'stroke-linecap': 'round', 'stroke-linejoin': 'round' });
        break;
      case 'MESSAGE':
        shape('path', { d: 'M3 5h18v12H8l-5 4z', fill: '#1f5fbf' });
        break;
      case 'TICKET':
        shape('path', { d: 'M3 7a2 2 0 0 0 0 4v6h18v-6a2 2 0 0 1 0-4V3H3z', fill: '#5b6575',
          transform: 'translate(0 2)' });
        break;
      default:
        shape('rect', { x: '4', y: '10', width: '16', height: '11', rx: '2', fill: '#8a93a3' });
        shape('path', { d: 'M8 10V7a4 4 0 0 1 8 0v3', fill: 'none', stroke: '#8a93a3', 'stroke-width': '2.4' });
    }
    return svg;
  }

  // ------------------------------------------------------------------ wiring

  window.CallCentre.whenSessionEnds(sessionEnded);

  document.addEventListener('DOMContentLoaded', () => {
    on('sign-in-form', 'submit', signIn);
    on('sign-out', 'click', signOut);
    on('settings-form', 'submit', saveSettings);
    document.querySelectorAll('#tickets th button').forEach((button) => {
      button.addEventListener('click', () => sortBy(button.parentElement.dataset.sort));
    });
    on('mine-only', 'change', () => {
      state.mineOnly = $('mine-only').checked;
      return route();
    });
    on('close-completed', 'click', closeCompleted);
    on('closed-form', 'submit', route);
    on('new-form', 'submit', createTicket);
    on('ticket-form', 'submit', update);
    on('t-status', 'change', () => { $('t-wait-field').hidden = $('t-status').value !== 'WAITING_FOR_EVENT'; });
    on('t-close', 'click', closeTicket);
    on('t-assign-button', 'click', assign);
    on('t-history-button', 'click', toggleHistory);
    on('t-note-button', 'click', showNoteForm);
    on('t-note-form', 'submit', saveNote);
    on('mail-canned', 'change', pickCanned);
    on('mail-toggle', 'click', toggleView);
    on('mail-form', 'submit', send);
    window.addEventListener('hashchange', () => act(route));
    if (state.lastGroup) {
      rememberGroup(state.lastGroup);
    }
    act(loadSession);
  });
})();
