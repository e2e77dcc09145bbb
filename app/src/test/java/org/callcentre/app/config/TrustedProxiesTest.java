package org.callcentre.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;

/** Which connecting addresses Tomcat believes forwarded headers from. */
class TrustedProxiesTest {

    @Test
    void onlyTheListedAddressesExactly() {
        RemoteIpValve valve = new RemoteIpValve();
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        factory.addEngineValves(valve);
        // Spring Boot's default, before: every private and loopback address.
        assertThat(Pattern.matches(valve.getInternalProxies(), "127.0.0.2")).isTrue();
        assertThat(Pattern.matches(valve.getInternalProxies(), "10.1.2.3")).isTrue();

        new TrustedProxies(List.of("127.0.0.1", "::1", " [::1] ", "10.0.0.5")).customize(factory);

        String trusted = valve.getInternalProxies();
        assertThat(List.of("127.0.0.1", "0:0:0:0:0:0:0:1", "10.0.0.5")).allMatch(a -> Pattern.matches(trusted, a));
        assertThat(List.of("127.0.0.2", "127.0.0.10", "127x0x0x1", "10.0.0.50", "10.0.0.5 ", "::1x"))
                .noneMatch(a -> Pattern.matches(trusted, a));
        assertThat(valve.getTrustedProxies()).isNull();
    }

    @Test
    void noneTrustsNobody() {
        RemoteIpValve valve = new RemoteIpValve();
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        factory.addEngineValves(valve);
        new TrustedProxies(List.of()).customize(factory);
        assertThat(valve.getInternalProxies()).isNull();
    }

    @Test
    void hostNamesAndRangesAreRefused() {
        for (String notAnAddress : new String[] {"localhost", "proxy.example.org", "10.0.0.0/8", "10.0.0.*"}) {
            assertThatThrownBy(() -> new TrustedProxies(List.of(notAnAddress)))
                    .hasMessage("app.trusted-proxies takes IP addresses, not '" + notAnAddress + "'");
        }
    }
}
