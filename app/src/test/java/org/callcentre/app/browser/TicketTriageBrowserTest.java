package org.callcentre.app.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.Groups;
import org.callcentre.processes.ticket.TicketProcess.Elements;
import org.callcentre.ticket.EndUser;
import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketGroups;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.Tickets.Incoming;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The ticket model's triage in Tasklist, in a real browser: a member of Info finds the new ticket's task under
 * "Group Info: tickets", claims it, picks the group from the form's choices (the groups, offered by the task's create
 * listener) and completes it; the ticket moves in its row and its new group gets the work. Someone outside Info
 * neither lists nor opens the task.
 */
@Order(5)
class TicketTriageBrowserTest extends EndToEndTest {

    static final String INFO_FILTER = "Group Info: tickets";
    static final By GROUP_SELECT = By.cssSelector("[cam-tasklist-form-camunda] .fjs-form-field-select");
    /** The active filter's tasks, once loaded: their list, or Tasklist's "No task matching filters found." */
    static final By LOADED_LIST = By.cssSelector("[cam-tasks] .tasks-list, [cam-tasks] .well");
    static final By CHOICES = By.cssSelector("[cam-tasklist-form-camunda] .fjs-dropdownlist .fjs-dropdownlist-item");

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    @Autowired
    TaskService tasks;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    Tickets tickets;
    @Autowired
    TicketGroups groups;
    @Autowired
    FilterService filters;

