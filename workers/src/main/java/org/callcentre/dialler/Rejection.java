package org.callcentre.dialler;

/** A row of an uploaded file that was not taken, and why; {@code line} is its line in the file, the header's is 1. */
public record Rejection(long line, String reason) {
}
