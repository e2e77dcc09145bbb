package org.callcentre.app.security;

import java.nio.charset.Charset;
import java.util.regex.Pattern;

import org.apache.catalina.Context;
import org.apache.catalina.util.SessionConfig;
import org.apache.tomcat.util.http.CookieProcessor;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.ServerCookies;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The session cookie is {@code SameSite=Strict} when the agent console or the API sets it (signing in, signing out,
 * a new session), so no other site's page or link ever carries the console's session. The webapps keep their own
 * choice ({@code server.servlet.session.cookie.same-site}, Lax: a link into Tasklist opens signed in). The console
 * and the webapps share the servlet session, and so its one cookie: whichever signs in sets its attributes.
 * HttpOnly, and Secure on https, stay as Tomcat sets them for every session cookie.
 * <p>
 * Tomcat writes the session cookie itself, past any response wrapper, so this wraps Tomcat's cookie processor,
 * which sees each cookie with the request it answers.
 */
@Component
public class ConsoleSessionCookie implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final Pattern SAME_SITE = Pattern.compile(";\\s*SameSite=[^;]*", Pattern.CASE_INSENSITIVE);

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> context.setCookieProcessor(
                new StrictForTheConsole(context.getCookieProcessor(), context)));
    }

    /** Whether the request is the console's or the API's (the paths after the context path). */
    static boolean isConsoleOrApi(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/console") || path.startsWith("/console/") || path.startsWith("/api/");
    }

    /** The Set-Cookie value with {@code SameSite=Strict} in place of whatever it had. */
    static String strict(String setCookie) {
        return SAME_SITE.matcher(setCookie).replaceAll("") + "; SameSite=Strict";
    }

    private static final class StrictForTheConsole implements CookieProcessor {

        private final CookieProcessor tomcats;
        private final Context context;

        StrictForTheConsole(CookieProcessor tomcats, Context context) {
            this.tomcats = tomcats;
            this.context = context;
        }

        @Override
        public void parseCookieHeader(MimeHeaders headers, ServerCookies serverCookies) {
            tomcats.parseCookieHeader(headers, serverCookies);
        }

        @Override
        public String generateHeader(Cookie cookie, HttpServletRequest request) {
            String header = tomcats.generateHeader(cookie, request);
            if (request != null && cookie.getName().equals(SessionConfig.getSessionCookieName(context))
                    && isConsoleOrApi(request)) {
                return strict(header);
            }
            return header;
        }

        @Override
        public Charset getCharset() {
            return tomcats.getCharset();
        }
    }
}
