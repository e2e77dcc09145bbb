package org.callcentre.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * The settings of an H2 URL (the {@code ;KEY=VALUE} part after the file). The benchmark's H2 databases, the app's
 * and the engine-only's, take the app's own settings from the jar it runs, so they are measured as shipped.
 */
final class H2Settings {

    private static final String APPLICATION_YML = "BOOT-INF/classes/application.yml";
    private static final Pattern H2_URL = Pattern.compile("^\\s*url:\\s*jdbc:h2:file:[^;\\s]*(;\\S*)?\\s*$");

    private final Map<String, String> settings;

    private H2Settings(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The settings of the H2 URL in the app jar's {@code application.yml}. */
    static H2Settings ofAppJar(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var entry = zip.getEntry(APPLICATION_YML);
            if (entry == null) {
                throw new IllegalStateException(jar + " has no " + APPLICATION_YML);
            }
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(zip.getInputStream(entry), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Matcher url = H2_URL.matcher(line);
                    if (url.matches()) {
                        return parse(url.group(1) == null ? "" : url.group(1));
                    }
                }
            }
        }
        throw new IllegalStateException("no H2 file URL in " + APPLICATION_YML + " of " + jar);
    }

    /** Settings written as in a URL: {@code ;KEY=VALUE;KEY=VALUE}, keys in any case. */
    static H2Settings parse(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : text.split(";")) {
            if (setting.isBlank()) {
                continue;
            }
            int equals = setting.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("not an H2 setting: " + setting);
            }
            settings.put(setting.substring(0, equals).trim().toUpperCase(Locale.ROOT), setting.substring(equals + 1));
        }
        return new H2Settings(settings);
    }

    /** These settings with {@code others} added; a setting both have takes the value from {@code others}. */
    H2Settings with(H2Settings others) {
        Map<String, String> merged = new LinkedHashMap<>(settings);
        merged.putAll(others.settings);
        return new H2Settings(merged);
    }

    /** These settings without {@code key}. */
    H2Settings without(String key) {
        Map<String, String> left = new LinkedHashMap<>(settings);
        left.remove(key.toUpperCase(Locale.ROOT));
        return new H2Settings(left);
    }

    /** The URL of the H2 file at {@code file} with these settings. */
    String url(Path file) {
        StringBuilder url = new StringBuilder("jdbc:h2:file:").append(file.toAbsolutePath());
        settings.forEach((key, value) -> url.append(';').append(key).append('=').append(value));
        return url.toString();
    }
}
