package org.callcentre.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.yaml.snakeyaml.Yaml;

/**
 * The settings of an H2 URL (the {@code ;KEY=VALUE} part after the file). The benchmark's H2 databases, the app's
 * and the engine-only's, take the app's own settings from the jar it runs, so they are measured as shipped.
 */
final class H2Settings {

    private static final String APPLICATION_YML = "BOOT-INF/classes/application.yml";
    private static final Pattern H2_FILE_URL = Pattern.compile("jdbc:h2:file:[^;]*(;.*)?");

    private final Map<String, String> settings;

    private H2Settings(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The settings of the H2 URL ({@code spring.datasource.url}) in the app jar's {@code application.yml}. */
    static H2Settings ofAppJar(Path jar) throws IOException {
        Object url;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var entry = zip.getEntry(APPLICATION_YML);
            if (entry == null) {
                throw new IllegalStateException(jar + " has no " + APPLICATION_YML);
            }
            try (InputStream yml = zip.getInputStream(entry)) {
                url = value(new Yaml().load(yml), "spring", "datasource", "url");
            }
        }
        Matcher h2 = url instanceof String text ? H2_FILE_URL.matcher(text) : null;
        if (h2 == null || !h2.matches()) {
            throw new IllegalStateException("no H2 file URL in " + APPLICATION_YML + " of " + jar + ": " + url);
        }
        return parse(h2.group(1) == null ? "" : h2.group(1));
    }

    /** The value at {@code path} in a YAML document, or null. */
    private static Object value(Object document, String... path) {
        Object node = document;
        for (String key : path) {
            node = node instanceof Map<?, ?> map ? map.get(key) : null;
        }
        return node;
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

    /** The URL of the H2 file at {@code file} with these settings. */
    String url(Path file) {
        StringBuilder url = new StringBuilder("jdbc:h2:file:").append(file.toAbsolutePath());
        settings.forEach((key, value) -> url.append(';').append(key).append('=').append(value));
        return url.toString();
    }
}
