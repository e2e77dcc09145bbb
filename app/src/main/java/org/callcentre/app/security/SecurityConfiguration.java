package org.callcentre.app.security;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;
import static org.callcentre.processes.Groups.ADMIN_OPS;
import static org.callcentre.processes.Groups.AGENTS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;
import static org.callcentre.processes.Groups.CAMUNDA_ADMIN;

import org.callcentre.app.ticket.TicketHomeController;
import org.callcentre.app.ticket.WebFormController;
import org.callcentre.app.web.HealthController;
import org.callcentre.app.web.ProblemResponses;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.csrf.CsrfException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Who may do what over HTTP.
 * <ul>
 * <li>{@code /api/**}: HTTP Basic against the engine's users; campaigns, users and dialling rules are for admin
 * operations, the dialler's set-up (caller IDs, call lists, teams, imports, the do-not-call list, the block and allow
 * lists) also for agent admins (reading the lists for anyone in a call-centre role), Next Lead and lead locks for
 * agents only, call recordings' lists, export and restores for supervisors, journeys (a customer's, a call's) for
 * anyone in a role within what the controller allows, the rest for anyone in a call-centre role. Rules that need
 * data (a restricted admin, the lock's holder, an agent's own call or recording) are the controllers'. A request
 * without an {@code Authorization} header is judged by the agent console's session instead, and needs its CSRF token
 * to change anything (ConsoleSessions).</li>
 * <li>{@code /console/**}: the agent console's page, for anyone (it holds no data), and its session sign-in and
 * sign-out for agents, agent admins and Admin Operations.</li>
 * <li>{@code /twilio/**}: no user, but every request must be signed by Twilio (TwilioSignatureFilter); outside
 * Spring Security's chain.</li>
 * <li>{@code /public/contact}: the web form, for anyone, without a login or a session.</li>
 * <li>{@code GET /health}: anyone, for the load balancer.</li>
 * <li>{@code /engine-rest/**}: the engine's own HTTP Basic filter, with authorization checks on.</li>
 * <li>The webapps ({@code /camunda/**}) log in themselves. Their first-run setup endpoint is closed: in 7.24 CE
 * it can create an administrator when the admin group has no direct member (CVE-2026-77226).</li>
 * </ul>
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {

    private static final String[] CALL_CENTRE_ROLES = {authority(AGENTS), authority(AGENT_ADMINS), authority(ADMIN_OPS),
            authority(CAMUNDA_ADMIN)};
    /** Admin operations; the engine's administrators count as unrestricted ones. */
    private static final String[] ADMIN_OPS_ROLES = {authority(ADMIN_OPS), authority(CAMUNDA_ADMIN)};
    /** Who sets up and watches the dialling: admin operations and agent admins. */
    private static final String[] SUPERVISOR_ROLES = {authority(AGENT_ADMINS), authority(ADMIN_OPS),
            authority(CAMUNDA_ADMIN)};

    @Bean
    @Order(1)
    public SecurityFilterChain api(HttpSecurity http, EngineUserAuthenticationProvider users) throws Exception {
        return http.securityMatcher("/api/**")
                .authenticationManager(new ProviderManager(users))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/api/campaigns")
                        .hasAnyAuthority(authority(ADMIN_OPS), authority(CAMUNDA_ADMIN))
                        // Each user's own settings, whatever the role.
                        .requestMatchers(HttpMethod.GET, "/api/users/me/settings").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/users/me/settings").hasAnyAuthority(CALL_CENTRE_ROLES)
                        // The Call Center home: the groups each user works, with what waits for each.
                        .requestMatchers(HttpMethod.GET, TicketHomeController.PATH).hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/users").hasAnyAuthority(ADMIN_OPS_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/users/*").hasAnyAuthority(ADMIN_OPS_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/users").hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/campaigns/*/dialling", "/api/campaigns/*/caller-ids")
                        .hasAnyAuthority(ADMIN_OPS_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/campaigns/*/dialling", "/api/campaigns/*/caller-ids")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/campaigns/*/caller-ids/*/spam-flag")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers("/api/call-lists", "/api/call-lists/**", "/api/teams", "/api/teams/**")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/do-not-call").hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.DELETE, "/api/do-not-call/*").hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/do-not-call/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/block-list", "/api/allow-list")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.DELETE, "/api/block-list/*", "/api/allow-list/*")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/block-list", "/api/allow-list")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/leads").hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/leads/*", "/api/leads/*/history",
                                "/api/leads/*/dial-refusals")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/leads/*/call-lists").hasAnyAuthority(CALL_CENTRE_ROLES)
                        // Whether an agent holds the lead's lock is the controller's to check.
                        .requestMatchers(HttpMethod.POST, "/api/leads/*/call-statuses", "/api/leads/*/calls")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/leads/*/call-statuses/latest")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        // Only agents take leads: the others open and call leads without a lock.
                        // Next Lead and locks are for agents only; the controller refuses other roles and says so.
                        .requestMatchers(HttpMethod.POST, "/api/agents/me/next-lead").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/leads/*/lock").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.DELETE, "/api/leads/*/lock").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers("/api/agents/me", "/api/agents/me/phone").hasAnyAuthority(CALL_CENTRE_ROLES)
                        // Whether an agent's call is their own is the controller's to check.
                        .requestMatchers(HttpMethod.GET, "/api/calls/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.DELETE, "/api/calls/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        // Recordings: a lead's and a recording's audio for anyone in a role (an agent's own calls
                        // only, the controller's to check); the Call Recordings page, its export and restore requests
                        // for supervisors; nothing else.
                        .requestMatchers(HttpMethod.GET, "/api/leads/*/recordings", "/api/recordings/*/media")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/recordings", "/api/recordings/export")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/recordings/*/restore-requests")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers("/api/recordings", "/api/recordings/**").denyAll()
                        // Inbound calls: the numbers and menus for supervisors, who read and write inbound calls;
                        // availability and the call put through for anyone with a phone; a team's queue for anyone
                        // in a role (an agent: its own team's, the controller's to check).
                        .requestMatchers(HttpMethod.GET, "/api/inbound-numbers", "/api/inbound-numbers/*")
                        .hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/inbound-numbers").hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/inbound-numbers/*").hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers("/api/inbound-numbers/**").denyAll()
                        .requestMatchers(HttpMethod.POST, "/api/agents/me/availability")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/agents/me/inbound").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/queues/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers("/api/queues/**").denyAll()
                        // Ticket groups: supervisors make them and set their members; anyone in a role reads them.
                        .requestMatchers(HttpMethod.GET, "/api/groups", "/api/groups/*")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/groups").hasAnyAuthority(SUPERVISOR_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/groups/*/members").hasAnyAuthority(SUPERVISOR_ROLES)
                        // Tickets: anyone in a role; which tickets is the service's to check (those of the groups
                        // an agent is in; Agent Admins and Admin Operations: every group).
                        .requestMatchers(HttpMethod.GET, "/api/groups/*/tickets", "/api/groups/*/tickets/closed")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/groups/*/tickets/close-completed")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        // Canned responses: anyone in a role, on the groups the service allows (as tickets).
                        .requestMatchers(HttpMethod.GET, "/api/groups/*/canned-responses")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/groups/*/canned-responses")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/groups/*/canned-responses/*")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.DELETE, "/api/groups/*/canned-responses/*")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers("/api/groups/**").denyAll()
                        .requestMatchers(HttpMethod.POST, "/api/tickets", "/api/tickets/*/notes", "/api/tickets/*/move",
                                "/api/tickets/*/merge", "/api/tickets/*/close").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/tickets/*", "/api/tickets/*/history",
                                "/api/tickets/*/attachments/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.PATCH, "/api/tickets/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/tickets/*/replies", "/api/tickets/*/replies/preview",
                                "/api/tickets/*/owner-emails").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.GET, "/api/tickets/*/messages/*/recording")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers("/api/tickets/**").denyAll()
                        // Callbacks: anyone in a role; what each role may do with which callback is the
                        // controller's to check (an agent: its own and its team's).
                        .requestMatchers(HttpMethod.GET, "/api/callbacks", "/api/callbacks/*")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.POST, "/api/callbacks", "/api/callbacks/*/call")
                        .hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.PUT, "/api/callbacks/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers(HttpMethod.DELETE, "/api/callbacks/*").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers("/api/callbacks/**").denyAll()
                        // Journeys: anyone in a role; which journey an agent may see is the controller's to check (a
                        // lead whose lock they hold, the number of the inbound call they are on, their own calls).
                        .requestMatchers(HttpMethod.GET, "/api/journeys", "/api/calls/*/journey",
                                "/api/inbound-calls/*/journey").hasAnyAuthority(CALL_CENTRE_ROLES)
                        .requestMatchers("/api/journeys/**", "/api/inbound-calls/**").denyAll()
                        // The dialler's other endpoints (any method not listed above) are for no role.
                        .requestMatchers("/api/users/**", "/api/campaigns/*/dialling", "/api/campaigns/*/caller-ids/**",
                                "/api/do-not-call/**", "/api/block-list/**", "/api/allow-list/**", "/api/leads/**",
                                "/api/agents/**", "/api/calls/**")
                        .hasAnyAuthority(ADMIN_OPS_ROLES)
                        .anyRequest().hasAnyAuthority(CALL_CENTRE_ROLES))
                .httpBasic(basic -> basic.realmName("callcentre")
                        .authenticationEntryPoint((request, response, e) -> loginFirst(request, response)))
                .exceptionHandling(handling -> handling.accessDeniedHandler(refusal("your role does not allow this")))
                // HTTP Basic stays stateless; the console's session is read, never created, here.
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .securityContext(context -> context.securityContextRepository(ConsoleSessions.apiSecurityContext()))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.csrfTokenRepository(ConsoleSessions.CSRF_TOKENS)
                        .requireCsrfProtectionMatcher(ConsoleSessions.CHANGES_THROUGH_SESSION))
                .build();
    }

    /**
     * The agent console: its page (static files that hold no data) for anyone, and its session sign-in
     * ({@code POST /console/login}, a form of {@code username} and {@code password}) and sign-out
     * ({@code POST /console/logout}), both with the session's CSRF token ({@code GET /console/session} gives it).
     */
    @Bean
    @Order(2)
    public SecurityFilterChain console(HttpSecurity http, EngineUserAuthenticationProvider users) throws Exception {
        return http.securityMatcher("/console", "/console/**")
                .authenticationManager(new ProviderManager(new ConsoleSignIn(users)))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/console", "/console/", "/console/index.html",
                                "/console/tickets", "/console/tickets.html", "/console/*.css", "/console/*.js",
                                "/console/session").permitAll()
                        .anyRequest().denyAll())
                .formLogin(login -> login.loginPage("/console/").loginProcessingUrl(LoginThrottleFilter.CONSOLE_LOGIN)
                        .successHandler(ConsoleSignIn.signedIn()).failureHandler(ConsoleSignIn.refused()))
                .logout(logout -> logout.logoutUrl("/console/logout")
                        .logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
                .csrf(csrf -> csrf.csrfTokenRepository(ConsoleSessions.CSRF_TOKENS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> ProblemResponses.write(response,
                                HttpStatus.UNAUTHORIZED, "sign in to the agent console first"))
                        .accessDeniedHandler(refusal("the agent console has nothing here")))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                + "frame-ancestors 'none'")))
                .build();
    }

    /**
     * The public web form ({@code /public/contact}): anyone, with no login and no session. There is no CSRF token
     * because there is nothing for a forged request to borrow (no cookie, no session, no user); the form's rate
     * limit per address and its honeypot are its protection (WebFormController). Anything else under
     * {@code /public} is refused. Disjoint from {@code /engine-rest}, which shares its order.
     */
    @Bean
    @Order(3)
    public SecurityFilterChain publicForms(HttpSecurity http) throws Exception {
        return http.securityMatcher("/public/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, WebFormController.PATH).permitAll()
                        .requestMatchers(HttpMethod.POST, WebFormController.PATH).permitAll()
                        .anyRequest().denyAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> ProblemResponses.write(response,
                                HttpStatus.NOT_FOUND, "there is nothing here but the contact form (/public/contact)"))
                        .accessDeniedHandler((request, response, e) -> ProblemResponses.write(response,
                                HttpStatus.NOT_FOUND, "there is nothing here but the contact form (/public/contact)")))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
                                + "frame-ancestors 'none'")))
                .build();
    }

    /**
     * Twilio's webhooks carry no user: TwilioSignatureFilter authenticates every one of them. Spring Security's
     * chain would only add a dozen filters to the busiest path (measured: about a tenth of a webhook's CPU).
     */
    @Bean
    public WebSecurityCustomizer twilioWebhooksOutsideSpringSecurity() {
        return web -> web.ignoring().requestMatchers("/twilio/**");
    }

    /** The load balancer's check carries no user and holds nothing to protect: no chain at all, like the webhooks. */
    @Bean
    public WebSecurityCustomizer healthCheckOutsideSpringSecurity() {
        return web -> web.ignoring().requestMatchers(HttpMethod.GET, HealthController.PATH);
    }

    @Bean
    @Order(3)
    public SecurityFilterChain engineRest(HttpSecurity http) throws Exception {
        return http.securityMatcher("/engine-rest/**")
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    @Order(4)
    public SecurityFilterChain webapps(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/camunda/api/admin/setup/**").denyAll()
                        .anyRequest().permitAll())
                .exceptionHandling(handling -> handling.accessDeniedHandler((request, response, e) -> problem(response,
                        HttpStatus.FORBIDDEN,
                        "the first-run setup is closed; create administrators in the Admin webapp")))
                // The webapps have their own CSRF protection and session login.
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()))
                .build();
    }

    /**
     * {@code /engine-rest} requires an engine user; the engine then applies its authorizations to that user.
     * It runs before the expression guard, so a request without a login is refused before its body is read.
     */
    @Bean
    public FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                HttpBasicAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<TaskQueryExpressionGuard> taskQueryExpressionGuard() {
        FilterRegistrationBean<TaskQueryExpressionGuard> registration =
                new FilterRegistrationBean<>(new TaskQueryExpressionGuard());
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String detail)
            throws java.io.IOException {
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"callcentre\"");
        }
        ProblemResponses.write(response, status, detail);
    }

    /**
     * 401. The console's JavaScript (it sends {@code X-Requested-With: XMLHttpRequest}) is not offered HTTP Basic:
     * a browser would answer that with its own password dialog instead of the console's sign-in.
     */
    private static void loginFirst(HttpServletRequest request, HttpServletResponse response)
            throws java.io.IOException {
        if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"callcentre\"");
        }
        ProblemResponses.write(response, HttpStatus.UNAUTHORIZED,
                "log in with HTTP Basic as an engine user, or sign in to the agent console (/console/)");
    }

    /**
     * 403 with {@code detail}, or, for a session request without the session's CSRF token, a detail that says so
     * (and, on the console's sign-in, that no password was checked, for the login throttle).
     */
    private static AccessDeniedHandler refusal(String detail) {
        return (request, response, e) -> {
            if (e instanceof CsrfException) {
                request.setAttribute(LoginThrottleFilter.PASSWORD_NOT_CHECKED, Boolean.TRUE);
                ProblemResponses.write(response, HttpStatus.FORBIDDEN, "a request of the agent console's session "
                        + "must carry the session's CSRF token (GET /console/session) in its header; reload the page");
                return;
            }
            ProblemResponses.write(response, HttpStatus.FORBIDDEN, detail);
        };
    }
}