    /**
     * The demo agent (in Info, Donations and Volunteers) triages a web-form ticket from Tasklist: the select lists
     * every group by name, Donations is chosen, and the ticket is then in Donations with a MOVED history row and a
     * "Work the ticket" task offered to Donations.
     */
    @Test
    void aMemberOfInfoAssignsANewTicketToDonationsInTasklist() {
        long number = received("A sofa and a wardrobe to give");
        Task triage = awaitTask(number, Elements.TRIAGE);
        String name = "Assign to the right group: ticket " + number + ", A sofa and a wardrobe to give";
        assertThat(triage.getName()).isEqualTo(name);
        assertThat(triage.getAssignee()).isNull();

        tasklist().logIn("agent", PASSWORD);
        assertThat(tasklist().filtersShown()).contains(INFO_FILTER, "Group Donations: tickets",
                "Group Volunteers: tickets");
        tasklist().openFilter(INFO_FILTER);
        tasklist().openTask(triage, name);
        tasklist().claim(triage, "agent");
        tasklist().awaitCamundaForm(triage);
        assertThat(TasklistPage.formText(browser.driver())).contains("Assign to the right group")
                .contains("Read the ticket in the ticket pages");

        List<String> choices = openGroupSelect();
        assertThat(choices).contains("Info", "Donations", "Volunteers", "Web Master")
                .containsExactlyElementsOf(groups.all().stream().map(TicketGroup::name).toList());
        viewport(1280, 800);
        browser.screenshot("triage-form");
        choose("Donations");
        tasklist().complete(triage);

        JsonNode ticket = agent.get("/api/tickets/" + number).json().get("ticket");
        assertThat(ticket.get("group").asText()).isEqualTo("Donations");
        assertThat(ticket.get("awaitingTriage").asBoolean()).isFalse();
        JsonNode history = agent.get("/api/tickets/" + number + "/history").json();
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("kind").asText()).isEqualTo("MOVED");
        assertThat(last.get("detail").asText()).isEqualTo("Info to Donations");
        assertThat(last.get("actor").asText()).isEqualTo("agent");
        Task work = awaitTask(number, Elements.WORK);
        assertThat(work.getName()).isEqualTo("Work the ticket: ticket " + number + ", A sofa and a wardrobe to give");
        assertThat(tasks.createTaskQuery().taskId(work.getId()).taskCandidateGroup(Groups.ticketGroup("Donations"))
                .count()).isOne();
        assertThat(tasks.createTaskQuery().processInstanceId(instance(number)).count()).isOne();
    }

    /**
     * An agent outside Info has no Info filter, no filter of theirs lists the triage task, and opening the task by its
     * address shows neither it nor its form: the engine does not let them read it.
     */
    @Test
    void anAgentOutsideInfoDoesNotSeeTheTriageTask() {
        long number = received("Where do I drop off clothes?");
        Task triage = awaitTask(number, Elements.TRIAGE);
        AgentApi outsider = CallCentreStaff.create(admin, "triageoutsider", "AGENT", false);

        tasklist().logIn(outsider.user(), CallCentreStaff.passwordOf(outsider.user()));
        List<String> shown = tasklist().filtersShown();
        assertThat(shown).isNotEmpty().noneMatch(filter -> filter.endsWith(": tickets"));
        for (String name : shown) {
            // Each filter on a page of its own, so the list read is that filter's, loaded.
            Filter filter = filters.createFilterQuery().filterName(name).singleResult();
            browser.driver().get(BASE + TasklistPage.TASKLIST + "#/?filter=" + filter.getId());
            browser.driver().navigate().refresh();
            browser.awaitVisible("the tasks of " + name, LOADED_LIST);
            assertThat(browser.driver().findElements(TasklistPage.taskLink(triage))).as(name).isEmpty();
        }

        browser.driver().get(BASE + TasklistPage.TASKLIST + "#/?task=" + triage.getId());
        browser.driver().navigate().refresh();
        browser.awaitVisible("the task list", LOADED_LIST);
        browser.awaitVisible("Tasklist's answer for a task the user may not read",
                By.cssSelector("[notifications-panel] .alert-danger"));
        browser.screenshot("outsider-task-url");
        String page = browser.driver().findElement(By.tagName("body")).getText();
        assertThat(page).contains("No matching task with id " + triage.getId())
                .doesNotContain("Assign to the right group").doesNotContain("ticket " + number);
        assertThat(browser.driver().findElements(TasklistPage.FORM)).noneMatch(WebElement::isDisplayed);
        assertThat(tasks.createTaskQuery().taskId(triage.getId()).singleResult().getAssignee()).isNull();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A new Info ticket from the web form (no mail involved); answers its number. */
    private long received(String subject) {
        String email = CallCentreStaff.freshId("triage") + "@example.org";
        return new TransactionTemplate(transactionManager).execute(status -> tickets.receive(new Incoming("Info",
                EndUser.of("Mary Giver", email, null, "GB"), Origin.WEB_FORM, subject, "Can you collect it?", null,
                email, null, null, null, null, List.of()))).number();
    }

    private String instance(long number) {
        return jdbc.queryForObject("select process_instance_id from ticket where id = ?", String.class, number);
    }

    private Task awaitTask(long number, String definitionKey) {
        return await().atMost(WAIT).until(() -> tasks.createTaskQuery().processInstanceId(instance(number))
                .taskDefinitionKey(definitionKey).singleResult(), task -> task != null);
    }

    /** Opens the Group select's dropdown and answers the labels it lists. */
    private List<String> openGroupSelect() {
        WebElement select = browser.awaitVisible("the Group select", GROUP_SELECT);
        assertThat(select.findElement(By.tagName("label")).getText().strip()).startsWith("Group");
        select.findElement(By.cssSelector(".fjs-input-group")).click();
        return browser.await("the Group select's choices", d -> {
            List<String> labels = d.findElements(CHOICES).stream().map(item -> item.getText().strip()).toList();
            return labels.isEmpty() || labels.contains("") ? null : labels;
        });
    }

    private void choose(String label) {
        WebElement item = browser.driver().findElements(CHOICES).stream()
                .filter(choice -> choice.getText().strip().equals(label)).findFirst().orElseThrow();
        browser.script("arguments[0].scrollIntoView({block: 'center'});", item);
        item.click();
        browser.await("the Group select showing " + label, d -> d.findElements(CHOICES).isEmpty()
                && d.findElements(GROUP_SELECT).stream().anyMatch(field -> field.findElement(
                        By.cssSelector(".fjs-select-display")).getText().strip().equals(label)));
        browser.screenshot("chosen-" + label);
    }

    private void viewport(int width, int height) {
        browser.viewport(width, height);
    }


    private TasklistPage tasklist() {
        return new TasklistPage(browser, tasks, BASE, WAIT);
    }
}
