package org.callcentre.app.security;

import java.time.Clock;

import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What keeps one client from starving or locking out the others: bounded request bodies, and failed logins
 * throttled per address and user instead of the engine's lock. Both filters run before anything reads a body
 * or checks a password (SecurityConfiguration's filters come after them).
 */
@Configuration(proxyBeanMethods = false)
public class RequestLimitsConfiguration {

    /** Right after the character-encoding filter, before anything reads the body. */
    static final int BODY_LIMIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;
    /** Before every door that checks a password: Spring Security's chain and the engine's filter. */
    static final int LOGIN_THROTTLE_ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    @Bean
    public LoginThrottle loginThrottle(LoginThrottleProperties settings, Clock clock) {
        return new LoginThrottle(settings, clock);
    }

    @Bean
    public FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(RequestBodyLimits limits) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(limits));
        registration.addUrlPatterns("/*");
        registration.setOrder(BODY_LIMIT_ORDER);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle) {
        FilterRegistrationBean<LoginThrottleFilter> registration =
                new FilterRegistrationBean<>(new LoginThrottleFilter(throttle));
        registration.addUrlPatterns("/api/*", "/engine-rest/*", "/camunda/api/admin/auth/user/*",
                LoginThrottleFilter.CONSOLE_LOGIN);
        registration.setOrder(LOGIN_THROTTLE_ORDER);
        return registration;
    }

    @Bean
    public ProcessEnginePlugin noEngineLoginLock() {
        return new NoEngineLoginLock();
    }
}
