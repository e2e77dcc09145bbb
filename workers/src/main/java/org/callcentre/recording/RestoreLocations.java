package org.callcentre.recording;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the audio of a restored recording may be fetched from: only a URL under the configured base
 * ({@code app.recording.restore-base-url}). The location is typed by whoever completes a restore task and the app then
 * fetches it, so anything else (another host, an internal service, a path that climbs out of the base) is refused:
 * the check is made on the parsed URL, never on its text, and the fetch follows no redirects.
 */
public final class RestoreLocations {

    private static final int MAX_LENGTH = 1000;

    private final URI base;

    /** {@code base}: the restore store's base URL, or null when none is configured (then nothing is accepted). */
    public RestoreLocations(URI base) {
        this.base = base == null ? null : requireBase(base);
    }

    /** The base URL, ending with a slash; empty when none is configured. */
    public Optional<URI> base() {
        return Optional.ofNullable(base);
    }

    /** A usable base: http or https, a host, no user, query or fragment; its path taken as a folder. */
    static URI requireBase(URI base) {
        if (!base.isAbsolute() || base.getHost() == null || !isHttp(base.getScheme()) || base.getRawUserInfo() != null
                || base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("app.recording.restore-base-url must be an http(s) URL with a host and "
                    + "no user, query or fragment, not " + base);
        }
        String path = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        return URI.create(base.getScheme().toLowerCase(Locale.ROOT) + "://" + base.getRawAuthority() + path);
    }

    /**
     * The location as the app will fetch it.
     *
     * @throws RefusedLocation with a message for the person who typed it, if it is not a URL under the base
     */
    public URI check(String location) {
        if (base == null) {
            throw new RefusedLocation("no restore store is configured (app.recording.restore-base-url), so no restored "
                    + "location can be accepted");
        }
        String under = "the restored location must be a URL under " + base;
        if (location == null || location.isBlank()) {
            throw new RefusedLocation("give the restored location: " + under);
        }
        if (location.length() > MAX_LENGTH) {
            throw new RefusedLocation("the restored location is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(location.strip());
        } catch (URISyntaxException e) {
            throw new RefusedLocation("the restored location is not a URL: " + under);
        }
        String rawPath = uri.getRawPath();
        if (!uri.isAbsolute() || uri.getHost() == null || rawPath == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw new RefusedLocation(under);
        }
        if (!uri.getScheme().equalsIgnoreCase(base.getScheme()) || !uri.getHost().equalsIgnoreCase(base.getHost())
                || port(uri) != port(base)) {
            throw new RefusedLocation(under);
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        // Dot segments, and encoded dots, slashes or backslashes that a server could decode into them.
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")
                || !uri.normalize().getRawPath().equals(rawPath) || rawPath.contains("//")) {
            throw new RefusedLocation(under);
        }
        if (!rawPath.startsWith(base.getRawPath()) || rawPath.length() == base.getRawPath().length()) {
            throw new RefusedLocation(under);
        }
        return uri;
    }

    private static boolean isHttp(String scheme) {
        return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** A restored location that is not under the base; the message says what is accepted. */
    public static class RefusedLocation extends IllegalArgumentException {
        public RefusedLocation(String message) {
            super(message);
        }
    }
}
