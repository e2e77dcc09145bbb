package org.callcentre.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Tomcat believes {@code X-Forwarded-Proto}, {@code -For}, {@code -Host} and {@code -Port} only from the TLS proxies
 * in {@code app.trusted-proxies}. Spring Boot's own default trusts every private and loopback address, so any host
 * on the network could make a plain request look like https, or like another client's. Runs after Spring Boot has
 * added the RemoteIpValve ({@code server.forward-headers-strategy: native}) and narrows it.
 */
public class TrustedProxies implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final String addressPattern;

    /** @param addresses IP addresses, exactly as the proxies connect from (no host names, no ranges) */
    public TrustedProxies(List<String> addresses) {
        this.addressPattern = addresses.stream()
                .map(TrustedProxies::canonical)
                .distinct()
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.getEngineValves().stream()
                .filter(RemoteIpValve.class::isInstance)
                .map(RemoteIpValve.class::cast)
                .forEach(valve -> {
                    // Empty: no proxy is trusted, and forwarded headers are ignored from everyone.
                    valve.setInternalProxies(addressPattern);
                    valve.setTrustedProxies(null);
                });
    }

    /** The regular expression Tomcat matches a connecting address against. */
    public String addressPattern() {
        return addressPattern;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The address as Tomcat reports a connection's remote address ({@code ::1} is {@code 0:0:0:0:0:0:0:1}). */
    private static String canonical(String address) {
        String literal = address == null ? "" : address.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        // Only literals: InetAddress would look a host name up in DNS.
        if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
            throw new IllegalStateException("app.trusted-proxies takes IP addresses, not '" + address + "'");
        }
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("app.trusted-proxies takes IP addresses, not '" + address + "'", e);
        }
    }
}
