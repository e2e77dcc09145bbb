package org.callcentre.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Mails;
import org.callcentre.ticket.mail.MailIntake;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/**
 * The Call Center pages ({@code /console/tickets}) in real headless Chromium against the running app and GreenMail:
 * a ticket's whole life from the end-user's email to "Find closed tickets", merging, sorting and "my tickets only",
 * the account settings, and an email full of script that runs nothing. With the system property
 * {@value #DOCS_SCREENSHOTS} set to a directory, the pictures of each page are copied there (docs/tickets/pages).
 */
@Order(6)
class TicketPagesBrowserTest extends EndToEndTest {

    static final String DOCS_SCREENSHOTS = "callcentre.tickets.screenshots";
    static final String PAGES = "/console/tickets";

    /** A 4×3 PNG of coloured pixels. */
    static final byte[] PNG = HexFormat.of().parseHex("89504e470d0a1a0a0000000d494844520000000400000003080200"
            + "00003b9639910000002a49444154789c0dc7310100300cc330032b9c802812232988c0daf4097070f110e2c48d979f3a75eb"
            + "d50701020ff12c83170c0000000049454e44ae426082");

    @RegisterExtension
    static final HeadlessChromium browser = new HeadlessChromium();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MailIntake intake;

    /**
     * An email to info becomes an Info ticket that the agent sees from the Call Center home; they move it to
     * Donations, take it and retitle it, reply with the group's canned response (refused by the page while its
     * placeholder is left, then sent once replaced: the end-user's mailbox has it), and the list shows the green
     * phone. The end-user's answer brings a photo, shown magnified on hover; completed, the ticket closes with "Close
     * completed tickets", its photo deleted, and "Find closed tickets" finds it.
     */
    @Test
    void anEmailIsMovedTakenAnsweredCompletedClosedAndFoundAgain() throws Exception {
        String address = CallCentreStaff.freshId("dora") + "@example.org";
        Reply canned = admin.post("/api/groups/Donations/canned-responses", Map.of("title",
                "Collection dates", "subject", "Collecting your donation",
                "html", "<p>Hello,</p><p>We can collect it on [Enter dates].</p>"));
        assertThat(canned.status()).as(canned.toString()).isEqualTo(201);
        String first = Mails.from("Dora Donor", address).subject("A sofa to give").text("It is blue and clean.")
                .send(mail);
        intake.poll();
        long number = jdbc.queryForObject("select id from ticket where end_user_email = ?", Long.class, address);

        signIn("agent", PASSWORD);
        WebElement info = browser.awaitVisible("the Info button", By.cssSelector("a.group-button[data-group=Info]"));
        assertThat(info.getText()).contains("Info", "open tickets", "messages", "phone calls");
        assertThat(count("Info", "tickets")).isPositive();
        assertThat(count("Info", "messages")).isPositive();
        shot("home");

        info.click();
        WebElement row = row(number);
        assertThat(statusOf(row)).isEqualTo("NEED_TO_CONTACT");
        assertThat(row.getText()).contains("Dora Donor", "A sofa to give");
        shot("open-tickets");

        row.findElement(By.linkText(Long.toString(number))).click();
        browser.awaitText(By.id("t-number"), "#" + number);
        assertThat(text("t-group")).isEqualTo("Info");
        assertThat(text("t-email")).isEqualTo(address);
        assertThat(text("t-entries")).contains("It is blue and clean.", "A sofa to give");
        new Select(find("t-assign")).selectByVisibleText("Group: Donations");
        browser.click(By.id("t-assign-button"));
        browser.awaitText(By.id("t-group"), "Donations");
        assertThat(text("notice")).contains("moved to Donations");

        new Select(find("t-owner")).selectByValue("agent");
        browser.type(By.id("t-title"), "Blue sofa pick-up");
        browser.type(By.id("t-next"), "Agree a collection date");
        browser.click(By.id("t-update"));
        browser.awaitText(By.id("notice"), "Ticket " + number + " updated.");
        JsonNode taken = agent.get("/api/tickets/" + number).json().get("ticket");
        assertThat(taken.get("ownerUserId").asText()).isEqualTo("agent");
        assertThat(taken.get("title").asText()).isEqualTo("Blue sofa pick-up");
        assertThat(taken.get("nextAction").asText()).isEqualTo("Agree a collection date");
        assertThat(taken.get("group").asText()).isEqualTo("Donations");
        top();
        shot("ticket");

        browser.click(By.id("t-reply"));
        browser.awaitText(By.id("mail-to"), "Dora Donor <" + address + ">");
        new Select(find("mail-canned")).selectByVisibleText("Collection dates");
        assertThat(find("mail-html").getDomProperty("value")).contains("[Enter dates]");
        browser.click(By.id("mail-send"));
        browser.awaitText(By.id("mail-placeholders"), "Replace [Enter dates] before sending.");
        assertThat(mail.receivedBy(address)).isEmpty();
        assertThat(status(number)).isEqualTo("NEED_TO_CONTACT");
        shot("reply-placeholder");

        WebElement html = find("mail-html");
        browser.type(By.id("mail-html"), html.getDomProperty("value").replace("[Enter dates]", "Tuesday 8 December"));
        browser.click(By.id("mail-toggle"));
        browser.awaitVisible("the email view", By.id("mail-view-frame"));
        assertThat(text("mail-view-to")).isEqualTo(address);
        assertThat(framed("mail-view-frame")).contains("We can collect it on Tuesday 8 December.");
        assertThat(find("mail-placeholders").isDisplayed()).isFalse();
        shot("reply");
        browser.click(By.id("mail-toggle"));
        browser.awaitVisible("the editor", By.id("mail-html"));
        browser.click(By.id("mail-send"));
        browser.await("the reply sent", d -> text("notice").startsWith("Sent to " + address) ? true : null);
        List<MimeMessage> received = mail.receivedBy(address);
        assertThat(received).hasSize(1);
        MimeMessage reply = received.get(0);
        assertThat(reply.getSubject()).isEqualTo("Collecting your donation [Ticket #" + number + "]");
        assertThat(body(reply)).contains("We can collect it on Tuesday 8 December.").doesNotContain("[Enter dates]");
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(first);

        browser.click(By.id("mail-return"));
        assertThat(statusOf(row(number))).isEqualTo("WAITING_ON_END_USER");
        assertThat(text("group-name")).isEqualTo("Donations");

        Mails.from("Dora Donor", address).subject("Re: " + reply.getSubject()).text("Tuesday is fine. A photo:")
                .header("In-Reply-To", reply.getMessageID()).attach("sofa.png", "image/png", PNG).send(mail);
        intake.poll();
        assertThat(status(number)).isEqualTo("NEED_TO_CONTACT");
        browser.driver().navigate().refresh();
        row(number).findElement(By.linkText(Long.toString(number))).click();
        WebElement photo = browser.awaitVisible("the photo", By.cssSelector("#t-photos img"));
        browser.await("the photo drawn", d -> ((Long) browser.script("return arguments[0].naturalWidth;", photo)) > 0
                ? true : null);
        WebElement file = find("t-photos").findElement(By.linkText("sofa.png"));
        assertThat(file.getAttribute("target")).isEqualTo("_blank");
        assertThat(find("t-zoom").isDisplayed()).isFalse();
        new Actions(browser.driver()).moveToElement(photo).perform();
        browser.awaitVisible("the magnified view", By.id("t-zoom-view"));
        assertThat(text("t-zoom-details")).contains("sofa.png", "image/png");
        assertThat(text("t-entries")).contains("Tuesday is fine. A photo:", "We can collect it on Tuesday 8 December.");
        shot("ticket-photo");
        new Actions(browser.driver()).moveToElement(find("t-title")).perform();
        browser.await("the magnified view gone", d -> find("t-zoom").isDisplayed() ? null : true);

        new Select(find("t-status")).selectByValue("COMPLETED");
        browser.click(By.id("t-update"));
        browser.awaitText(By.id("notice"), "Ticket " + number + " updated.");
        browser.click(By.id("menu-tickets"));
        assertThat(statusOf(row(number))).isEqualTo("COMPLETED");
        browser.click(By.id("close-completed"));
        browser.driver().switchTo().alert().accept();
        browser.await("the completed tickets closed", d -> text("notice").contains("#" + number) ? true : null);
        assertThat(browser.driver().findElements(rowLocator(number))).isEmpty();
        assertThat(status(number)).isEqualTo("CLOSED");
        assertThat(jdbc.queryForObject("select count(*) from ticket_attachment where ticket_id = ? and content is not "
                + "null", Integer.class, number)).isZero();

        browser.click(By.id("find-closed"));
        browser.awaitText(By.id("group-heading"), "Closed Tickets");
        row(number);
        String today = (String) browser.script("const d = new Date(); return d.getFullYear() + '-' "
                + "+ String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');");
        String yesterday = java.time.LocalDate.parse(today).minusDays(1).toString();
        closedBetween(yesterday, yesterday);
        browser.await("nothing closed yesterday", d -> numbers().contains(number) ? null : true);
        closedBetween(yesterday, today);
        row(number).findElement(By.linkText(Long.toString(number))).click();
        browser.awaitText(By.id("t-number"), "#" + number);
        assertThat(find("t-closed").getText()).startsWith("Closed");
        assertThat(find("t-photos-section").isDisplayed()).isFalse();
        assertThat(find("t-update").isEnabled()).isFalse();
        assertThat(text("t-entries")).contains("Tuesday is fine. A photo:");
        top();
        shot("closed-ticket");
    }

