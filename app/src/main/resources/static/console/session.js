/*
 * The console pages' way to the app's JSON API, shared by the agent console and the Call Center pages. Every request
 * carries X-Requested-With (the API then answers 401 without offering HTTP Basic), and every request that changes
 * something carries the session's CSRF token, which GET /console/session gives (a new one after signing in or out)
 * and this keeps.
 */
'use strict';

window.CallCentre = (function () {

  let csrf = null;
  let sessionEnded = () => {};

  /** A refusal by the app (a problem detail's detail), or no answer at all (status 0). */
  class Refusal extends Error {
    constructor(status, detail, problem) {
      super(detail);
      this.status = status;
      this.problem = problem || null;
    }
  }

  /** A request to the app: its JSON answer, or a Refusal. {@code form}: a form body instead of JSON. */
  async function request(method, path, body, form) {
    const headers = { 'Accept': 'application/json, application/problem+json', 'X-Requested-With': 'XMLHttpRequest' };
    if (method !== 'GET' && csrf) {
      headers[csrf.headerName] = csrf.token;
    }
    let payload;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, { method: method, headers: headers, body: payload, credentials: 'same-origin',
        cache: 'no-store' });
    } catch (e) {
      throw new Refusal(0, 'The app did not answer (' + e.message + '). Check your connection and try again.', null);
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (notJson) {
        json = null;
      }
    }
    if (!response.ok) {
      const detail = (json && (json.detail || json.title)) || ('The app answered HTTP ' + response.status + '.');
      throw new Refusal(response.status, detail, json);
    }
    if (path === '/console/session' && json) {
      csrf = json.csrf;
    }
    return json;
  }

  /**
   * A call to the API for a signed-in page: a 401 means the session has ended, so the refusal is marked
   * {@code sessionEnded} and the page's handler (whenSessionEnds) is told.
   */
  async function api(method, path, body) {
    try {
      return await request(method, path, body);
    } catch (e) {
      if (e instanceof Refusal && e.status === 401) {
        e.sessionEnded = true;
        sessionEnded();
      }
      throw e;
    }
  }

  /** What the page does when the session has ended (typically: show the sign-in again). */
  function whenSessionEnds(handler) {
    sessionEnded = handler;
  }

  return Object.freeze({ Refusal: Refusal, request: request, api: api, whenSessionEnds: whenSessionEnds });
})();
