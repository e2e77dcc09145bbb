package org.callcentre.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Users;
import org.callcentre.app.tasklist.TasklistFilters;
import org.callcentre.processes.Groups;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Camunda's Tasklist as the call centre sees it, in a real browser: each role's own filters, no end-of-life banner,
 * the agent's "Card capture in progress" task named after the donor and the pledge, with its Camunda Form in words,
 * and completing it to bring the donor back at once.
 */
@Order(5)
class TasklistBrowserTest extends EndToEndTest {

    /** A user of its own for the wrong password: a failed login delays that user's next logins. */
    static final String WRONG_PASSWORD_USER = "browserwrongpassword";
    static final String BACK_OFFICE_USER = "browserbackoffice";
    /** Stripe's test card declined for insufficient funds. */
    static final String INSUFFICIENT_FUNDS = "4000000000009995";

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    @Autowired
    IdentityService identity;
    @Autowired
    TaskService tasks;
    @Autowired
    HistoryService history;
    @Autowired
    JdbcTemplate jdbc;

    /**
     * The agent's Tasklist in the business's words: their own filters, no end-of-life banner, the capture named after
     * the donor and the pledge, its form telling in words what happened so far (a first card declined), and, once the
     * agent brings the donor back, no task left to acknowledge the outcome: the console tells it.
     */
    @Test
    void theAgentBringsTheDonorBackFromTasklist() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.enterCard(INSUFFICIENT_FUNDS, "1230", "737");
        // The donor hears why (in the gather's document, or in the one before it) and is asked for another card.
        assertThat(call.donor.awaitHeard("insufficient funds", WAIT)).isNotBlank();
        assertThat(call.prompt().prompt()).containsIgnoringCase("card number");
        String instance = instanceOf(call);
        Task inProgress = awaitTask(instance, Elements.CAPTURE_IN_PROGRESS);
        String name = "Card capture in progress: Scenario Donor, £20.00 one-off";
        assertThat(inProgress.getAssignee()).isEqualTo(call.agent.user());
        assertThat(inProgress.getName()).isEqualTo(name);

        tasklist().logIn(call.agent.user(), call.agentPassword);
        assertThat(browser.awaitVisible("the task list", By.cssSelector("[cam-tasks] .tasks-list")).isDisplayed())
                .isTrue();
        assertNoEndOfLifeBanner("tasklist-agent");
        assertThat(tasklist().filtersShown()).containsExactly(TasklistFilters.MY_CALLS);
        tasklist().openTask(inProgress, name);
        tasklist().awaitCamundaForm(inProgress);
        String soFar = browser.await("the So far field with a value", d -> {
            WebElement field = TasklistPage.field(d, "So far", "textarea");
            String value = field == null ? null : field.getDomProperty("value");
            return value == null || value.isEmpty() ? null : value;
        });
        assertThat(soFar).isEqualTo("The card was declined: insufficient funds. The donor is entering another card");
        assertThat(TasklistPage.formText(browser.driver())).contains("Card capture in progress")
                .contains("Submit only to bring the donor back to the call now")
                .doesNotContain("IN_PROGRESS", "INSUFFICIENT_FUNDS");
        browser.screenshot("capture-in-progress-form");
        tasklist().complete(inProgress);