    /**
     * In a group of their own, the agent sorts by every column both ways, shows only their own and unassigned
     * tickets, sees their initials from the account settings, creates a blank ticket, and merges one ticket into
     * another with the pull-down: the correspondence moves, the merged one closes pointing at the other.
     */
    @Test
    void ticketsSortShowOnlyMineMergeAndCarryTheOwnersInitials() {
        AgentApi other = CallCentreStaff.create(admin, "pagesother", "AGENT", false);
        String group = CallCentreStaff.freshId("Pages");
        Reply created = admin.post("/api/groups", Map.of("key", group, "name", "Pages " + group));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Reply set = admin.put("/api/groups/" + group + "/members", Map.of("members", List.of("agent", other.user())));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        long mine = blank(group, "Charlie Brown", "b: a wardrobe");
        long theirs = blank(group, "Alice Able", "c: a fridge");
        long nobodys = blank(group, "Bob Baker", "a: a table");
        assertThat(agent.send("PATCH", "/api/tickets/" + mine, Map.of("ownerUserId", "agent")).status())
                .isEqualTo(200);
        assertThat(other.send("PATCH", "/api/tickets/" + theirs, Map.of("ownerUserId", other.user())).status())
                .isEqualTo(200);

        signIn("agent", PASSWORD);
        browser.click(By.id("settings-link"));
        browser.awaitVisible("the settings", By.id("initials"));
        browser.type(By.id("initials"), "AG");
        shot("settings");
        browser.click(By.id("settings-submit"));
        browser.awaitText(By.id("notice"), "Your account information is saved.");
        assertThat(agent.get("/api/users/me/settings").json().get("initials").asText()).isEqualTo("AG");

        browser.driver().get(BASE + PAGES + "#/group/" + group);
        row(nobodys);
        assertThat(numbers()).containsExactlyInAnyOrder(mine, theirs, nobodys);
        sortBy("title");
        assertThat(numbers()).containsExactly(nobodys, mine, theirs);
        assertThat(find("tickets").findElement(By.cssSelector("th[data-sort=title]")).getAttribute("aria-sort"))
                .isEqualTo("ascending");
        sortBy("title");
        assertThat(numbers()).containsExactly(theirs, mine, nobodys);
        sortBy("endUser");
        assertThat(numbers()).containsExactly(theirs, nobodys, mine);
        sortBy("number");
        assertThat(numbers()).containsExactly(mine, theirs, nobodys);
        sortBy("number");
        assertThat(numbers()).containsExactly(nobodys, theirs, mine);
        for (String column : List.of("status", "created", "updated", "owner")) {
            sortBy(column);
            assertThat(numbers()).as("sorted by " + column).containsExactlyInAnyOrder(mine, theirs, nobodys);
        }
        assertThat(row(mine).getText()).contains("AG");

        browser.click(By.id("mine-only"));
        browser.await("only mine and unassigned", d -> numbers().size() == 2 ? true : null);
        assertThat(numbers()).containsExactlyInAnyOrder(mine, nobodys);
        browser.click(By.id("mine-only"));
        browser.await("every ticket again", d -> numbers().size() == 3 ? true : null);

        browser.click(By.id("create-ticket"));
        browser.awaitVisible("the new ticket form", By.id("new-title"));
        browser.type(By.id("new-title"), "d: a lamp");
        browser.type(By.id("new-name"), "Dan Dusk");
        browser.type(By.id("new-email"), CallCentreStaff.freshId("dan") + "@example.org");
        browser.click(By.id("new-create"));
        browser.await("the new ticket", d -> text("notice").matches("Ticket \\d+ created\\.") ? true : null);
        long lamp = Long.parseLong(text("t-number").substring(1));
        assertThat(jdbc.queryForObject("select group_key from ticket where id = ?", String.class, lamp))
                .isEqualTo(group);

        browser.driver().get(BASE + PAGES + "#/ticket/" + mine);
        browser.awaitText(By.id("t-number"), "#" + mine);
        browser.click(By.id("t-email-owner"));
        browser.awaitText(By.id("mail-to"), "agent");
        assertThat(find("mail-canned-field").isDisplayed()).isFalse();
        browser.type(By.id("mail-html"), "<p>Charlie asked for you by name.</p>");
        browser.click(By.id("mail-send"));
        browser.await("the owner emailed", d -> text("notice").startsWith("Sent to the ticket owner") ? true : null);
        assertThat(mail.receivedBy("agent@demo.invalid")).anySatisfy(m -> assertThat(m.getSubject())
                .contains("[Ticket #" + mine + "]"));

        Reply elsewhere = agentAdmin.post("/api/tickets", Map.of("group", "Director", "title", "Board papers",
                "endUser", Map.of("name", "Eve Elsewhere", "email", CallCentreStaff.freshId("eve") + "@example.org")));
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(201);
        long director = elsewhere.json().get("number").asLong();
        browser.driver().get(BASE + PAGES + "#/ticket/" + director);
        browser.awaitVisible("the refusal", By.id("error"));
        assertThat(text("error")).containsIgnoringCase("group");
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).doesNotContain("Board papers",
                "Eve Elsewhere");

