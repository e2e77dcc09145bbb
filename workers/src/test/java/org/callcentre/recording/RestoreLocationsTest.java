package org.callcentre.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only a URL under the restore store's base is ever accepted as a place to fetch a restored recording from. */
class RestoreLocationsTest {

    private final RestoreLocations locations = new RestoreLocations(URI.create("https://restores.example.org/call-centre"));

    @Test
    void aFileUnderTheBaseIsAccepted() {
        assertThat(locations.check("https://restores.example.org/call-centre/2026/RE0123.wav"))
                .isEqualTo(URI.create("https://restores.example.org/call-centre/2026/RE0123.wav"));
        assertThat(locations.check(" https://RESTORES.example.org:443/call-centre/RE0123.wav?signature=abc "))
                .hasHost("RESTORES.example.org");
        assertThat(locations.base()).contains(URI.create("https://restores.example.org/call-centre/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not a url", "/call-centre/RE0123.wav", "https://restores.example.org/call-centre/",
        "https://restores.example.org/call-centre", "https://restores.example.org/call-centre-other/RE0123.wav",
        "https://restores.example.org/elsewhere/RE0123.wav", "http://restores.example.org/call-centre/RE0123.wav",
        "https://restores.example.org:8443/call-centre/RE0123.wav", "https://evil.example.org/call-centre/RE0123.wav",
        "https://restores.example.org.evil.net/call-centre/RE0123.wav",
        "https://user:pass@restores.example.org/call-centre/RE0123.wav",
        "https://restores.example.org/call-centre/../admin", "https://restores.example.org/call-centre/./x/../../a",
        "https://restores.example.org/call-centre/%2e%2e/admin", "https://restores.example.org/call-centre/%2F..%2Fa",
        "https://restores.example.org/call-centre/a%5c..%5cb", "https://restores.example.org/call-centre//x",
        "https://restores.example.org/call-centre/RE0123.wav#fragment", "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1:8080/api/users", "file:///etc/passwd", "jar:https://restores.example.org/call-centre/a!/b"})
    void anythingElseIsRefused(String location) {
        assertThatThrownBy(() -> locations.check(location)).isInstanceOf(RestoreLocations.RefusedLocation.class)
                .hasMessageContaining("restore");
    }

    @Test
    void withoutABaseNothingIsAccepted() {
        assertThatThrownBy(() -> new RestoreLocations(null).check("https://restores.example.org/call-centre/a.wav"))
                .isInstanceOf(RestoreLocations.RefusedLocation.class)
                .hasMessageContaining("app.recording.restore-base-url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://restores.example.org/x/", "https://user@restores.example.org/x/",
        "https://restores.example.org/x/?a=b", "relative/path"})
    void aBaseThatIsNotAPlainHttpFolderIsRefusedAtStartUp(String base) {
        assertThatThrownBy(() -> new RestoreLocations(URI.create(base))).isInstanceOf(IllegalArgumentException.class);
    }
}
