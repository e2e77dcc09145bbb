package org.callcentre.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.DueCallbacks;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.dialler.CallStatus;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.GatherPrompt;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An agent works the agent console ({@code /console/}) in a real browser against the running app and the Twilio
 * emulator, which plays the agent's phone and the donor: a whole call from Next Lead to a paid pledge, a lead taken
 * over from another agent after confirming, a lead whose most recent status blocks calling, the countdown to the
 * next lead paused, a callback scheduled with the Call back outcome (and one refused), and a due callback offered
 * first by Next Lead; inbound calls put through to an available agent, with the caller's lead and the team's queue,
 * the availability switch's refusals, and a due callback called back agent-first. With the system property {@value #DOCS_SCREENSHOTS} set to a directory, the pictures that
 * {@code docs/console.md} shows are also saved there.
 */
@Order(7)
class ConsoleBrowserTest extends EndToEndTest {

    static final String VISA = "4242424242424242";
    static final String EXPIRY = "1230";
    static final String CVC = "737";
    static final String DOCS_SCREENSHOTS = "callcentre.console.screenshots";
    static final ZoneId LONDON = ZoneId.of("Europe/London");

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    /**
     * An agent of its own, whose team works one call list of the campaign; leads in import order (newest last), each
     * with a first and a second number.
     */
    record Desk(AgentApi agent, String password, long campaignId, long teamId, List<Long> leads,
            List<String> numbers, List<String> secondNumbers) {
        String user() {
            return agent.user();
        }
    }

