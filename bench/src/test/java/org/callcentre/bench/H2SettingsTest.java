package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2SettingsTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSettingsOfTheAppsH2UrlFromItsJar() throws IOException {
        Path jar = jarWith("""
                spring:
                  datasource:
                    # a comment: url: jdbc:h2:file:./elsewhere;NOT=THIS
                    url: jdbc:h2:file:./data/callcentre;DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=32768;AUTO_COMPACT_FILL_RATE=80
                    username: sa
                """);

        assertThat(H2Settings.ofAppJar(jar).url(Path.of("/db/app"))).isEqualTo(
                "jdbc:h2:file:/db/app;DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=32768;AUTO_COMPACT_FILL_RATE=80");
    }

    @Test
    void aJarWithoutAnH2UrlIsAnError() throws IOException {
        Path jar = jarWith("spring:\n  datasource:\n    url: jdbc:postgresql://127.0.0.1/callcentre\n");

        assertThatThrownBy(() -> H2Settings.ofAppJar(jar)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no H2 file URL");
    }

    @Test
    void aSettingWithoutAValueIsRefused() {
        assertThatThrownBy(() -> H2Settings.parse(";CACHE_SIZE")).isInstanceOf(IllegalArgumentException.class);
    }

    private Path jarWith(String applicationYml) throws IOException {
        Path jar = dir.resolve("app.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("BOOT-INF/classes/application.yml"));
            zip.write(applicationYml.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