        browser.driver().get(BASE + PAGES + "#/ticket/" + nobodys);
        browser.awaitText(By.id("t-number"), "#" + nobodys);
        browser.click(By.id("t-note-button"));
        browser.type(By.id("t-note-text"), "Same household as " + theirs);
        browser.click(By.id("t-note-save"));
        browser.awaitText(By.id("notice"), "Note added.");
        Select assign = new Select(find("t-assign"));
        assertThat(assign.getOptions()).extracting(WebElement::getText)
                .contains("Group: Info", "Ticket #" + theirs + ": Alice Able, c: a fridge")
                .noneMatch(option -> option.startsWith("Ticket #" + nobodys));
        assign.selectByVisibleText("Ticket #" + theirs + ": Alice Able, c: a fridge");
        browser.click(By.id("t-assign-button"));
        browser.driver().switchTo().alert().accept();
        browser.awaitText(By.id("t-number"), "#" + theirs);
        assertThat(text("notice")).isEqualTo("Ticket " + nobodys + " merged into this ticket.");
        assertThat(text("t-entries")).contains("Same household as " + theirs);
        JsonNode merged = agent.get("/api/tickets/" + nobodys).json().get("ticket");
        assertThat(merged.get("status").asText()).isEqualTo("CLOSED");
        assertThat(merged.get("mergedInto").asLong()).isEqualTo(theirs);

