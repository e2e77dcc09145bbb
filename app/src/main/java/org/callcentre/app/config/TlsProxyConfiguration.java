package org.callcentre.app.config;

import java.util.List;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Behind a TLS proxy: forwarded headers only from the proxies in {@code app.trusted-proxies}, and Secure cookies on
 * every https request. HSTS is Spring Security's default header on https requests (SecurityConfiguration).
 */
@Configuration
public class TlsProxyConfiguration {

    @Bean
    public TrustedProxies trustedProxies(Environment environment) {
        return new TrustedProxies(Binder.get(environment)
                .bind("app.trusted-proxies", Bindable.listOf(String.class))
                .orElse(List.of()));
    }

    @Bean
    public FilterRegistrationBean<SecureCookiesOnHttps> secureCookiesOnHttps() {
        FilterRegistrationBean<SecureCookiesOnHttps> registration =
                new FilterRegistrationBean<>(new SecureCookiesOnHttps());
        registration.addUrlPatterns("/*");
        // Outside every other filter, so the webapps' cookie filters write through it.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