        call.awaitBackWithAgent();
        await().atMost(WAIT).untilAsserted(() -> assertThat(call.captureStatus()).isEqualTo("CANCELLED_BY_AGENT"));
        // The outcome only informs: the process ends without a task for the agent, and the console tells it.
        await().atMost(WAIT).until(() -> {
            HistoricProcessInstance ended = history.createHistoricProcessInstanceQuery().processInstanceId(instance)
                    .singleResult();
            return ended.getEndTime() != null;
        });
        assertThat(tasks.createTaskQuery().processInstanceId(instance).count()).isZero();
        assertThat(call.pledge().get("cardCapture").get("description").asText())
                .isEqualTo("You brought the donor back before the card was taken: nothing was charged");
        browser.driver().navigate().refresh();
        // What stays is the call's own task, until the agent says how the call went.
        browser.await("My calls counting only the call's Talk task", d -> d.findElements(
                By.cssSelector("[cam-tasklist-filters] .task-filter.active .counter")).stream()
                .anyMatch(counter -> counter.getText().replaceAll("[()\\s]", "").equals("1")));
        assertThat(tasks.createTaskQuery().taskAssignee(call.agent.user()).singleResult().getName())
                .isEqualTo("Talk to Scenario Donor");
        assertThat(browser.driver().findElements(TasklistPage.taskLink(inProgress))).isEmpty();
        browser.screenshot("only-the-call-left");
    }

    /** An agent admin's Tasklist shows the back office's filter, and neither Tasklist nor Cockpit the banner. */
    @Test
    void theBackOfficeWorksFromFollowUps() {
        Users.ensure(identity, BACK_OFFICE_USER, Groups.AGENT_ADMINS);

        tasklist().logIn(BACK_OFFICE_USER, EndToEndTest.PASSWORD);
        assertThat(tasklist().filtersShown()).containsExactly(TasklistFilters.FOLLOW_UPS);
        assertNoEndOfLifeBanner("tasklist-agent-admin");

        browser.driver().get(BASE + "/camunda/app/cockpit/default/");
        browser.awaitVisible("Cockpit's dashboard", By.cssSelector("[cam-widget-header] .navbar-brand"));
        assertNoEndOfLifeBanner("cockpit-agent-admin");
    }

    @Test
    void aWrongPasswordIsRefused() {
        Users.ensure(identity, WRONG_PASSWORD_USER, Groups.AGENTS);

        tasklist().logIn(WRONG_PASSWORD_USER, "not-the-password");
        WebElement error = browser.awaitVisible("the login error",
                By.cssSelector("[notifications-panel] .alert-danger"));
        assertThat(error.getText()).contains("Login Failed")
                .contains("Wrong credentials, locked user or missing access rights to application");
        browser.screenshot("login-refused");
        WebDriver page = browser.driver();
        assertThat(page.getCurrentUrl()).contains("#/login");
        assertThat(page.findElements(By.cssSelector("form[name=signinForm]"))).isNotEmpty();
        assertThat(page.findElements(By.cssSelector("[cam-tasks]"))).isEmpty();
    }

    /**
     * The Community Edition's "migrate to Camunda 8" banner is in the page (the webapps render it in every header)
     * but hidden by the app's user stylesheet: not displayed, and its words nowhere on the screen.
     */
    private void assertNoEndOfLifeBanner(String screenshot) {
        WebDriver page = browser.driver();
        List<WebElement> banners = browser.await("the webapp's header rendered", d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[cam-widget-header] .ce-eol-banner"));
            return found.isEmpty() ? null : found;
        });
        assertThat(banners).as("end-of-life banners displayed").noneMatch(WebElement::isDisplayed);
        assertThat(page.findElement(By.tagName("body")).getText()).doesNotContain("time to migrate")
                .doesNotContain("Camunda 8");
        browser.screenshot(screenshot);
    }

    private Task awaitTask(String instance, String definitionKey) {
        return await().atMost(WAIT).until(() -> tasks.createTaskQuery().processInstanceId(instance)
                .taskDefinitionKey(definitionKey).singleResult(), task -> task != null);
    }

    private String instanceOf(CardCaptureScenario call) {
        return await().atMost(WAIT).until(() -> jdbc.queryForList("select process_instance_id from card_capture "
                + "where pledge_id = ? order by started_at desc", String.class, call.pledgeId).stream().findFirst()
                .orElse(null), id -> id != null);
    }

    private TasklistPage tasklist() {
        return new TasklistPage(browser, tasks, BASE, WAIT);
    }
}
