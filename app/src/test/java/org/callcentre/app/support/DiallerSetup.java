package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an admin sets up before agents dial, made through the API: a campaign with dialling rules and caller IDs,
 * call lists with imported leads, agent users in teams. Numbers are UK mobiles that libphonenumber takes, unique in
 * the test JVM.
 */
public final class DiallerSetup {

    /** 07911 13xxxx to 07911 19xxxx: past the numbers other dialler tests use (07911 0xxxxx, 07911 123xxx). */
    private static final AtomicInteger NUMBERS = new AtomicInteger(130_000);

    private DiallerSetup() {
    }

    /** A new mobile number in E.164. */
    public static String mobile() {
        return "+447911" + String.format("%06d", NUMBERS.incrementAndGet());
    }

    /** Dialling rules of {@code PUT /api/campaigns/{id}/dialling}; hours "00:00" to "00:00" are the whole day. */
    public static Map<String, Object> rules(int minMinutesBetweenCalls, int maxAttemptsIn8Hours,
            int maxAttemptsPerRecord, String callingHoursStart, String callingHoursEnd, String defaultTimeZone) {
        return Map.of("minMinutesBetweenCalls", minMinutesBetweenCalls, "maxAttemptsIn8Hours", maxAttemptsIn8Hours,
                "maxAttemptsPerRecord", maxAttemptsPerRecord, "callingHoursStart", callingHoursStart,
                "callingHoursEnd", callingHoursEnd, "defaultTimeZone", defaultTimeZone, "defaultRegion", "GB");
    }

    /** A new campaign (instant card payments) with these rules and caller IDs. */
    public static long campaign(AgentApi admin, Map<String, Object> rules, List<String> callerIds) {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        AgentApi.Reply dialling = admin.put("/api/campaigns/" + campaign + "/dialling", rules);
        assertThat(dialling.status()).as(dialling.toString()).isEqualTo(200);
        AgentApi.Reply numbers = admin.put("/api/campaigns/" + campaign + "/caller-ids", Map.of("numbers", callerIds));
        assertThat(numbers.status()).as(numbers.toString()).isEqualTo(200);
        return campaign;
    }

    public static long callList(AgentApi admin, long campaign) {
        AgentApi.Reply list = admin.post("/api/call-lists", Map.of("name", CallCentreStaff.freshId("List"),
                "campaignId", campaign));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        return list.json().get("id").asLong();
    }

    /** One lead to be imported: its number, and its time zone (null: the campaign's). */
    public record NewLead(String phone, String timeZone) {
        public static NewLead withPhone(String phone) {
            return new NewLead(phone, null);
        }
    }

    /** Imports the leads into the list in one file, in order; all must be taken. */
    public static void importLeads(AgentApi admin, long callList, List<NewLead> leads) {
        StringBuilder csv = new StringBuilder("first_name,last_name,phone,time_zone,external_ref\n");
        for (NewLead lead : leads) {
            csv.append("Donor,").append(lead.phone().substring(lead.phone().length() - 6)).append(',')
                    .append(lead.phone()).append(',').append(lead.timeZone() == null ? "" : lead.timeZone())
                    .append(",ref").append(lead.phone().substring(1)).append('\n');
        }
        AgentApi.Reply imported = admin.postCsv("/api/call-lists/" + callList + "/leads", csv.toString());
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("imported").asInt()).as(imported.toString()).isEqualTo(leads.size());
    }

    /** Imports one lead per number; answers their ids, in the same order. */
    public static List<Long> importLeads(AgentApi admin, long callList, String... phones) {
        importLeads(admin, callList, Arrays.stream(phones).map(NewLead::withPhone).toList());
        List<Long> ids = new ArrayList<>();
        for (String phone : phones) {
            AgentApi.Reply found = admin.get("/api/leads?externalRef=ref" + phone.substring(1));
            assertThat(found.json().get("items")).as(found.toString()).hasSize(1);
            ids.add(found.json().get("items").get(0).get("id").asLong());
        }
        return ids;
    }

    /** A new team of these agents working these call lists, each with weighting 1. */
    public static long team(AgentApi admin, List<String> agents, List<Long> callLists) {
        List<Map<String, Object>> lists = callLists.stream()
                .map(id -> Map.<String, Object>of("callListId", id, "weighting", 1)).toList();
        Map<String, Object> body = new HashMap<>(Map.of("name", CallCentreStaff.freshId("Team"), "agents", agents,
                "callLists", lists));
        AgentApi.Reply team = admin.post("/api/teams", body);
        assertThat(team.status()).as(team.toString()).isEqualTo(201);
        return team.json().get("id").asLong();
    }
}
