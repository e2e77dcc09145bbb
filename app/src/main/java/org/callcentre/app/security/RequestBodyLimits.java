package org.callcentre.app.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How large a request body may be, and how long it may take to arrive.
 *
 * @param maxSize       a JSON (or other) body: the API's and the engine's bodies are a few kilobytes
 * @param maxFormSize   a form: Twilio's webhooks and the webapps' login are well under a kilobyte or two
 * @param maxUploadSize a multipart upload: a deployment of models to {@code /engine-rest}
 * @param timeLimit     the whole body must arrive within this, however slowly each piece comes
 */
@ConfigurationProperties("app.request-body")
public record RequestBodyLimits(
        @DefaultValue("64KB") DataSize maxSize,
        @DefaultValue("16KB") DataSize maxFormSize,
        @DefaultValue("10MB") DataSize maxUploadSize,
        @DefaultValue("10s") Duration timeLimit) {

    /** The limit for a body of this content type. */
    long limitFor(String contentType) {
        if (contentType == null) {
            return maxSize.toBytes();
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("multipart/")) {
            return maxUploadSize.toBytes();
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return maxFormSize.toBytes();
        }
        return maxSize.toBytes();
    }
}
