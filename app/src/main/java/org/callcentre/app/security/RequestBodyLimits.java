package org.callcentre.app.security;

import java.time.Duration;

import org.callcentre.app.ticket.WebFormController;
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
 * @param maxCsvSize    a CSV upload ({@code text/csv}): a call list of a million leads is about 100 MB
 * @param csvTimeLimit  a CSV upload must arrive within this: it is checked row by row as it arrives
 * @param maxWebFormSize the public web form ({@code /public/contact}), as JSON or a form: a message of 10,000
 *                       characters, percent-encoded, may take 90 KB
 */
@ConfigurationProperties("app.request-body")
public record RequestBodyLimits(
        @DefaultValue("64KB") DataSize maxSize,
        @DefaultValue("16KB") DataSize maxFormSize,
        @DefaultValue("10MB") DataSize maxUploadSize,
        @DefaultValue("10s") Duration timeLimit,
        @DefaultValue("200MB") DataSize maxCsvSize,
        @DefaultValue("3m") Duration csvTimeLimit,
        @DefaultValue("128KB") DataSize maxWebFormSize) {

    /** The limit for a body of this content type sent to this path (the request's URI, without the context path). */
    long limitFor(String path, String contentType) {
        return WebFormController.PATH.equals(path) ? maxWebFormSize.toBytes() : limitFor(contentType);
    }

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
        if (isCsv(type)) {
            return maxCsvSize.toBytes();
        }
        return maxSize.toBytes();
    }

    /** How long a body of this content type may take to arrive. */
    Duration timeLimitFor(String contentType) {
        return contentType != null && isCsv(contentType.toLowerCase(java.util.Locale.ROOT)) ? csvTimeLimit : timeLimit;
    }

    private static boolean isCsv(String type) {
        return type.startsWith("text/csv");
    }
}
