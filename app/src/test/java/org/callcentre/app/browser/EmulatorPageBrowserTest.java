package org.callcentre.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A person plays the donor on the Twilio emulator's page in a real browser: answers the dialler's call, which joins
 * the agent's conference, hears the card prompts the app sends, keys the card in on the page's keypad and comes back
 * to the agent.
 */
@Order(6)
class EmulatorPageBrowserTest extends EndToEndTest {

    static final String VISA = "4242424242424242";
    static final String EXPIRY = "1230";
    static final String CVC = "737";

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TaskService tasks;
    @Autowired
    HistoryService history;

    @Test
    void aPersonAnswersTheDiallersCallAndKeysTheCardInOnTheEmulatorPage() {
        WebDriver page = browser.driver();
        page.get(twilio.baseUrl() + "/");
        browser.awaitVisible("the emulator page's new-call form", By.id("new-call"));
        trackDigitRequests();

        // An agent on the phone calls a lead of their own; the donor's phone rings on the page.
        AgentApi agent = CardCaptureScenario.agentOnThePhone(admin, twilio);
        long campaignId = CardCaptureScenario.campaign(admin, true, false, false);
        long leadId = CardCaptureScenario.lockedLead(campaignId, admin, agent);
        String sid = CardCaptureScenario.placeCall(leadId, agent).callSid();
        String conference = CardCaptureScenario.conferenceOf(agent);
        browser.await("the dialler's call listed on the page", d -> {
            for (WebElement call : d.findElements(By.cssSelector("#calls li"))) {
                if (call.getText().contains(sid)) {
                    call.click();
                    return Boolean.TRUE;
                }
            }
            return null;
        });
        browser.await("the call selected and ringing", d -> sid.equals(d.findElement(By.id("d-sid")).getText().strip())
                && d.findElement(By.id("answer")).isDisplayed() ? Boolean.TRUE : null);
        page.findElement(By.id("answer")).click();

        browser.await("the donor in conference " + conference, d -> d.findElement(By.id("d-where")).getText()
                .equals("in conference " + conference) ? Boolean.TRUE : null);
        browser.screenshot("donor-in-conference");
        EmulatedCall donor = twilio.call(sid);
        assertThat(donor.conference()).isEqualTo(conference);
        assertThat(page.findElement(By.id("d-status")).getText()).isEqualTo("in-progress");

        long pledgeId = pledge(agent, campaignId, leadId, donor.to(), "20", "ONE_OFF");
        AgentApi.Reply started = agent.post("/api/pledges/" + pledgeId + "/card-capture", Map.of("callSid", sid));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        // A job moves the donor into the IVR after the 202; until it has, the donor is still in the agent's conference,
        // which awaitPrompt would take for being sent back.
        donor.awaitGather(WAIT);

        awaitPrompt(donor, "card number");
        browser.screenshot("card-number-prompt");
        pressKeys(donor, VISA + "#");
        awaitPrompt(donor, "expiry date");
        pressKeys(donor, EXPIRY + "#");
        awaitPrompt(donor, "security code");
        browser.screenshot("security-code-prompt");
        pressKeys(donor, CVC + "#");

        browser.await("the outcome heard on the page", d -> d.findElements(By.cssSelector("#heard li")).stream()
                .anyMatch(li -> li.getText().contains("accepted")));
        browser.await("the call back in conference " + conference, d -> d.findElement(By.id("d-where")).getText()
                .equals("in conference " + conference));
        browser.screenshot("back-with-agent");
        assertThat(page.findElement(By.id("gather-state")).getText()).isEqualTo("No prompt is collecting keys");
        assertThat(page.findElement(By.id("error")).getText()).isEmpty();
        assertThat(donor.conference()).isEqualTo(conference);

        await().atMost(WAIT).untilAsserted(() -> assertThat(captureStatus(agent, pledgeId)).isEqualTo("SUCCEEDED"));
        JsonNode pledge = pledgeJson(agent, pledgeId);
        assertThat(pledge.get("maskedCard").asText()).isEqualTo("Visa ending 4242");
        assertThat(pledge.get("paid").asBoolean()).isTrue();
        assertThat(gateway.charges()).filteredOn(c -> String.valueOf(pledgeId).equals(c.metadata().get("pledge_id")))
                .singleElement().satisfies(charge -> assertThat(charge.amount()).isEqualTo(2000));

        // The outcome only informs (the console shows it in words): the process ends at once, with nothing left for
        // the agent to complete, and erases what it kept of the card.
        String instance = jdbc.queryForObject("select process_instance_id from card_capture where pledge_id = ?",
                String.class, pledgeId);
        await().atMost(WAIT).until(() -> history.createHistoricProcessInstanceQuery().processInstanceId(instance)
                .singleResult().getEndTime() != null);
        assertThat(tasks.createTaskQuery().processInstanceId(instance).count()).isZero();
        assertThat(pledgeJson(agent, pledgeId).get("cardCapture").get("description").asText())
                .isEqualTo("Paid: Visa ending 4242");
    }

