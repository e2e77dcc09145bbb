package org.callcentre.app.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * The production profile starts only with its secrets set, an https public URL and no demo. Runs once the
 * configuration files are read and before any bean exists, so a wrong production run never serves a request, never
 * creates a user and never touches the database; every problem is named at once ({@link UnsafeProductionSettings}).
 * Values are never printed: most of them are secrets.
 */
public class ProductionSettingsCheck implements EnvironmentPostProcessor, Ordered {

    public static final String PRODUCTION = "production";
    public static final String DEMO = "demo";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of(PRODUCTION))) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (environment.acceptsProfiles(Profiles.of(DEMO))) {
            problems.add("the demo profile is active too: its users, public passwords and emulators never run in "
                    + "production");
        }
        for (String flag : new String[] {"app.demo.enabled", "app.emulators.enabled"}) {
            if ("true".equalsIgnoreCase(setting(environment, flag))) {
                problems.add(flag + " is true: demo users and emulators never run in production");
            }
        }
        required(environment, problems, "camunda.bpm.admin-user.password",
                "the first administrator's password (unset, Camunda makes it the user id)");
        required(environment, problems, "twilio.auth-token", "Twilio's auth token, which every webhook is checked with");
        required(environment, problems, "app.card-vault.key", "the card vault's master key");
        required(environment, problems, "app.card-vault.key-id", "the id of the card vault's master key");
        String publicBaseUrl = setting(environment, "app.public-base-url");
        if (publicBaseUrl == null) {
            problems.add("app.public-base-url is not set: the https URL Twilio reaches this app at");
        } else if (!isHttpsUrl(publicBaseUrl)) {
            problems.add("app.public-base-url must be an https URL (the TLS proxy's), not " + publicBaseUrl);
        }
        if (!problems.isEmpty()) {
            throw new UnsafeProductionSettings(problems);
        }
    }

    /** After the configuration files and every other post-processor: the settings as the app will see them. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static void required(ConfigurableEnvironment environment, List<String> problems, String name,
            String what) {
        if (setting(environment, name) == null) {
            problems.add(name + " is not set: " + what);
        }
    }

    /** The setting, or null when it is unset, blank, or a placeholder whose environment variable is unset. */
    private static String setting(ConfigurableEnvironment environment, String name) {
        try {
            String value = environment.getProperty(name);
            return value == null || value.isBlank() ? null : value.trim();
        } catch (IllegalArgumentException unresolvablePlaceholder) {
            return null;
        }
    }

    private static boolean isHttpsUrl(String url) {
        try {
            URI uri = new URI(url);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
