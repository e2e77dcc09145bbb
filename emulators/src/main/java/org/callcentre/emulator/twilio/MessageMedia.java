package org.callcentre.emulator.twilio;

import java.util.Objects;

/**
 * One picture (or other file) a sender attaches to a message they send to one of the account's numbers
 * ({@link TwilioEmulator#sendMessage}).
 *
 * @param contentType its MIME type, such as {@code image/jpeg}: Twilio's {@code MediaContentType{N}} and the
 *                    Content-Type the emulator serves it with
 * @param content     its bytes
 */
public record MessageMedia(String contentType, byte[] content) {

    public MessageMedia {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(content, "content");
        if (contentType.isBlank() || !contentType.contains("/")) {
            throw new IllegalArgumentException("not a MIME type: " + contentType);
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }
}
