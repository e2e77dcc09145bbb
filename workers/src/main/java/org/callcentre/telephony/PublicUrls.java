package org.callcentre.telephony;

import java.net.URI;

/**
 * The app's URLs as Twilio reaches them ({@code app.public-base-url}, which differs from what the app sees
 * behind a TLS proxy). Webhook signatures are checked against these, and TwiML and REST calls hand them out.
 */
public class PublicUrls {

    private final String base;

    public PublicUrls(String publicBaseUrl) {
        URI uri = URI.create(publicBaseUrl);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("app.public-base-url must be an absolute URL, not " + publicBaseUrl);
        }
        this.base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    /** The absolute URL of a path (and query) of this app. */
    public String of(String pathAndQuery) {
        return base + (pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery);
    }

    public String base() {
        return base;
    }
}