        browser.click(By.id("t-history-button"));
        browser.awaitVisible("the history", By.id("t-history-list"));
        assertThat(text("t-history-list")).contains("MERGED");
        browser.click(By.id("menu-tickets"));
        browser.await("the merged ticket gone", d -> numbers().contains(nobodys) ? null : true);
        viewport(390, 844);
        shot("open-tickets-phone");
        viewport(1280, 900);
    }

    /**
     * An email full of script (in its HTML, its plain text, its subject and its sender's name) is shown on the
     * ticket, as text and in the sandboxed view of the email as sent, and none of it runs.
     */
    @Test
    void anEmailWithScriptRunsNothingInThePage() throws Exception {
        String address = CallCentreStaff.freshId("mallory") + "@example.org";
        String attack = "<script>window.pwned='script'</script><img src=x onerror=\"window.pwned='img'\">";
        Mails.from("<img src=x onerror=\"window.pwned='name'\">", address)
                .subject("<script>window.pwned='subject'</script>Hello")
                .text("Plain " + attack)
                .html("<p onmouseover=\"window.pwned='p'\">Rich</p>" + attack
                        + "<a href=\"javascript:window.pwned='link'\">click</a>")
                .send(mail);
        intake.poll();
        long number = jdbc.queryForObject("select id from ticket where end_user_email = ?", Long.class, address);

        signIn("agent", PASSWORD);
        browser.driver().get(BASE + PAGES + "#/group/Info");
        assertThat(row(number).getText()).contains("<script>window.pwned='subject'</script>Hello");
        browser.driver().get(BASE + PAGES + "#/ticket/" + number);
        browser.awaitText(By.id("t-number"), "#" + number);
        assertThat(text("t-end-user")).isEqualTo("<img src=x onerror=\"window.pwned='name'\">");
        assertThat(text("t-entries")).contains("Plain " + attack);
        WebElement show = find("t-entries").findElement(By.xpath(".//button[text()='Show the email as sent']"));
        show.click();
        WebElement frame = browser.awaitVisible("the email as sent", By.cssSelector("#t-entries iframe"));
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        new Actions(browser.driver()).moveToElement(frame).perform();
        browser.driver().switchTo().frame(frame);
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains("Rich");
        browser.driver().switchTo().defaultContent();
        browser.click(By.id("t-history-button"));

        assertThat(browser.script("return window.pwned === undefined && document.querySelectorAll('img[src=x]')"
                + ".length === 0;")).isEqualTo(true);
        assertThat(browser.script("return Array.from(document.scripts).map(s => s.getAttribute('src'));"))
                .isEqualTo(List.of("session.js", "tickets.js"));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void signIn(String user, String password) {
        viewport(1280, 900);
        browser.driver().get(BASE + PAGES);
        browser.awaitVisible("the sign-in form", By.id("username"));
        browser.type(By.id("username"), user);
        browser.type(By.id("password"), password);
        browser.click(By.id("sign-in-button"));
        browser.awaitText(By.id("user-id"), user);
        browser.awaitVisible("the Call Center home", By.id("page-home"));
    }

    private long blank(String group, String name, String title) {
        Reply made = agent.post("/api/tickets", Map.of("group", group, "title", title, "endUser", Map.of("name", name,
                "email", CallCentreStaff.freshId("end") + "@example.org")));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json().get("number").asLong();
    }

    /** Finds the tickets closed from the first day to the last, both included, as typed in the date fields. */
    private static void closedBetween(String from, String to) {
        browser.script("document.getElementById('closed-from').value = arguments[0]; "
                + "document.getElementById('closed-to').value = arguments[1];", from, to);
        browser.click(By.id("closed-search"));
    }

    private static By rowLocator(long number) {
        return By.cssSelector("#tickets tbody tr[data-number='" + number + "']");
    }

    /** The ticket's row in the list shown, once it is there. */
    private static WebElement row(long number) {
        return browser.awaitVisible("the row of ticket " + number, rowLocator(number));
    }

    private static String statusOf(WebElement row) {
        return row.findElement(By.cssSelector("svg[data-status]")).getAttribute("data-status");
    }

    private static List<Long> numbers() {
        return browser.driver().findElements(By.cssSelector("#tickets tbody tr")).stream()
                .map(tr -> Long.parseLong(tr.getAttribute("data-number"))).toList();
    }

    /** Clicks a column's title and waits for the list sorted by it. */
    private static void sortBy(String column) {
        WebElement header = find("tickets").findElement(By.cssSelector("th[data-sort=" + column + "]"));
        String before = header.getAttribute("aria-sort");
        header.findElement(By.tagName("button")).click();
        browser.await("the list sorted by " + column, d -> {
            String now = d.findElement(By.cssSelector("#tickets th[data-sort=" + column + "]"))
                    .getAttribute("aria-sort");
            return !now.equals("none") && !now.equals(before) ? true : null;
        });
    }

    private static int count(String group, String which) {
        return Integer.parseInt(browser.driver().findElement(By.cssSelector("a.group-button[data-group=" + group
                + "] [data-count=" + which + "] b")).getText());
    }

    private String status(long number) {
        return jdbc.queryForObject("select status from ticket where id = ?", String.class, number);
    }

    private static WebElement find(String id) {
        return browser.driver().findElement(By.id(id));
    }

    private static String text(String id) {
        return find(id).getText().strip();
    }

    /** The text of the body of the iframe with this id. */
    private static String framed(String id) {
        WebDriver driver = browser.driver();
        driver.switchTo().frame(find(id));
        try {
            return browser.await("the email view's text", d -> {
                String shown = d.findElement(By.tagName("body")).getText();
                return shown.isBlank() ? null : shown;
            });
        } finally {
            driver.switchTo().defaultContent();
        }
    }

    private static String body(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                text.append(body(multipart.getBodyPart(i)));
            }
            return text.toString();
        }
        return content instanceof String s ? s : "";
    }

    private static void top() {
        browser.script("window.scrollTo(0, 0);");
    }

    private static void shot(String name) {
        browser.screenshot(name, DOCS_SCREENSHOTS);
    }

    private static void viewport(int width, int height) {
        browser.viewport(width, height);
    }
}