    @Test
    void anAgentCallsTheNextLeadAndTakesAPaidPledge() {
        Desk desk = desk("Oliver", "Grant", "Amelia", "Hart");
        long amelia = desk.leads().get(1);
        String number = desk.numbers().get(1);
        WebDriver page = browser.driver();
        signIn(desk, true);
        connectPhone(desk);

        click("next-lead");
        awaitText("lead-name", "Amelia Hart");
        assertThat(text("lead-lock")).startsWith("You hold this lead since");
        assertThat(text("lead-phones")).contains(number);
        browser.await("the pledge's currency filled in from the lead's campaign", d -> "GBP".equals(
                d.findElement(By.id("pledge-currency")).getDomProperty("value")) ? true : null);
        browser.awaitVisible("the Call button", By.id("call"));
        shot("next-lead");

        click("call");
        EmulatedCall donor = twilio.awaitCallTo(number, WAIT);
        awaitText("call-status", "ringing");
        shot("ringing");
        donor.pickUp();
        donor.awaitConference(CardCaptureScenario.conferenceOf(desk.agent()), WAIT);
        awaitText("call-status", "in progress");

        type(By.id("pledge-amount"), "25");
        assertThat(new Select(page.findElement(By.id("pledge-frequency"))).getFirstSelectedOption().getText())
                .isEqualTo("monthly");
        click("pledge-save");
        browser.await("the pledge taken", d -> text("pledge-summary").contains("£25.00 monthly") ? true : null);
        WebElement cardIcon = browser.await("the card-capture icon enabled", d -> {
            WebElement icon = d.findElement(By.id("card-capture"));
            return icon.isEnabled() ? icon : null;
        });
        shot("pledge");

        cardIcon.click();
        awaitText("card-capture-label", "Bring the donor back");
        answer(donor, "card number", VISA + "#");
        shot("card-capture");
        answer(donor, "expiry date", EXPIRY + "#");
        answer(donor, "security code", CVC + "#");

        browser.awaitVisible("the card capture's outcome", By.id("capture-outcome"));
        JsonNode capture = admin.get("/api/pledges/" + pledgeOf(amelia)).json().get("cardCapture");
        assertThat(capture.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(text("capture-description")).as("the app's description of the outcome, or the console's")
                .isEqualTo(capture.hasNonNull("description") ? capture.get("description").asText()
                        : "The card was taken.");
        assertThat(text("capture-card")).isEqualTo("Visa ending 4242");
        assertThat(text("capture-paid")).isEqualTo("yes");
        assertThat(text("capture-token")).isEqualTo("yes");
        assertThat(text("card-capture-label")).isEqualTo("Take the card");
        assertThat(page.getPageSource()).as("no card number on the page").doesNotContain(VISA);
        shot("paid");
        donor.awaitConference(CardCaptureScenario.conferenceOf(desk.agent()), WAIT);

        click("hang-up");
        awaitText("call-status", "ended");
        click(By.cssSelector("#outcome-buttons button[data-status='PLEDGE']"));
        browser.await("the outcome recorded", d -> text("outcome-result").startsWith("Recorded: Pledge.") ? true
                : null);
        browser.await("what the decision made follow, in the history in words",
                d -> text("lead-history").contains("what follows (Pledge: Next Lead no longer offers the lead)") ? true
                        : null);
        assertThat(text("lead-history")).doesNotContain("OUTCOME_APPLIED", "STATUS_RECORDED");
        browser.awaitVisible("the countdown to the next lead", By.id("countdown"));
        shot("countdown");

        awaitText("lead-name", "Oliver Grant");
        JsonNode called = admin.get("/api/leads/" + amelia).json();
        assertThat(called.get("lastCallStatus").asText()).isEqualTo("PLEDGE");
        assertThat(called.get("lock").isNull()).as("Next Lead let the lead go").isTrue();
        assertThat(jdbc.queryForObject("select count(*) from lead_call_status where lead_id = ? and status = 'PLEDGE' "
                + "and call_id is not null", Integer.class, amelia)).isOne();
        assertThat(jdbc.queryForObject("select paid from pledge where lead_id = ?", Boolean.class, amelia)).isTrue();
    }

    private long pledgeOf(long lead) {
        return jdbc.queryForObject("select id from pledge where lead_id = ?", Long.class, lead);
    }

    @Test
    void anAgentTakesOverALeadAnotherAgentHoldsOnlyAfterConfirming() {
        Desk desk = desk("Priya", "Shah");
        long lead = desk.leads().get(0);
        AgentApi holder = CallCentreStaff.create(admin, "holder", "AGENT", false);
        AgentApi.Reply held = holder.post("/api/leads/" + lead + "/lock", null);
        assertThat(held.status()).as(held.toString()).isEqualTo(200);
        signIn(desk, false);

        openLead(lead);

        awaitText("lead-lock", null);
        assertThat(text("lead-lock")).startsWith("Locked by " + holder.user() + " since");
        assertThat(browser.driver().findElement(By.id("take-over")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElement(By.id("work")).isDisplayed()).as("no phone console").isFalse();
        assertThat(browser.driver().findElement(By.id("call")).isDisplayed()).isFalse();
        shot("locked-by-another");

        click("take-over");
        browser.awaitVisible("the take-over question", By.id("take-over-dialog"));
        assertThat(text("take-over-question")).contains("held by " + holder.user());
        click("take-over-cancel");
        browser.await("the question closed", d -> d.findElement(By.id("take-over-dialog")).isDisplayed() ? null : true);
        assertThat(lockHolder(lead)).as("cancelled: nothing changed").isEqualTo(holder.user());
        assertThat(browser.driver().findElement(By.id("work")).isDisplayed()).isFalse();

        click("take-over");
        browser.awaitVisible("the take-over question", By.id("take-over-dialog"));
        shot("take-over");
        click("take-over-confirm");

        browser.await("the lead held by the agent", d -> text("lead-lock").startsWith("You hold this lead") ? true
                : null);
        browser.awaitVisible("the Call button", By.id("call"));
        assertThat(lockHolder(lead)).isEqualTo(desk.user());
        assertThat(admin.get("/api/leads/" + lead + "/history").json()).anySatisfy(event -> {
            assertThat(event.get("kind").asText()).isEqualTo("LOCK_OVERRIDDEN");
            assertThat(event.get("detail").asText()).isEqualTo(desk.user() + " took the lock from " + holder.user());
        });
        browser.await("the take-over in the history", d -> text("lead-history").contains("taken over") ? true : null);
    }

    @Test
    void aLeadWhoseMostRecentStatusIsRemoveShowsWhyInPlaceOfThePhone() {
        Desk desk = desk("Tom", "Reed");
        long lead = desk.leads().get(0);
        String onTheList = desk.secondNumbers().get(0);
        assertThat(admin.postCsv("/api/do-not-call", "phone\n" + onTheList + "\n").status()).isEqualTo(200);
        AgentApi.Reply removed = admin.post("/api/leads/" + lead + "/call-statuses", Map.of("status", "REMOVE"));
        assertThat(removed.status()).as(removed.toString()).isEqualTo(201);
        signIn(desk, false);

        openLead(lead);

        WebElement blocked = browser.awaitVisible("the blocked sentence", By.id("blocked"));
        assertThat(blocked.getText()).isEqualTo(CallStatus.BLOCKED_MESSAGE)
                .isEqualTo("You can't call a record in the Call Statuses of Remove, Do Not Call or Complete. Please "
                        + "edit the most recent Call Status if you wish to enable the phone");
        assertThat(text("lead-lock")).startsWith("You hold this lead");
        assertThat(text("lead-status")).isEqualTo("Remove");
        assertThat(browser.driver().findElement(By.id("call")).isDisplayed()).isFalse();
        assertThat(text("lead-phones")).contains(desk.numbers().get(0))
                .contains(onTheList + " on the do-not-call list");
        shot("blocked");

        // As the sentence says: editing the most recent status enables the phone.
        new Select(browser.driver().findElement(By.id("edit-status"))).selectByValue("CALL_BACK");
        click("edit-status-button");

        browser.awaitVisible("the Call button", By.id("call"));
        assertThat(browser.driver().findElement(By.id("blocked")).isDisplayed()).isFalse();
        assertThat(text("lead-status")).isEqualTo("Call back");
        assertThat(new Select(browser.driver().findElement(By.id("dial-number"))).getOptions())
                .as("only the number that may be dialled").extracting(WebElement::getText)
                .containsExactly(desk.numbers().get(0));
    }

    @Test
    void aPausedCountdownStaysWhereItWasAndTheNextLeadComesOnlyAfterResuming() {
        Desk desk = desk("Grace", "Lee", "Sam", "Patel");
        long sam = desk.leads().get(1);
        signIn(desk, false);
        click("next-lead");
        awaitText("lead-name", "Sam Patel");

        click(By.cssSelector("#outcome-buttons button[data-status='NO_ANSWER']"));
        browser.awaitVisible("the countdown to the next lead", By.id("countdown"));
        click("countdown-pause");
        browser.awaitVisible("the countdown paused", By.id("countdown-paused"));
        String shown = text("countdown-seconds");
        assertThat(Integer.parseInt(shown)).isBetween(1, NEXT_LEAD_COUNTDOWN_SECONDS);
        shot("countdown-paused");

        // Longer than the whole countdown: it neither moves nor brings the next lead.
        long pausedAt = System.nanoTime();
        Duration longer = Duration.ofSeconds(NEXT_LEAD_COUNTDOWN_SECONDS + 2L);
        browser.await("the countdown still paused after " + longer, d -> {
            assertThat(text("countdown-seconds")).isEqualTo(shown);
            assertThat(text("lead-name")).isEqualTo("Sam Patel");
            return System.nanoTime() - pausedAt > longer.toNanos() ? true : null;
        });
        assertThat(lockHolder(sam)).isEqualTo(desk.user());

        click("countdown-resume");

        awaitText("lead-name", "Grace Lee");
        assertThat(browser.driver().findElement(By.id("countdown")).isDisplayed()).isFalse();
        assertThat(lockHolder(sam)).as("Next Lead let the lead go").isNull();
    }

    /**
     * On a call the donor answered, Call back opens the callback's form with the lead's time zone: submitted, the
     * callback is scheduled on that call and Call back is recorded with it; My callbacks lists it, due in the lead's
     * zone and in the agent's own.
     */
    @Test
    void theCallBackOutcomeSchedulesACallbackShownInMyCallbacks() {
        Desk desk = desk("Nina", "Brown");
        long lead = desk.leads().get(0);
        String number = desk.numbers().get(0);
        signIn(desk, false);
        connectPhone(desk);
        browser.awaitVisible("My callbacks", By.id("my-callbacks"));
        browser.awaitVisible("no callback yet", By.id("my-callbacks-none"));
        click("next-lead");
        awaitText("lead-name", "Nina Brown");
        click("call");
        EmulatedCall donor = twilio.awaitCallTo(number, WAIT);
        donor.pickUp();
        awaitText("call-status", "in progress");

        click(By.cssSelector("#outcome-buttons button[data-status='CALL_BACK']"));
        browser.awaitVisible("the callback's form", By.id("callback-form"));
        assertThat(new Select(browser.driver().findElement(By.id("callback-zone"))).getFirstSelectedOption()
                .getAttribute("value")).as("the lead's time zone first").isEqualTo(LONDON.getId());
        String dueAt = DueCallbacks.tomorrowAt("10:30", LONDON);
        setValue("callback-due", dueAt);
        type(By.id("callback-reason"), "Wants to talk it over with her partner");
        shot("callback-form");
        click("callback-save");

        browser.await("the outcome recorded with the callback", d -> text("outcome-result")
                .startsWith("Recorded: Call back.") ? true : null);
        assertThat(text("outcome-result")).endsWith("Callback scheduled for " + words(dueAt) + " Europe/London "
                + "(Call Back Agent).");
        assertThat(browser.driver().findElement(By.id("callback-form")).isDisplayed()).isFalse();
        long callId = jdbc.queryForObject("select id from outbound_call where lead_id = ?", Long.class, lead);
        Map<String, Object> callback = jdbc.queryForMap("select * from callback where lead_id = ?", lead);
        assertThat(callback).containsEntry("mode", "AGENT").containsEntry("owner_user_id", desk.user())
                .containsEntry("status", "SCHEDULED").containsEntry("due_local", dueAt)
                .containsEntry("time_zone", LONDON.getId()).containsEntry("phone", number)
                .containsEntry("reason", "Wants to talk it over with her partner");
        assertThat(((Number) callback.get("origin_call_id")).longValue()).isEqualTo(callId);
        assertThat(jdbc.queryForList("select status from lead_call_status where lead_id = ? and call_id = ?",
                String.class, lead, callId)).containsExactly("CALL_BACK");
        browser.await("the callback in the history, in words", d -> text("lead-history").contains("callback scheduled")
                ? true : null);

        WebElement row = browser.await("the callback in My callbacks", d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#my-callbacks-list tr[data-callback='"
                    + callback.get("id") + "']"));
            return rows.isEmpty() ? null : rows.get(0);
        });
        JsonNode view = desk.agent().get("/api/callbacks?ownerUserId=me&window=upcoming&viewerTimeZone="
                + browserZone()).json().get(0);
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells).containsExactly("Nina Brown (lead " + lead + ")", words(dueAt) + " Europe/London",
                words(view.get("dueAtViewer").asText()) + " " + browserZone(),
                "Wants to talk it over with her partner", "upcoming");
        assertThat(browser.driver().findElement(By.id("my-callbacks-none")).isDisplayed()).isFalse();
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].scrollIntoView()", row);
        shot("my-callbacks");
        ((JavascriptExecutor) browser.driver()).executeScript("window.scrollTo(0, 0)");

        click("hang-up");
        awaitText("call-status", "ended");
    }

    /**
     * A callback the rules refuse (its time has passed) is refused next to the form, in the app's words, and nothing
     * is recorded; corrected, it is scheduled without a call, for the team's queue.
     */
    @Test
    void aRefusedCallbackIsShownNextToTheFormAndNothingIsRecorded() {
        Desk desk = desk("Omar", "Said");
        long lead = desk.leads().get(0);
        signIn(desk, false);
        openLead(lead);

        click(By.cssSelector("#outcome-buttons button[data-status='CALL_BACK']"));
        browser.awaitVisible("the callback's form", By.id("callback-form"));
        String yesterday = LocalDate.now(LONDON).minusDays(1) + "T10:30";
        setValue("callback-due", yesterday);
        type(By.id("callback-reason"), "Call after the weekend");
        click("callback-save");

        WebElement refused = browser.awaitVisible("the refusal", By.id("callback-error"));
        assertThat(refused.getText()).isEqualTo("the callback's time " + yesterday + " (Europe/London) has passed");
        shot("callback-refused");
        assertThat(jdbc.queryForObject("select count(*) from callback where lead_id = ?", Integer.class, lead))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from lead_call_status where lead_id = ?", Integer.class,
                lead)).isZero();
        assertThat(browser.driver().findElement(By.id("outcome-result")).isDisplayed()).isFalse();
        assertThat(browser.driver().findElement(By.id("error")).isDisplayed()).as("said next to the form only")
                .isFalse();

        String tomorrow = DueCallbacks.tomorrowAt("09:15", LONDON);
        setValue("callback-due", tomorrow);
        click("callback-mode-queue");
        click("callback-save");

        browser.await("the outcome recorded with the callback", d -> text("outcome-result")
                .startsWith("Recorded: Call back.") ? true : null);
        assertThat(text("outcome-result")).endsWith("Callback scheduled for " + words(tomorrow)
                + " Europe/London (Call Back Queue).");
        assertThat(jdbc.queryForMap("select mode, owner_user_id, origin_call_id, status from callback "
                + "where lead_id = ?", lead)).containsEntry("mode", "QUEUE").containsEntry("owner_user_id", null)
                .containsEntry("origin_call_id", null).containsEntry("status", "SCHEDULED");
        assertThat(jdbc.queryForList("select status from lead_call_status where lead_id = ? and call_id is null",
                String.class, lead)).containsExactly("CALL_BACK");
        assertThat(browser.driver().findElement(By.id("callback-error")).isDisplayed()).isFalse();
    }

    /**
     * A due callback comes first from Next Lead, before the lead the call list would offer, with a banner above the
     * lead; scheduled for a time the person asked for outside the calling hours, its call is placed with the hours
     * overridden. The donor answers and asks to be called back again: Call back and the next callback go in one
     * request; the outcome keeps the callback the call served, then the next callback is scheduled on that call.
     */
    @Test
    void aDueCallbackIsOfferedFirstByNextLeadWithItsBanner() {
        Desk desk = desk("Ruth", "King", "Sean", "Lowe");
        long ruth = desk.leads().get(0);
        long callbackId = DueCallbacks.schedule(desk.agent(), ruth, DueCallbacks.tomorrowAt("11:00", LONDON),
                LONDON.getId(), "Asked for a call after her shift", "QUEUE", true);
        DueCallbacks.dueNow(transactions, jdbc, callbackId);
        signIn(desk, false);
        connectPhone(desk);

        click("next-lead");

        awaitText("lead-name", "Ruth King");
        WebElement banner = browser.awaitVisible("the callback's banner", By.id("callback-banner"));
        String due = jdbc.queryForObject("select due_at from callback where id = ?", Timestamp.class, callbackId)
                .toInstant().atZone(LONDON).format(DateTimeFormatter.ofPattern("HH:mm"));
        assertThat(text("callback-banner-text")).isEqualTo("Callback due " + due + " Europe/London (Call Back Queue): "
                + "Asked for a call after her shift");
        assertThat(text("callback-banner-detail")).startsWith("Attempts so far: 0.")
                .contains("outside the calling hours");
        assertThat(banner.getLocation().getY()).as("above the lead")
                .isLessThan(browser.driver().findElement(By.id("lead")).getLocation().getY());
        browser.await("the offer in the history, in words", d -> text("lead-history").contains("callback offered")
                ? true : null);
        shot("callback-due");

        click("call");
        EmulatedCall donor = twilio.awaitCallTo(desk.numbers().get(0), WAIT);
        assertThat(jdbc.queryForObject("select override_calling_hours from outbound_call where lead_id = ?",
                Boolean.class, ruth)).as("the call placed with the hours overridden").isTrue();
        donor.pickUp();
        awaitText("call-status", "in progress");
        click(By.cssSelector("#outcome-buttons button[data-status='CALL_BACK']"));
        browser.awaitVisible("the callback's form", By.id("callback-form"));
        String again = DueCallbacks.tomorrowAt("17:00", LONDON);
        setValue("callback-due", again);
        type(By.id("callback-reason"), "Still thinking it over");
        click("callback-save");

        String scheduled = "Callback scheduled for " + words(again) + " Europe/London (Call Back Agent).";
        browser.await("the outcome recorded with the next callback", d -> text("outcome-result").endsWith(scheduled)
                ? true : null);
        assertThat(text("outcome-result")).startsWith("Recorded: Call back.");
        browser.await("the callback kept, in the history", d -> text("lead-history").contains("callback kept") ? true
                : null);
        long callId = jdbc.queryForObject("select id from outbound_call where lead_id = ?", Long.class, ruth);
        assertThat(jdbc.queryForList("select id || ' ' || status from callback where lead_id = ? order by id",
                String.class, ruth)).hasSize(2).first().isEqualTo(callbackId + " DONE");
        assertThat(jdbc.queryForMap("select status, origin_call_id, due_local from callback where lead_id = ? "
                + "and id <> ?", ruth, callbackId)).containsEntry("status", "SCHEDULED")
                .containsEntry("due_local", again).containsEntry("origin_call_id", callId);
        assertThat(browser.driver().findElement(By.id("callback-error")).isDisplayed()).isFalse();
        click("hang-up");
        awaitText("call-status", "ended");
    }

    /**
     * The switch works once the phone is connected; available, the agent sees the caller put through and the lead
     * their number matches, opens it, and sees the team's queue; the panel goes when the caller hangs up.
     */
    @Test
    void anAvailableAgentSeesTheCallerPutThroughWithTheirLeadAndTheQueue() {
        Desk desk = desk("Lucy", "Ward");
        long lucy = desk.leads().get(0);
        String from = desk.numbers().get(0);
        String number = inboundNumber(desk);
        signIn(desk, false);
        browser.awaitVisible("the availability switch", By.id("available-switch"));
        assertThat(browser.driver().findElement(By.id("available")).isEnabled()).as("no phone, no switch").isFalse();
        awaitText("queue", "Queue: 0 waiting");
        connectPhone(desk);

        click("available");

        browser.await("the agent available", d -> d.findElement(By.id("available")).isSelected() ? true : null);
        assertThat(desk.agent().get("/api/agents/me/inbound").json().get("available").asBoolean()).isTrue();
        EmulatedCall caller = twilio.placeInboundCall(from, number);
        caller.awaitGather(WAIT);
        caller.press("1");
        caller.awaitConference(CardCaptureScenario.conferenceOf(desk.agent()), WAIT);
        browser.awaitVisible("the incoming call", By.id("incoming"));
        awaitText("incoming-from", from);
        awaitText("incoming-lead-name", "Lucy Ward (lead " + lucy + ")");
        assertThat(browser.driver().findElement(By.id("incoming-no-lead")).isDisplayed()).isFalse();
        browser.await("how long ago", d -> text("incoming-since").matches("put through 0:\\d\\d ago") ? true : null);

        EmulatedCall waiting = twilio.placeInboundCall(DiallerSetup.mobile(), number);
        waiting.awaitGather(WAIT);
        waiting.press("1");
        waiting.awaitQueued(WAIT);
        browser.await("the queue with the caller waiting", d -> text("queue")
                .matches("Queue: 1 waiting, longest 0:\\d\\d") ? true : null);
        click("incoming-open-lead");
        awaitText("lead-name", "Lucy Ward");
        assertThat(text("lead-lock")).startsWith("You hold this lead since");
        awaitText("lead-lists", null);
        shot("incoming-call");

        waiting.hangUp();
        awaitText("queue", "Queue: 0 waiting");
        caller.hangUp();
        browser.await("the incoming call gone", d -> d.findElement(By.id("incoming")).isDisplayed() ? null : true);
        assertThat(browser.driver().findElement(By.id("available")).isSelected()).as("still available").isTrue();
        browser.await("the call served, in the lead's history", d -> jdbc.queryForObject("select count(*) from "
                + "lead_history where lead_id = ? and kind = 'CALLED_IN'", Integer.class, lucy) > 0 ? true : null);
        openLead(lucy);
        browser.await("the call in the lead's history, in words", d -> text("lead-history").contains("called in")
                ? true : null);

        click("available");
        browser.await("the agent no longer available", d -> d.findElement(By.id("available")).isSelected() ? null
                : true);
        assertThat(desk.agent().get("/api/agents/me/inbound").json().get("available").asBoolean()).isFalse();
    }

    /**
     * The switch is disabled until the phone is connected; an agent in no team who switches it on is refused with
     * the app's reason, and stays unavailable.
     */
    @Test
    void theAvailabilitySwitchNeedsTheConnectedPhoneAndATeam() {
        AgentApi loner = CallCentreStaff.create(admin, "loner", "AGENT", false);
        Desk desk = new Desk(loner, CallCentreStaff.passwordOf(loner.user()), 0, 0, List.of(), List.of(), List.of());
        signIn(desk, false);
        browser.awaitVisible("the availability switch", By.id("available-switch"));
        assertThat(browser.driver().findElement(By.id("available")).isEnabled()).isFalse();
        assertThat(browser.driver().findElement(By.id("queue")).isDisplayed()).as("no team, no queue").isFalse();
        connectPhone(desk);

        click("available");

        WebElement refused = browser.awaitVisible("the refusal", By.id("error"));
        assertThat(refused.getText()).isEqualTo("you are in no team: inbound calls come through a team's queue");
        assertThat(browser.driver().findElement(By.id("available")).isSelected()).isFalse();
        assertThat(loner.get("/api/agents/me/inbound").json().get("available").asBoolean()).isFalse();

        click("phone-disconnect");
        awaitText("phone-state", "Phone not connected");
        browser.await("the switch disabled with the phone", d -> d.findElement(By.id("available")).isEnabled() ? null
                : true);
    }

    /**
     * Call back now on a due callback in My callbacks: refused without a device (the reason shown, the callback still
     * due); with one, the agent's device rings, the lead opens with the callback's banner, and once the agent has
     * heard the announcement the person is dialled and the console follows that call.
     */
    @Test
    void callBackNowRingsTheAgentsPhoneThenDialsThePerson() {
        Desk desk = desk("Ada", "Moss");
        long ada = desk.leads().get(0);
        long callbackId = DueCallbacks.schedule(desk.agent(), ada, DueCallbacks.tomorrowAt("12:00", LONDON),
                LONDON.getId(), "Call her back at lunch", "AGENT", false);
        DueCallbacks.dueNow(transactions, jdbc, callbackId);
        String device = jdbc.queryForObject("select device from call_centre_user where user_id = ?", String.class,
                desk.user());
        update("update call_centre_user set device = '' where user_id = ?", desk.user());
        signIn(desk, false);
        By callBackNow = By.cssSelector("#my-callbacks-list tr[data-callback='" + callbackId + "'] button");
        browser.awaitVisible("Call back now on the due callback", callBackNow);

        click(callBackNow);

        WebElement refused = browser.awaitVisible("the refusal", By.id("my-callbacks-error"));
        assertThat(refused.getText()).startsWith("you have no device to ring");
        assertThat(jdbc.queryForObject("select status from callback where id = ?", String.class, callbackId))
                .isEqualTo("DUE");
        update("update call_centre_user set device = ? where user_id = ?", device, desk.user());

        click(callBackNow);

        EmulatedCall phone = twilio.awaitCallTo("client:" + desk.user(), WAIT);
        awaitText("lead-name", "Ada Moss");
        assertThat(text("callback-banner-call")).startsWith("Your phone will ring…");
        assertThat(text("callback-banner-text")).endsWith("(Call Back Agent): Call her back at lunch");
        assertThat(browser.driver().findElement(By.id("my-callbacks-error")).isDisplayed()).isFalse();
        phone.pickUp();
        phone.awaitHeard("This is the callback call.", WAIT);
        EmulatedCall person = twilio.awaitCallTo(desk.numbers().get(0), WAIT);
        awaitText("call-status", "ringing");
        person.pickUp();
        awaitText("call-status", "in progress");
        click("hang-up");
        awaitText("call-status", "ended");
    }

    /** An inbound number of the desk's own whose key 1 leads to the desk's team's queue. */
    private String inboundNumber(Desk desk) {
        String number = DiallerSetup.mobile();
        AgentApi.Reply created = admin.post("/api/inbound-numbers", Map.of("number", number, "locale", "en-GB",
                "greeting", "Welcome to the Hope Foundation.", "options", List.of(Map.of("key", "1", "label",
                        "donations", "teamId", desk.teamId())), "lostCallsBecomeCallbacks", false, "campaignId",
                desk.campaignId()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        twilio.setVoiceUrl(number, BASE + "/twilio/inbound/voice", BASE + "/twilio/calls/status");
        return number;
    }

    /** An update committed at once (the app's connections do not auto-commit). */
    private void update(String sql, Object... arguments) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> jdbc.update(sql, arguments));
    }

    /**
     * A new campaign (save the card, then charge it) that may call all day, a call list of these donors (first and
     * last names, in pairs), and a new agent whose team works that list.
     */
    private Desk desk(String... names) {
        AgentApi agent = CallCentreStaff.create(admin, "console", "AGENT", false);
        AgentApi.Reply created = admin.post("/api/campaigns", Map.of("name", CallCentreStaff.freshId("Spring appeal "),
                "currency", "GBP", "locale", "en-GB", "instantPayment", true, "tokensEnabled", true,
                "paymentFirst", false));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long campaign = created.json().get("id").asLong();
        AgentApi.Reply rules = admin.put("/api/campaigns/" + campaign + "/dialling",
                DiallerSetup.rules(0, 1000, 1000, "00:00", "00:00", "Europe/London"));
        assertThat(rules.status()).as(rules.toString()).isEqualTo(200);
        AgentApi.Reply callerIds = admin.put("/api/campaigns/" + campaign + "/caller-ids",
                Map.of("numbers", List.of(CardCaptureScenario.CALLER_ID)));
        assertThat(callerIds.status()).as(callerIds.toString()).isEqualTo(200);
        AgentApi.Reply callList = admin.post("/api/call-lists", Map.of("name",
                CallCentreStaff.freshId("Lapsed donors "), "campaignId", campaign));
        assertThat(callList.status()).as(callList.toString()).isEqualTo(201);
        long list = callList.json().get("id").asLong();
        StringBuilder csv = new StringBuilder("first_name,last_name,phone,phone_2,external_ref\n");
        List<String> numbers = new ArrayList<>();
        List<String> secondNumbers = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < names.length; i += 2) {
            String number = DiallerSetup.mobile();
            String second = DiallerSetup.mobile();
            String ref = CallCentreStaff.freshId("CON-");
            numbers.add(number);
            secondNumbers.add(second);
            refs.add(ref);
            csv.append(String.join(",", names[i], names[i + 1], number, second, ref)).append('\n');
        }
        AgentApi.Reply imported = admin.postCsv("/api/call-lists/" + list + "/leads", csv.toString());
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        List<Long> leads = new ArrayList<>();
        for (String ref : refs) {
            leads.add(admin.get("/api/leads?externalRef=" + ref).json().get("items").get(0).get("id").asLong());
        }
        long team = DiallerSetup.team(admin, List.of(agent.user()), List.of(list));
        return new Desk(agent, CallCentreStaff.passwordOf(agent.user()), campaign, team, leads, numbers,
                secondNumbers);
    }

    private void signIn(Desk desk, boolean pictures) {
        WebDriver page = browser.driver();
        page.get(BASE + "/console/");
        browser.awaitVisible("the sign-in form", By.id("username"));
        type(By.id("username"), desk.user());
        type(By.id("password"), desk.password());
        if (pictures) {
            shot("sign-in");
        }
        click("sign-in-button");
        browser.awaitVisible("the console", By.id("console"));
        awaitText("user-id", desk.user());
        assertThat(text("user-role")).isEqualTo("Agent");
    }

    /** The emulator rings the agent's device; the agent answers; the page shows the phone connected. */
    private void connectPhone(Desk desk) {
        click("phone-connect");
        twilio.awaitCallTo("client:" + desk.user(), WAIT).pickUp();
        awaitText("phone-state", "Phone connected");
    }

    private void openLead(long lead) {
        type(By.id("open-lead-id"), Long.toString(lead));
        click("open-lead");
        awaitText("lead-id", Long.toString(lead));
    }

    /** The donor hears the prompt asking for this and keys the answer in. */
    private static void answer(EmulatedCall donor, String asked, String keys) {
        GatherPrompt prompt = donor.awaitGather(WAIT);
        assertThat(prompt.prompt()).containsIgnoringCase(asked);
        donor.press(keys);
    }

    /** Sets an input's value as the browser's own picker would (a datetime-local field takes no typing reliably). */
    private static void setValue(String id, String value) {
        WebElement input = browser.driver().findElement(By.id(id));
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = arguments[1]; "
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", input, value);
        assertThat(input.getDomProperty("value")).isEqualTo(value);
    }

    /** The browser's own time zone, as the page reads it. */
    private static String browserZone() {
        return (String) ((JavascriptExecutor) browser.driver()).executeScript(
                "return Intl.DateTimeFormat().resolvedOptions().timeZone");
    }

    /** A local date-time as the console says it: "2027-03-28T14:30" is "28 Mar 2027, 14:30". */
    private static String words(String localDateTime) {
        return LocalDateTime.parse(localDateTime.substring(0, 16)).format(DateTimeFormatter.ofPattern("d MMM yyyy, "
                + "HH:mm", Locale.UK));
    }

    private String lockHolder(long lead) {
        return jdbc.queryForObject("select case when lock_touched_at is null then null else locked_by end from lead "
                + "where id = ?", String.class, lead);
    }

    private static void awaitText(String id, String expected) {
        browser.awaitText(By.id(id), expected);
    }

    private static String text(String id) {
        return browser.driver().findElement(By.id(id)).getText().strip();
    }

    private static void click(String id) {
        click(By.id(id));
    }

    private static void click(By locator) {
        browser.click(locator);
    }

    private static void type(By field, String text) {
        browser.type(field, text);
    }

    /** A screenshot in target/browser-screenshots and, when asked for, in the docs' directory. */
    private static void shot(String name) {
        browser.screenshot(name, DOCS_SCREENSHOTS);
    }
}
