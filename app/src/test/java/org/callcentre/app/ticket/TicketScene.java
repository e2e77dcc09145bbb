package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.dialler.PhoneNumbers;
import org.callcentre.ticket.EndUser;
import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.Tickets.Incoming;
import org.callcentre.ticket.Tickets.NewAttachment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the ticket tests make for themselves: groups with fresh keys, end-users with fresh addresses, tickets opened
 * by a contact (with a photo) as the intake does, and the whole state of a ticket, to tell that a refusal changed
 * nothing.
 */
final class TicketScene {

    /** A 1×1 PNG. */
    static final byte[] PNG = HexFormat.of().parseHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            + "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a3e2dd7d0000000049454e44ae426082");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final String base;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Tickets tickets;

    TicketScene(String base, JdbcTemplate jdbc, PlatformTransactionManager transactions, Tickets tickets) {
        this.base = base;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.tickets = tickets;
    }

    /** A new group with a fresh key ({@code prefix} and digits), with these members; answers its key. */
    static String group(AgentApi admin, String prefix, List<String> members) {
        String key = CallCentreStaff.freshId(prefix);
        AgentApi.Reply created = admin.post("/api/groups", Map.of("key", key, "name", "Group " + key));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        AgentApi.Reply set = admin.put("/api/groups/" + key + "/members", Map.of("members", members));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return key;
    }

    /** A UK mobile number (E.164) no other test uses, that libphonenumber takes as valid. */
    static String mobile() {
        while (true) {
            String candidate = "+447" + String.format("%09d", Math.floorMod(RANDOM.nextLong(), 1_000_000_000L));
            if (PhoneNumbers.e164(candidate, "GB").filter(candidate::equals).isPresent()) {
                return candidate;
            }
        }
    }

    static String email(String prefix) {
        return CallCentreStaff.freshId(prefix) + "@example.org";
    }

    /** A blank ticket made through the API; answers its number. */
    static long blank(AgentApi user, String group, String title, String email) {
        AgentApi.Reply created = user.post("/api/tickets", Map.of("group", group, "title", title,
                "endUser", Map.of("name", "Jane Donor", "email", email)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("number").asLong();
    }

    /** An email from the end-user, filed as the intake files it, with a photo; answers the ticket's number. */
    long received(String group, String email, String subject) {
        return transactions.execute(status -> tickets.receive(new Incoming(group,
                EndUser.of("Jane Donor", email, null, "GB"), Origin.EMAIL, subject, "Please see the photo", null,
                email, "info@callcentre.test", null, null, null,
                List.of(new NewAttachment("sofa.png", "image/png", PNG))))).number();
    }

    /** The ticket's attachments' ids. */
    List<Long> attachments(long number) {
        return jdbc.queryForList("select id from ticket_attachment where ticket_id = ? order by id", Long.class,
                number);
    }

    /** Everything a request could change about the ticket: its row, what hangs off it, and its instance. */
    String state(long number) {
        String instance = jdbc.queryForObject("select process_instance_id from ticket where id = ?", String.class,
                number);
        return List.of(
                jdbc.queryForList("select * from ticket where id = ?", number),
                jdbc.queryForList("select id, actor, kind, detail from ticket_history where ticket_id = ? order by id",
                        number),
                jdbc.queryForList("select id from ticket_message where ticket_id = ? order by id", number),
                jdbc.queryForList("select id, text from ticket_note where ticket_id = ? order by id", number),
                jdbc.queryForList("select id, deleted_at, size_bytes, case when content is null then 0 else 1 end "
                        + "kept from ticket_attachment where ticket_id = ? order by id", number),
                jdbc.queryForList("select ID_, TASK_DEF_KEY_, ASSIGNEE_, NAME_ from ACT_RU_TASK "
                        + "where PROC_INST_ID_ = ? order by ID_", instance),
                jdbc.queryForList("select ID_, DUEDATE_ from ACT_RU_JOB where PROCESS_INSTANCE_ID_ = ? order by ID_",
                        instance),
                jdbc.queryForList("select NAME_, TEXT_, LONG_ from ACT_RU_VARIABLE where PROC_INST_ID_ = ? "
                        + "order by NAME_", instance)).toString();
    }

    int history(long number) {
        return jdbc.queryForObject("select count(*) from ticket_history where ticket_id = ?", Integer.class, number);
    }

    String status(long number) {
        return jdbc.queryForObject("select status from ticket where id = ?", String.class, number);
    }

    String instance(long number) {
        return jdbc.queryForObject("select process_instance_id from ticket where id = ?", String.class, number);
    }

    boolean running(long number) {
        return jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION where PROC_INST_ID_ = ?", Integer.class,
                instance(number)) > 0;
    }

    /** The ticket's open tasks: definition key to its candidate group, e.g. {@code UserTask_Work=groupDonations}. */
    List<String> tasks(long number) {
        return jdbc.queryForList("select t.TASK_DEF_KEY_ || '=' || coalesce(l.GROUP_ID_, '') from ACT_RU_TASK t "
                + "left join ACT_RU_IDENTITYLINK l on l.TASK_ID_ = t.ID_ and l.TYPE_ = 'candidate' "
                + "where t.PROC_INST_ID_ = ? order by t.ID_", String.class, instance(number));
    }

    /** The id of the ticket's one open task. */
    String task(long number) {
        List<String> ids = jdbc.queryForList("select ID_ from ACT_RU_TASK where PROC_INST_ID_ = ?", String.class,
                instance(number));
        assertThat(ids).as("the tasks of ticket " + number).hasSize(1);
        return ids.get(0);
    }

    /** A GET whose answer is bytes (an attachment), as the user. */
    HttpResponse<byte[]> bytes(String user, String password, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void update(String sql, Object... args) {
        transactions.executeWithoutResult(status -> jdbc.update(sql, args));
    }
}
