package org.callcentre.app.web;

/** The answer to a POST that created something: its id (the Location header has its URL). */
public record Created(long id) {
}