    /** The agent's pledge on the lead whose call the donor answered. */
    private static long pledge(AgentApi agent, long campaignId, long leadId, String donorPhone, String amount,
            String frequency) {
        AgentApi.Reply pledge = agent.post("/api/pledges", Map.of(
                "campaignId", campaignId,
                "leadId", leadId,
                "donorName", "Browser Donor",
                "donorPhone", donorPhone,
                "amount", amount,
                "currency", "GBP",
                "frequency", frequency));
        assertThat(pledge.status()).as(pledge.toString()).isEqualTo(201);
        return pledge.json().get("id").asLong();
    }

    private static JsonNode pledgeJson(AgentApi agent, long pledgeId) {
        AgentApi.Reply reply = agent.get("/api/pledges/" + pledgeId);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static String captureStatus(AgentApi agent, long pledgeId) {
        JsonNode capture = pledgeJson(agent, pledgeId).get("cardCapture");
        return capture == null || capture.isNull() ? null : capture.get("status").asText();
    }

    /**
     * Waits until the page shows an open prompt (it polls the emulator once a second) asking for this; fails at
     * once, with what the donor heard, should the donor be sent back to the agent instead.
     */
    private void awaitPrompt(EmulatedCall donor, String fragment) {
        String prompt = browser.await("a prompt asking for the " + fragment, d -> {
            String state = d.findElement(By.id("gather-state")).getText();
            String shown = d.findElement(By.id("prompt")).getText();
            if (state.equals("Waiting for your keys") && shown.toLowerCase(Locale.ROOT).contains(fragment)) {
                return shown;
            }
            return donor.inConference() || donor.ended() ? "" : null;
        });
        if (prompt.isEmpty()) {
            browser.screenshot("no-" + fragment + "-prompt");
            throw new AssertionError("Waiting for the prompt asking for the " + fragment + ", but the donor is "
                    + (donor.ended() ? "no longer on the call" : "back in conference " + donor.conference())
                    + "; the donor heard " + donor.heard());
        }
    }

    /**
     * Counts the page's key requests, so each key click can wait until the emulator has taken that key: the page
     * sends every key as a request of its own, and requests in flight together may reach the emulator in any
     * order (a person does not press keys that fast; a test clicking as fast as it can does).
     */
    private void trackDigitRequests() {
        browser.script("""
                if (!window.__keys) {
                  window.__keys = {sent: 0, answered: 0, failed: 0};
                  var original = window.fetch;
                  window.fetch = function (url, options) {
                    var isKey = /\\/digits$/.test(String(url));
                    if (isKey) { window.__keys.sent++; }
                    var answer = original.apply(this, arguments);
                    if (isKey) {
                      answer.then(function (r) { window.__keys.answered++; if (!r.ok) { window.__keys.failed++; } },
                                  function () { window.__keys.answered++; window.__keys.failed++; });
                    }
                    return answer;
                  };
                }
                """);
    }

    /**
     * Clicks the page's keypad buttons one by one as a donor would: each once the emulator has taken the one
     * before and, when that key ended a prompt, once the app has answered (the donor hears the next prompt, or is
     * back with the agent). The app answers in milliseconds, a person presses a key every few hundred.
     */
    private void pressKeys(EmulatedCall donor, String keys) {
        for (char key : keys.toCharArray()) {
            long before = ((Number) browser.script("return window.__keys.sent;")).longValue();
            browser.driver().findElement(By.cssSelector("#keypad button[data-key='" + key + "']")).click();
            browser.await("the emulator to take a key", d -> {
                Object answered = browser.script("return window.__keys.sent > " + before
                        + " && window.__keys.answered === window.__keys.sent;");
                return Boolean.TRUE.equals(answered) ? Boolean.TRUE : null;
            });
            await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(
                    () -> donor.gatherOpen() || donor.inConference() || donor.ended());
        }
        assertThat(((Number) browser.script("return window.__keys.failed;")).longValue())
                .as("key requests the emulator refused").isZero();
    }
}
