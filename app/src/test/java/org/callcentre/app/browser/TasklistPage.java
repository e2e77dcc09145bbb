package org.callcentre.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** Camunda's Tasklist in the browser, as the browser tests use it: log in, filters, a task, its Camunda Form. */
final class TasklistPage {

    static final String TASKLIST = "/camunda/app/tasklist/default/";
    /** The Camunda Form (form-js) of the open task. */
    static final By FORM = By.cssSelector("[cam-tasklist-form-camunda] .fjs-form");
    static final By FIELDS = By.cssSelector("[cam-tasklist-form-camunda] .fjs-form .fjs-form-field");

    private final HeadlessChromium browser;
    private final TaskService tasks;
    private final String base;
    private final Duration wait;

    TasklistPage(HeadlessChromium browser, TaskService tasks, String base, Duration wait) {
        this.browser = browser;
        this.tasks = tasks;
        this.base = base;
        this.wait = wait;
    }

    void logIn(String user, String password) {
        WebDriver page = browser.driver();
        page.get(base + TASKLIST);
        browser.awaitVisible("the login form", By.cssSelector("form[name=signinForm] input[type=text]"));
        browser.screenshot("login-" + user);
        // The login page moves the focus to the user name field when it has rendered, which can happen after
        // the first keys were typed: type until both fields really hold what was typed.
        browser.await("the login form filled in", d -> {
            WebElement userField = d.findElement(By.cssSelector("form[name=signinForm] input[type=text]"));
            WebElement passwordField = d.findElement(By.cssSelector("form[name=signinForm] input[type=password]"));
            if (user.equals(userField.getDomProperty("value"))
                    && password.equals(passwordField.getDomProperty("value"))) {
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

    /** The names of the filters Tasklist lists, in its order. */
    List<String> filtersShown() {
        browser.awaitVisible("the filters", By.cssSelector("[cam-tasklist-filters] .task-filter"));
        return browser.await("the filters' names", d -> {
            List<String> names = d.findElements(By.cssSelector("[cam-tasklist-filters] .task-filter h4.name a"))
                    .stream().map(this::filterName).toList();
            return names.isEmpty() || names.contains("") ? null : names;
        });
    }

    /** Clicks the filter of that name and waits until it is the active one. */
    void openFilter(String name) {
        WebElement anchor = browser.await("the filter " + name, d -> d.findElements(
                By.cssSelector("[cam-tasklist-filters] .task-filter h4.name a")).stream()
                .filter(a -> filterName(a).equals(name)).findFirst().orElse(null));
        anchor.click();
        browser.await("the filter " + name + " active", d -> d.findElements(
                By.cssSelector("[cam-tasklist-filters] .task-filter.active h4.name a")).stream()
                .anyMatch(a -> filterName(a).equals(name)));
    }

    static By taskLink(Task task) {
        return By.cssSelector("[cam-tasks] .tasks-list li.task h4.task a[href*='task=" + task.getId() + "']");
    }

    /** Finds the task in the list by its link, checks its name there, and opens it. */
    void openTask(Task task, String name) {
        WebElement anchor = browser.awaitVisible("task " + task.getId() + " (" + name + ") in the list",
                taskLink(task));
        assertThat(anchor.getText().strip()).isEqualTo(name);
        browser.screenshot("list-" + name);
        anchor.click();
        browser.await("the task " + name + " open", d -> d.findElements(By.cssSelector(".task-card h2.task")).stream()
                .anyMatch(h -> h.getText().strip().equals(name)));
    }

    /** Claims the open task with Tasklist's Claim button, unless it is the user's already. */
    void claim(Task task, String user) {
        List<WebElement> buttons = browser.driver().findElements(By.cssSelector(".task-card button.claim"));
        if (buttons.stream().anyMatch(WebElement::isDisplayed)) {
            buttons.stream().filter(WebElement::isDisplayed).findFirst().orElseThrow().click();
        }
        await().atMost(wait).until(() -> user.equals(tasks.createTaskQuery().taskId(task.getId()).singleResult()
                .getAssignee()));
    }

    /**
     * Waits for the task's Camunda Form. Should Tasklist show "Form failure" instead, fails at once with what the
     * form's URL answers the browser (Tasklist shows only the HTTP reason phrase, which is empty here).
     */
    void awaitCamundaForm(Task task) {
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
                    """, base + "/camunda/api/engine/engine/default/task/" + task.getId() + "/deployed-form");
            throw new AssertionError("Tasklist could not load the Camunda Form of task " + task.getId() + " ("
                    + task.getName() + "): " + shown.getText().strip() + "; GET .../task/" + task.getId()
                    + "/deployed-form answers the browser: " + answer);
        }
    }

    /** The text of the Camunda Form shown (found afresh: AngularJS may have re-rendered it), or "". */
    static String formText(WebDriver page) {
        return page.findElements(FORM).stream().filter(WebElement::isDisplayed).map(WebElement::getText).findFirst()
                .orElse("");
    }

    /** The input (or textarea: {@code element}) of the shown form's field labelled so, or null. */
    static WebElement field(WebDriver page, String label, String element) {
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
    void complete(Task task) {
        WebElement button = browser.await("an enabled Complete button", d -> d.findElements(
                By.cssSelector(".task-card button[ng-click='complete()']")).stream()
                .filter(b -> b.isDisplayed() && b.isEnabled()).findFirst().orElse(null));
        assertThat(button.getText().strip()).isEqualTo("Complete");
        button.click();
        await().atMost(wait).until(() -> tasks.createTaskQuery().taskId(task.getId()).count() == 0);
        browser.screenshot("completed-" + task.getName());
    }

    private String filterName(WebElement anchor) {
        return (String) browser.script("return arguments[0].firstChild.textContent.trim();", anchor);
    }
}
