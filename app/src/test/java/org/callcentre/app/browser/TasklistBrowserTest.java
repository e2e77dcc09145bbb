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

    static final String TASKLIST = "/camunda/app/tasklist/default/";
    /** The Camunda Form (form-js) of the open task. */
    static final By FORM = By.cssSelector("[cam-tasklist-form-camunda] .fjs-form");
    static final By FIELDS = By.cssSelector("[cam-tasklist-form-camunda] .fjs-form .fjs-form-field");
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
        assertThat(call.prompt().prompt()).contains("insufficient funds").containsIgnoringCase("card number");
        String instance = instanceOf(call);
        Task inProgress = awaitTask(instance, Elements.CAPTURE_IN_PROGRESS);
        String name = "Card capture in progress: Scenario Donor, £20.00 one-off";
        assertThat(inProgress.getAssignee()).isEqualTo(call.agent.user());
        assertThat(inProgress.getName()).isEqualTo(name);

        logIn(call.agent.user(), call.agentPassword);
        assertThat(browser.awaitVisible("the task list", By.cssSelector("[cam-tasks] .tasks-list")).isDisplayed())
                .isTrue();
        assertNoEndOfLifeBanner("tasklist-agent");
        assertThat(filtersShown()).containsExactly(TasklistFilters.MY_CALLS);
        openTask(inProgress, name);
        awaitCamundaForm(inProgress);
        String soFar = browser.await("the So far field with a value", d -> {
            WebElement field = field(d, "So far", "textarea");
            String value = field == null ? null : field.getDomProperty("value");
            return value == null || value.isEmpty() ? null : value;
        });
        assertThat(soFar).isEqualTo("The card was declined: insufficient funds. The donor is entering another card");
        assertThat(formText(browser.driver())).contains("Card capture in progress")
                .contains("Submit only to bring the donor back to the call now")
                .doesNotContain("IN_PROGRESS", "INSUFFICIENT_FUNDS");
        browser.screenshot("capture-in-progress-form");
        complete(inProgress);

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
        assertThat(browser.driver().findElements(taskLink(inProgress))).isEmpty();
        browser.screenshot("only-the-call-left");
    }

    /** An agent admin's Tasklist shows the back office's filter, and neither Tasklist nor Cockpit the banner. */
    @Test
    void theBackOfficeWorksFromFollowUps() {
        Users.ensure(identity, BACK_OFFICE_USER, Groups.AGENT_ADMINS);

        logIn(BACK_OFFICE_USER, EndToEndTest.PASSWORD);
        assertThat(filtersShown()).containsExactly(TasklistFilters.FOLLOW_UPS);
        assertNoEndOfLifeBanner("tasklist-agent-admin");

        browser.driver().get(BASE + "/camunda/app/cockpit/default/");
        browser.awaitVisible("Cockpit's dashboard", By.cssSelector("[cam-widget-header] .navbar-brand"));
        assertNoEndOfLifeBanner("cockpit-agent-admin");
    }

    @Test
    void aWrongPasswordIsRefused() {
        Users.ensure(identity, WRONG_PASSWORD_USER, Groups.AGENTS);

        logIn(WRONG_PASSWORD_USER, "not-the-password");
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

    private void logIn(String user, String password) {
        WebDriver page = browser.driver();
        page.get(BASE + TASKLIST);
        browser.awaitVisible("the login form",
                By.cssSelector("form[name=signinForm] input[type=text]"));
        browser.screenshot("login-" + user);
        // The login page moves the focus to the user name field when it has rendered, which can happen after
        // the first keys were typed: type until both fields really hold what was typed.
        browser.await("the login form filled in", d -> {
            WebElement userField = d.findElement(By.cssSelector("form[name=signinForm] input[type=text]"));
            WebElement passwordField = d.findElement(By.cssSelector("form[name=signinForm] input[type=password]"));
            if (user.equals(userField.getAttribute("value")) && password.equals(passwordField.getAttribute("value"))) {
                return true;
            }
            userField.clear();
            userField.sendKeys(user);
            passwordField.clear();
            passwordField.sendKeys(password);
            return null;
        });
        page.findElement(By.cssSelector("form[name=signinForm] button[type=submit]")).click();
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

    /** The names of the filters Tasklist lists, in its order. */
    private List<String> filtersShown() {
        browser.awaitVisible("the filters", By.cssSelector("[cam-tasklist-filters] .task-filter"));
        return browser.await("the filters' names", d -> {
            List<String> names = d.findElements(By.cssSelector("[cam-tasklist-filters] .task-filter h4.name a"))
                    .stream()
                    .map(a -> (String) browser.script("return arguments[0].firstChild.textContent.trim();", a))
                    .toList();
            return names.isEmpty() || names.contains("") ? null : names;
        });
    }

    private static By taskLink(Task task) {
        return By.cssSelector("[cam-tasks] .tasks-list li.task h4.task a[href*='task=" + task.getId() + "']");
    }

    /** Finds the task in the list by its link, checks its name there, and opens it. */
    private void openTask(Task task, String name) {
        By link = taskLink(task);
        WebElement anchor = browser.awaitVisible("task " + task.getId() + " (" + name + ") in the list", link);
        assertThat(anchor.getText().strip()).isEqualTo(name);
        browser.screenshot("list-" + name);
        anchor.click();
        browser.await("the task " + name + " open", d -> d.findElements(By.cssSelector(".task-card h2.task")).stream()
                .anyMatch(h -> h.getText().strip().equals(name)));
    }

    /**
     * Waits for the task's Camunda Form. Should Tasklist show "Form failure" instead, fails at once with what the
     * form's URL answers the browser (Tasklist shows only the HTTP reason phrase, which is empty here).
     */
    private void awaitCamundaForm(Task task) {
        WebElement shown = browser.await("the Camunda Form of task " + task.getId(), d -> {
            for (WebElement form : d.findElements(FORM)) {
                if (form.isDisplayed()) {
                    return form;
                }
            }
            for (WebElement alert : d.findElements(By.cssSelector(".task-card .alert-danger"))) {
                if (alert.isDisplayed() && alert.getText().contains("Form failure")) {
                    return alert;
                }
            }
            return null;
        });
        if (shown.getText().contains("Form failure")) {
            browser.screenshot("form-failure");
            Object answer = browser.scriptAsync("""
                    var done = arguments[arguments.length - 1];
                    fetch(arguments[0]).then(function (r) {
                      return r.text().then(function (body) { done('HTTP ' + r.status + ' ' + body); });
                    }).catch(function (e) { done('failed: ' + e); });
                    """, BASE + "/camunda/api/engine/engine/default/task/" + task.getId() + "/deployed-form");
            throw new AssertionError("Tasklist could not load the Camunda Form of task " + task.getId() + " ("
                    + task.getName() + "): " + shown.getText().strip() + "; GET .../task/" + task.getId()
                    + "/deployed-form answers the browser: " + answer);
        }
    }

    /** The text of the Camunda Form shown (found afresh: AngularJS may have re-rendered it), or "". */
    private static String formText(WebDriver page) {
        return page.findElements(FORM).stream().filter(WebElement::isDisplayed).map(WebElement::getText).findFirst()
                .orElse("");
    }

    /** The input (or textarea: {@code element}) of the shown form's field labelled so, or null. */
    private static WebElement field(WebDriver page, String label, String element) {
        for (WebElement field : page.findElements(FIELDS)) {
            List<WebElement> labels = field.findElements(By.cssSelector("label"));
            if (!labels.isEmpty() && labels.get(0).getText().strip().equals(label)) {
                List<WebElement> inputs = field.findElements(By.cssSelector(element));
                return inputs.isEmpty() ? null : inputs.get(0);
            }
        }
        return null;
    }

    /** Clicks the Tasklist's Complete button and waits until the engine has completed the task. */
    private void complete(Task task) {
        WebElement button = browser.await("an enabled Complete button", d -> d.findElements(
                By.cssSelector(".task-card button[ng-click='complete()']")).stream()
                .filter(b -> b.isDisplayed() && b.isEnabled()).findFirst().orElse(null));
        assertThat(button.getText().strip()).isEqualTo("Complete");
        button.click();
        await().atMost(WAIT).until(() -> tasks.createTaskQuery().taskId(task.getId()).count() == 0);
        browser.screenshot("completed-" + task.getName());
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
}
