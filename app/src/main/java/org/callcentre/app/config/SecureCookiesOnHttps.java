package org.callcentre.app.config;

import java.io.IOException;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Every cookie set in answer to an https request (directly, or from a trusted TLS proxy) is {@code Secure}, so the
 * browser never sends it over plain http. Tomcat does this for the session cookie itself; the webapps' XSRF cookie
 * has only a fixed setting in Camunda, which would break the http demo, so it is added here per request.
 */
public class SecureCookiesOnHttps extends OncePerRequestFilter {

    private static final Pattern SECURE_ATTRIBUTE = Pattern.compile(";\\s*Secure\\s*(;|$)", Pattern.CASE_INSENSITIVE);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, request.isSecure() ? new SecureCookies(response) : response);
    }

    /** {@code value} of a Set-Cookie header with the {@code Secure} attribute. */
    static String secure(String setCookie) {
        return SECURE_ATTRIBUTE.matcher(setCookie).find() ? setCookie : setCookie + "; Secure";
    }

    private static final class SecureCookies extends HttpServletResponseWrapper {

        SecureCookies(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void addCookie(Cookie cookie) {
            cookie.setSecure(true);
            super.addCookie(cookie);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, isSetCookie(name) && value != null ? secure(value) : value);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, isSetCookie(name) && value != null ? secure(value) : value);
        }

        private static boolean isSetCookie(String name) {
            return HttpHeaders.SET_COOKIE.equalsIgnoreCase(name);
        }
    }
}
