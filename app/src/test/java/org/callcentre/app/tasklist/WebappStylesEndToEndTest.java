package org.callcentre.app.tasklist;

import static org.assertj.core.api.Assertions.assertThat;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every webapp loads the app's own user stylesheet, Camunda's documented place for custom styles, in place of the
 * webjar's empty one, and that stylesheet hides the Community Edition's end-of-life banner. The browser test
 * (TasklistBrowserTest) sees the result on the screen; this one holds without a browser, for all four webapps.
 */
@Order(4)
class WebappStylesEndToEndTest extends EndToEndTest {

    @ParameterizedTest
    @ValueSource(strings = {"tasklist", "cockpit", "admin", "welcome"})
    void theWebappLoadsTheStylesheetThatHidesTheBanner(String webapp) {
        AgentApi.Reply page = anonymous.get("/camunda/app/" + webapp + "/default/");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body()).contains("/camunda/app/" + webapp + "/styles/user-styles.css");

        AgentApi.Reply styles = anonymous.get("/camunda/app/" + webapp + "/styles/user-styles.css");
        assertThat(styles.status()).as(styles.toString()).isEqualTo(200);
        assertThat(styles.contentType()).contains("text/css");
        assertThat(styles.body().replaceAll("\\s+", " "))
                .contains(".ce-eol-banner { display: none !important; }");
    }
}
