package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.HashMap;
import java.util.Map;

import org.callcentre.app.support.AgentApi.Reply;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /api/groups/{key}/canned-responses}: the group's members (and supervisors) read, write, change and delete
 * them, the HTML kept sanitised; everyone else and every bad request is refused without a change.
 */
class CannedResponsesEndToEndTest extends TicketMailTest {

    private static final Map<String, Object> GOOD = Map.of("title", "Pick-up booked", "subject", "Your pick-up",
            "html", "<p onmouseover=\"x()\">Our van comes on [Enter date].</p><script>x()</script>");

    @Test
    void theGroupsMembersWriteChangeAndDeleteThemSanitised() {
        String group = freshGroup("agent");
        String path = "/api/groups/" + group + "/canned-responses";

        Reply created = agent.post(path, GOOD);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("groupKey").asText()).isEqualTo(group);
        assertThat(created.json().get("html").asText()).isEqualTo("<p>Our van comes on [Enter date].</p>");
        JsonNode all = agent.get(path).json();
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("title").asText()).isEqualTo("Pick-up booked");

        Reply changed = agent.put(path + "/" + id, Map.of("title", "Pick-up", "subject", "Your pick-up is booked",
                "html", "<p>On [Enter date], between [Enter times].</p>"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(agent.get(path).json().get(0).get("subject").asText()).isEqualTo("Your pick-up is booked");
        Reply bySupervisor = agentAdmin.put(path + "/" + id, Map.of("title", "Pick-up", "subject", "Booked",
                "html", "<p>Booked.</p>"));
        assertThat(bySupervisor.status()).as(bySupervisor.toString()).isEqualTo(200);

        Reply deleted = agent.delete(path + "/" + id);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(agent.get(path).json()).isEmpty();
        assertProblem(agent.delete(path + "/" + id), 404, "has no canned response " + id);
    }

    @Test
    void othersAndBadRequestsAreRefusedAndChangeNothing() {
        String group = freshGroup("agentadmin");
        String other = freshGroup("agent");
        String path = "/api/groups/" + group + "/canned-responses";
        long id = agentAdmin.post(path, GOOD).json().get("id").asLong();
        long othersId = agent.post("/api/groups/" + other + "/canned-responses", GOOD).json().get("id").asLong();
        String before = rows();

        assertProblem(agent.get(path), 403, "not in the group " + group);
        assertProblem(agent.post(path, GOOD), 403, "not in the group");
        assertProblem(agent.put(path + "/" + id, GOOD), 403, "not in the group");
        assertProblem(agent.delete(path + "/" + id), 403, "not in the group");
        assertThat(anonymous.get(path).status()).isEqualTo(401);
        assertThat(anonymous.post(path, GOOD).status()).isEqualTo(401);

        assertProblem(agentAdmin.get("/api/groups/Nobody/canned-responses"), 404, "no group Nobody");
        assertProblem(agentAdmin.post("/api/groups/Nobody/canned-responses", GOOD), 404, "no group Nobody");
        assertProblem(agentAdmin.put(path + "/999999999", GOOD), 404, "has no canned response 999999999");
        assertProblem(agentAdmin.put(path + "/" + othersId, GOOD), 404, "has no canned response " + othersId);
        assertProblem(agentAdmin.delete(path + "/" + othersId), 404, "has no canned response");
        assertProblem(agentAdmin.put(path + "/abc", GOOD), 400);
        assertProblem(agentAdmin.post(path, with("title", " ")), 400, "title is required");
        assertProblem(agentAdmin.post(path, with("title", "t".repeat(201))), 400, "title is required");
        assertProblem(agentAdmin.post(path, with("subject", null)), 400, "subject is required");
        assertProblem(agentAdmin.post(path, with("html", null)), 400, "html is required");
        assertProblem(agentAdmin.post(path, with("html", "<script>x()</script><style>p{}</style>")), 400,
                "shows nothing");
        assertProblem(agentAdmin.put(path + "/" + id, with("html", "")), 400, "shows nothing");
        assertProblem(agentAdmin.post(path, "\"text\""), 400, "not the JSON");
        assertProblem(agentAdmin.post(path, null), 400, "the body is");

        assertThat(rows()).isEqualTo(before);
    }

    private String rows() {
        return jdbc.queryForList("select id, group_key, title, subject, html from ticket_canned_response order by id")
                .toString();
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> body = new HashMap<>(GOOD);
        body.put(field, value);
        return body;
    }
}
