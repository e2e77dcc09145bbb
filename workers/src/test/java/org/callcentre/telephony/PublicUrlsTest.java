package org.callcentre.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicUrlsTest {

    @Test
    void pathsAreAppendedToTheBase() {
        PublicUrls urls = new PublicUrls("https://pay.example.org");

        assertThat(urls.base()).isEqualTo("https://pay.example.org");
        assertThat(urls.of("/twilio/voice")).isEqualTo("https://pay.example.org/twilio/voice");
        assertThat(urls.of("twilio/voice")).isEqualTo("https://pay.example.org/twilio/voice");
        assertThat(urls.of("/twilio/gather?capture=abc&step=2"))
                .isEqualTo("https://pay.example.org/twilio/gather?capture=abc&step=2");
    }

    @Test
    void aTrailingSlashOnTheBaseIsDropped() {
        PublicUrls urls = new PublicUrls("https://pay.example.org/");

        assertThat(urls.base()).isEqualTo("https://pay.example.org");
        assertThat(urls.of("/twilio/voice")).isEqualTo("https://pay.example.org/twilio/voice");
        assertThat(urls.of("twilio/voice")).isEqualTo("https://pay.example.org/twilio/voice");
    }

    @Test
    void aBaseWithAPathAndPortKeepsThem() {
        PublicUrls urls = new PublicUrls("http://localhost:8080/callcentre/");

        assertThat(urls.base()).isEqualTo("http://localhost:8080/callcentre");
        assertThat(urls.of("/twilio/voice")).isEqualTo("http://localhost:8080/callcentre/twilio/voice");
        assertThat(urls.of("twilio/voice")).isEqualTo("http://localhost:8080/callcentre/twilio/voice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/callcentre", "callcentre/", "pay.example.org", "pay.example.org/twilio",
            "//pay.example.org", "", "https:relative", "localhost:8080"})
    void aRelativeBaseIsRefused(String base) {
        assertThatThrownBy(() -> new PublicUrls(base))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRefusalNamesTheSetting() {
        assertThatThrownBy(() -> new PublicUrls("/callcentre"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app.public-base-url")
                .hasMessageContaining("/callcentre");
    }
}
