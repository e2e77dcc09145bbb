package org.callcentre.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The production profile refuses to start, naming what is wrong, without its secrets, without an https public URL,
 * or with the demo profile. Started as the app starts (SpringApplication reading the app's application*.yml) but
 * with no beans: the refusal comes before any bean exists.
 */
class ProductionProfileTest {

    /** No beans at all: what is tested happens before the context is refreshed. */
    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }

    /** Everything production needs, given on the command line as an operator's environment would. */
    static Map<String, String> complete() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("camunda.bpm.admin-user.id", "ops");
        settings.put("camunda.bpm.admin-user.password", "a-long-operator-passphrase");
        settings.put("twilio.auth-token", "0123456789abcdef0123456789abcdef");
        settings.put("app.card-vault.key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        settings.put("app.card-vault.key-id", "k1");
        settings.put("app.public-base-url", "https://calls.example.org");
        return settings;
    }

    String loggingSystemBefore;

    @BeforeEach
    void leaveTheLoggingAlone() {
        // The end-to-end suite's app in this JVM logs to the file the leak test scans; a second SpringApplication
        // would reconfigure or clean up that logging.
        loggingSystemBefore = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
    }

    @AfterEach
    void restoreTheLogging() {
        if (loggingSystemBefore == null) {
            System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
        } else {
            System.setProperty(LoggingSystem.SYSTEM_PROPERTY, loggingSystemBefore);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"camunda.bpm.admin-user.password", "twilio.auth-token", "app.card-vault.key",
            "app.card-vault.key-id", "app.public-base-url"})
    void startsWithEverySettingButNotWithoutOne(String name) {
        try (ConfigurableApplicationContext context = start("production", complete())) {
            assertThat(context.getEnvironment().getActiveProfiles()).containsExactly("production");
        }
        Map<String, String> settings = complete();
        settings.put(name, "");
        UnsafeProductionSettings refusal = refusal("production", settings);
        assertThat(refusal.problems()).singleElement().asString().startsWith(name + " is not set");
        assertThat(refusal.getMessage()).startsWith("The production profile refuses to start: " + name);
        // Only production insists.
        start("postgres", settings).close();
    }

    @Test
    void anUnsetEnvironmentVariableCountsAsMissing() {
        // application-production.yml reads these from PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN and CARD_VAULT_KEY.
        Map<String, String> settings = complete();
        settings.remove("app.public-base-url");
        settings.remove("twilio.auth-token");
        settings.remove("app.card-vault.key");
        settings.remove("camunda.bpm.admin-user.password");
        assertThat(refusal("production", settings).problems()).extracting(problem -> problem.split(" ")[0])
                .containsExactlyInAnyOrder("camunda.bpm.admin-user.password", "twilio.auth-token",
                        "app.card-vault.key", "app.public-base-url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://calls.example.org", "calls.example.org", "https://"})
    void refusesAPublicBaseUrlThatIsNotHttps(String url) {
        Map<String, String> settings = complete();
        settings.put("app.public-base-url", url);
        assertThat(refusal("production", settings).problems()).singleElement().asString()
                .isEqualTo("app.public-base-url must be an https URL (the TLS proxy's), not " + url);
    }

    @Test
    void refusesToStartWithTheDemoProfile() {
        assertThat(refusal("production,demo", complete()).problems()).contains(
                "the demo profile is active too: its users, public passwords and emulators never run in production",
                "app.demo.enabled is true: demo users and emulators never run in production",
                "app.emulators.enabled is true: demo users and emulators never run in production");
        assertThat(refusal("demo,production", complete()).problems()).hasSize(3);
    }

    @Test
    void theFailureReportListsEveryProblemAndNoSecret() {
        Map<String, String> settings = complete();
        settings.put("app.card-vault.key-id", "");
        settings.put("app.public-base-url", "http://calls.example.org");
        UnsafeProductionSettings refusal = refusal("production,demo", settings);
        FailureAnalysis analysis = new UnsafeProductionSettingsFailureAnalyzer().analyze(refusal);
        assertThat(analysis.getDescription()).startsWith("The production profile refuses to start:")
                .contains("  - the demo profile is active too", "  - app.card-vault.key-id is not set",
                        "  - app.public-base-url must be an https URL")
                .doesNotContain(settings.get("twilio.auth-token"), settings.get("app.card-vault.key"),
                        settings.get("camunda.bpm.admin-user.password"));
        assertThat(analysis.getAction()).contains("without the demo profile");
    }

    private static UnsafeProductionSettings refusal(String profiles, Map<String, String> settings) {
        Throwable failure = catchThrowable(() -> start(profiles, settings).close());
        assertThat(failure).isInstanceOf(UnsafeProductionSettings.class);
        return (UnsafeProductionSettings) failure;
    }

    private static ConfigurableApplicationContext start(String profiles, Map<String, String> settings) {
        SpringApplication application = new SpringApplication(NoBeans.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=" + profiles));
        settings.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return application.run(arguments.toArray(String[]::new));
    }
}
